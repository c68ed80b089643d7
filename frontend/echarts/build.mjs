// Writes ../../public/echarts-<version>.min.js. The version is in the file name so the
// server can cache it for a year; app/src/lib.rs names the same file.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./node_modules/echarts/package.json', import.meta.url)));
const outfile = new URL(`../../public/echarts-${version}.min.js`, import.meta.url).pathname;
await build({
  entryPoints: [new URL('./entry.js', import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2019',
  legalComments: 'none',
  outfile,
});
console.log(`wrote ${outfile}`);
