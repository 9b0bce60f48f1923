// Trunk post_build hook (Trunk.toml): minifies the wasm-bindgen JS glue of a
// release build with terser, in the staging folder, shortens the names the
// wasm and the glue link by (scripts/short-names.mjs), and updates both
// files' Subresource Integrity hashes in index.html so the browser still
// accepts them.
//
// Why here and not in trunk: trunk's own JS minifier (minify-js) cannot parse
// the `export default` that wasm-bindgen emits, warns "Failed to minify JS"
// and ships the file as it is. terser takes it: 39 KB -> 18 KB raw, about
// 1.8 KB less gzip. Property names stay (the wasm imports them by name); only
// local names are shortened (the link names are short-names.mjs's job).
//
// Debug builds are left alone. Env (set by trunk): TRUNK_PROFILE, TRUNK_STAGING_DIR.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shortenNames } from './short-names.mjs';

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
// The glue is the JS file named like the wasm (`maildoctor-<hash>.js` beside `maildoctor-<hash>_bg.wasm`).
const wasmFiles = readdirSync(staging).filter((f) => f.endsWith('_bg.wasm'));
if (wasmFiles.length !== 1) throw new Error(`minify-js: expected one _bg.wasm in ${staging}, found ${wasmFiles.length}`);
const wasmName = wasmFiles[0];
const glueName = wasmName.replace(/_bg\.wasm$/, '.js');

/** Writes `bytes` to `name` in staging and swaps its integrity hash in index.html. */
function replaceFile(name, source, bytes) {
  const [before, after] = [sri(source), sri(bytes)];
  // Trunk puts the file's hash on its <link rel="modulepreload"> or <link rel="preload">; with minify on, without quotes.
  const count = html.split(before).length - 1;
  if (count === 0) throw new Error(`minify-js: index.html holds no integrity ${before} for ${name}`);
  html = html.split(before).join(after);
  writeFileSync(join(staging, name), bytes);
  console.log(`minify-js: ${name} ${source.length} -> ${Buffer.byteLength(bytes)} bytes`);
}

/**
 * The glue's loader code the page never runs, made dead for terser: `initSync`
 * (the page loads the wasm with the async default export; an export terser
 * must keep) and the console warnings about deprecated init parameters and a
 * wrong wasm MIME type (the loader passes one object, and GitHub Pages serves
 * application/wasm; the fallback itself stays). -217 gzip bytes, measured with a
 * release build.
 * Refuses unless the glue is the shape this was written for (wasm-bindgen is
 * pinned in Cargo.toml), so a new version cannot lose a warning it relies on.
 */
function trimGlue(code) {
  const exports = 'export { initSync, __wbg_init as default };';
  const warnings = code.split('console.warn(').length - 1;
  if (code.split(exports).length !== 2 || warnings !== 3) {
    throw new Error(`minify-js: unexpected wasm-bindgen glue (exports or ${warnings} console.warn calls, expected 3)`);
  }
  return code.replace(exports, 'export { __wbg_init as default };');
}

/**
 * Strings from the wasm (every text node, attribute value and URL the page
 * hands the browser: thousands per report) decoded without a TextDecoder call
 * when they are short and ASCII, as most are: a call costs about a
 * microsecond whatever the length. Measured in headless Chromium
 * (2026-12-05), 3,000 strings of 1-36 bytes from the report: TextDecoder
 * 1.6-3.7 ms, this loop 0.5-0.6 ms. A byte over 127 (UTF-8) and longer strings
 * still go to the TextDecoder, so the result is the same string. Refuses
 * unless the glue has the function this replaces, word for word.
 */
function fastShortStrings(code) {
  const original = `function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}`;
  const fast = `function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    const mem = getUint8ArrayMemory0();
    if (len <= 64) {
        let s = '';
        for (let i = ptr; i < ptr + len; i++) {
            const c = mem[i];
            if (c > 127) return decodeText(mem.subarray(ptr, ptr + len));
            s += String.fromCharCode(c);
        }
        return s;
    }
    return decodeText(mem.subarray(ptr, ptr + len));
}`;
  if (code.split(original).length !== 2) throw new Error('minify-js: unexpected wasm-bindgen glue (getStringFromWasm0)');
  return code.replace(original, fast);
}

for (const name of scripts) {
  const source = readFileSync(join(staging, name));
  const isGlue = name === glueName;
  const text = isGlue ? fastShortStrings(trimGlue(source.toString('utf8'))) : source.toString('utf8');
  const compress = isGlue ? { pure_funcs: ['console.warn'] } : true;
  const out = await minify(text, { module: true, compress, mangle: true });
  if (!out.code) throw new Error(`minify-js: terser gave nothing for ${name}`);
  let code = out.code;
  if (isGlue) {
    const wasmSource = readFileSync(join(staging, wasmName));
    const short = shortenNames(wasmSource, code);
    code = short.js;
    replaceFile(wasmName, wasmSource, short.wasm);
    console.log(`minify-js: ${short.imports} imports and ${short.exports} exports renamed`);
  }
  replaceFile(name, source, code);
}
writeFileSync(htmlPath, html);
