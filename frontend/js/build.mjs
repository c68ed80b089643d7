// Writes the two scripts the pages load from public/, each named with a number raised
// whenever it changes, so the server can let browsers cache it for a year (app/src/lib.rs
// names the same files; older ones are removed):
// - echarts-<version>-<bundle>.min.js: the trimmed ECharts (entry.js; "bundle" in package.json);
// - nav-<nav>.min.js: in-place navigation with idiomorph (nav.js; "nav" in package.json).
import { build } from 'esbuild';
import { readFileSync, readdirSync, rmSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./node_modules/echarts/package.json', import.meta.url)));
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url)));
const publicDir = new URL('../../public/', import.meta.url).pathname;

for (const [entry, prefix, name] of [
  ['./entry.js', 'echarts-', `echarts-${version}-${pkg.bundle}.min.js`],
  ['./nav.js', 'nav-', `nav-${pkg.nav}.min.js`],
]) {
  for (const old of readdirSync(publicDir)) {
    if (old.startsWith(prefix) && old !== name) rmSync(publicDir + old);
  }
  const outfile = publicDir + name;
  await build({
    entryPoints: [new URL(entry, import.meta.url).pathname],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2019',
    legalComments: 'none',
    outfile,
  });
  console.log(`wrote ${outfile}`);
}
