// Writes ../../public/echarts-<version>-<bundle>.min.js. The version and the bundle's
// own number (package.json's "bundle", raised whenever entry.js changes) are in the file
// name so the server can let browsers cache it for a year; app/src/lib.rs names the same
// file, and the old one is removed.
import { build } from 'esbuild';
import { readFileSync, readdirSync, rmSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./node_modules/echarts/package.json', import.meta.url)));
const { bundle } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url)));
const publicDir = new URL('../../public/', import.meta.url).pathname;
const name = `echarts-${version}-${bundle}.min.js`;
const outfile = publicDir + name;
for (const old of readdirSync(publicDir)) {
  if (old.startsWith('echarts-') && old !== name) rmSync(publicDir + old);
}
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
