// Trunk post_build hook (Trunk.toml): minifies the wasm-bindgen JS glue of a
// release build with terser, in the staging folder, and updates its
// Subresource Integrity hash in index.html so the browser still accepts it.
//
// Why here and not in trunk: trunk's own JS minifier (minify-js) cannot parse
// the `export default` that wasm-bindgen emits, warns "Failed to minify JS"
// and ships the file as it is. terser takes it: 39 KB -> 18 KB raw, about
// 1.8 KB less gzip. Property names stay (the wasm imports them by name); only
// local names are shortened.
//
// Debug builds are left alone. Env (set by trunk): TRUNK_PROFILE, TRUNK_STAGING_DIR.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);
const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('minify-js: TRUNK_STAGING_DIR is not set (run as a trunk hook)');
  process.exit(1);
}
// terser lives with the other build tools in tests/e2e/node_modules (scripts/setup.sh installs it).
const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), '../tests/e2e/package.json'));
const { minify } = require('terser');

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const htmlPath = join(staging, 'index.html');
let html = readFileSync(htmlPath, 'utf8');
const scripts = readdirSync(staging).filter((f) => f.endsWith('.js'));
if (scripts.length === 0) {
  console.error(`minify-js: no .js file in ${staging}`);
  process.exit(1);
}
for (const name of scripts) {
  const path = join(staging, name);
  const source = readFileSync(path);
  const out = await minify(source.toString('utf8'), { module: true, compress: true, mangle: true });
  if (!out.code) throw new Error(`minify-js: terser gave nothing for ${name}`);
  const [before, after] = [sri(source), sri(out.code)];
  // Trunk puts the file's hash on its <link rel="modulepreload">; with minify on, without quotes.
  const count = html.split(before).length - 1;
  if (count === 0) throw new Error(`minify-js: index.html holds no integrity ${before} for ${name}`);
  html = html.split(before).join(after);
  writeFileSync(path, out.code);
  console.log(`minify-js: ${name} ${source.length} -> ${Buffer.byteLength(out.code)} bytes`);
}
writeFileSync(htmlPath, html);
