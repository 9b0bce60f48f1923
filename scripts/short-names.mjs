// Shortens the names the wasm and its JS glue link by: every import
// (`__wbg_addEventListener_847fd86b8c33ec43`, module "./maildoctor_bg.js")
// and every export but `memory` become one or two letters, in the wasm's
// import and export sections and in the JS that names them. Used by the
// release hook (scripts/minify-js.mjs) after terser.
//
// Why: wasm-bindgen gives each import a 16-hex-digit hash and each closure
// export a mangled path of 100+ characters; both are written twice, once in
// each file. Hex does not compress, so the names cost about 4.5 KB of the
// shipped gzip (measured: wasm -2.8 KB, JS -1.8 KB). The renaming is a pure
// function of the two files, so builds stay byte-reproducible.
//
// Safety: it refuses (throws) unless every old import name is exactly one
// key of the JS import object, every old export name is read in the JS only
// as a property (`.name`) or not at all, and the new module still lists exactly the new
// names (checked by compiling it).

import { readLeb, readName } from './wasm-binary.mjs';

const MODULE = 'a';
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The n-th short name: a..Z, then aa..ZZ (2,756 in all; wasm-bindgen makes about 150). */
function shortName(n) {
  const k = LETTERS.length;
  if (n < k) return LETTERS[n];
  if (n < k + k * k) return LETTERS[Math.floor(n / k) - 1] + LETTERS[n % k];
  throw new Error(`short-names: more than ${k + k * k} names`);
}

/** `value` as unsigned LEB128. */
function leb(value) {
  const out = [];
  let v = value;
  do {
    let b = v & 0x7f;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return Buffer.from(out);
}

function nameBytes(text) {
  const utf8 = Buffer.from(text, 'utf8');
  return Buffer.concat([leb(utf8.length), utf8]);
}

/** Skips one import's description (after its two names); returns the position after it. */
function skipImportDesc(bytes, pos) {
  const kind = bytes[pos++];
  if (kind === 0) return readLeb(bytes, pos)[1]; // function: type index
  if (kind === 1) {
    // table: reftype, limits
    const flags = bytes[pos + 1];
    let p = readLeb(bytes, pos + 2)[1];
    if (flags & 1) p = readLeb(bytes, p)[1];
    return p;
  }
  if (kind === 2) {
    const flags = bytes[pos++];
    let p = readLeb(bytes, pos)[1];
    if (flags & 1) p = readLeb(bytes, p)[1];
    return p;
  }
  if (kind === 3) return pos + 2; // global: valtype, mutability
  throw new Error(`short-names: import of unknown kind ${kind}`);
}

/** The import section renamed; `renames` gets old -> new for each field name. */
function renameImports(bytes, start, end, renames, modules) {
  let [count, pos] = readLeb(bytes, start);
  const parts = [leb(count)];
  for (; count > 0; count--) {
    let module;
    let field;
    [module, pos] = readName(bytes, pos);
    [field, pos] = readName(bytes, pos);
    modules.add(module);
    const descEnd = skipImportDesc(bytes, pos);
    if (!renames.has(field)) renames.set(field, shortName(renames.size));
    parts.push(nameBytes(MODULE), nameBytes(renames.get(field)), bytes.subarray(pos, descEnd));
    pos = descEnd;
  }
  if (pos !== end) throw new Error('short-names: the import section did not end where its size said');
  return Buffer.concat(parts);
}

/** The export section renamed (all but `memory`). */
function renameExports(bytes, start, end, renames) {
  let [count, pos] = readLeb(bytes, start);
  const parts = [leb(count)];
  for (; count > 0; count--) {
    let field;
    [field, pos] = readName(bytes, pos);
    const descEnd = readLeb(bytes, pos + 1)[1];
    if (field !== 'memory') renames.set(field, shortName(renames.size));
    parts.push(nameBytes(renames.get(field) ?? field), bytes.subarray(pos, descEnd));
    pos = descEnd;
  }
  if (pos !== end) throw new Error('short-names: the export section did not end where its size said');
  return Buffer.concat(parts);
}

/** All occurrences of `name` as a whole identifier in `js`, with the character before each. */
function occurrences(js, name) {
  const found = [];
  for (let at = js.indexOf(name); at >= 0; at = js.indexOf(name, at + name.length)) {
    const before = js[at - 1] ?? '';
    const after = js[at + name.length] ?? '';
    if (!/[\w$]/.test(before) && !/[\w$]/.test(after)) found.push({ at, before, after });
  }
  return found;
}

function replaceAll(js, name, replacement, accept, what) {
  const found = occurrences(js, name);
  if (!accept(found)) throw new Error(`short-names: ${what} ${name} is not used in the JS as expected`);
  let out = '';
  let last = 0;
  for (const { at } of found) {
    out += js.slice(last, at) + replacement;
    last = at + name.length;
  }
  return out + js.slice(last);
}

/** Renames imports and exports in `wasm` (a Buffer) and `js` (a string): { wasm, js, imports, exports }. */
export function shortenNames(wasm, js) {
  const imports = new Map();
  const modules = new Set();
  const exports = new Map();
  const sections = [wasm.subarray(0, 8)];
  for (let pos = 8; pos < wasm.length; ) {
    const id = wasm[pos];
    const [size, start] = readLeb(wasm, pos + 1);
    const end = start + size;
    let body = wasm.subarray(start, end);
    if (id === 2) body = renameImports(wasm, start, end, imports, modules);
    if (id === 7) body = renameExports(wasm, start, end, exports);
    sections.push(Buffer.from([id]), leb(body.length), body);
    pos = end;
  }
  if (modules.size !== 1) throw new Error(`short-names: the wasm imports from ${modules.size} modules, not one`);
  let out = js;
  const moduleKey = JSON.stringify([...modules][0]);
  if (out.split(`${moduleKey}:`).length !== 2) throw new Error(`short-names: the JS has no single import object key ${moduleKey}`);
  out = out.replace(`${moduleKey}:`, `${MODULE}:`);
  for (const [old, short] of imports) {
    out = replaceAll(out, old, short, (f) => f.length === 1 && f[0].after === ':', 'import');
  }
  for (const [old, short] of exports) {
    // An export the glue never names (`main`, `__abort_handler`) must not appear in it at all.
    const accept = (f) => (f.length > 0 ? f.every((o) => o.before === '.') : !out.includes(old));
    out = replaceAll(out, old, short, accept, 'export');
  }
  const renamed = Buffer.concat(sections);
  const module = new WebAssembly.Module(renamed);
  const seen = WebAssembly.Module.imports(module);
  if (seen.some((i) => i.module !== MODULE) || new Set(seen.map((i) => i.name)).size !== imports.size) {
    throw new Error('short-names: the renamed module does not import what was renamed');
  }
  return { wasm: renamed, js: out, imports: imports.size, exports: exports.size };
}
