// What each check (and each part of the page) costs in the wasm: prints the
// code bytes per core module and per app part, read from the function-name
// section of cargo's wasm (before wasm-bindgen and wasm-opt, which drop the
// names), so the cost of every feature stays visible as checks are added.
//
// Usage: node scripts/wasm-cost.mjs <cargo wasm> [shipped wasm gzip bytes]
// (scripts/size.sh passes target/wasm32-unknown-unknown/release/maildoctor.wasm).
//
// How a function is attributed: to the first module of ours its (v0-mangled)
// symbol names — `maildoctor_core::spf::…` → "core spf", `maildoctor::ui::
// components::dkim` → "page dkim". Generic code of std or yew instantiated for
// one of our types counts where that type lives (a `drop_in_place::<SpfReport>`
// is SPF's); what names none of our modules is "std, yew, glue". Data (strings,
// tables) is one line of its own: the name section does not split it.
// `core check` holds the runner, whose future inlines the checks' own async
// code where each is awaited once: part of every check's cost shows there.
// The gzip column is an estimate: the shipped wasm's gzip size shared out in
// proportion to the raw code bytes (wasm-opt shrinks code unevenly; measured
// shares move by a few percent).
import { readFileSync } from 'node:fs';
import { readLeb, readName } from './wasm-binary.mjs';

const [file, gzipArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/wasm-cost.mjs <cargo wasm> [shipped wasm gzip bytes]');
  process.exit(2);
}
const bytes = readFileSync(file);

const leb = (pos) => readLeb(bytes, pos);
const name = (pos) => readName(bytes, pos);

// Sections: imports (to number the functions), code bodies, data, the name section.
let importedFunctions = 0;
const bodySizes = [];
let dataBytes = 0;
const names = new Map();
for (let pos = 8; pos < bytes.length; ) {
  const id = bytes[pos];
  const [size, start] = leb(pos + 1);
  const end = start + size;
  if (id === 2) {
    let [count, p] = leb(start);
    for (; count > 0; count--) {
      [, p] = name(p);
      [, p] = name(p);
      const kind = bytes[p++];
      if (kind === 0) {
        importedFunctions++;
        [, p] = leb(p);
      } else if (kind === 2) {
        const flags = bytes[p++];
        [, p] = leb(p);
        if (flags & 1) [, p] = leb(p);
      } else if (kind === 3) {
        p += 2;
      } else {
        throw new Error(`wasm-cost: an import of kind ${kind} (a table or tag) is not expected in the cargo wasm`);
      }
    }
  } else if (id === 10) {
    let [count, p] = leb(start);
    for (; count > 0; count--) {
      const [len, body] = leb(p);
      bodySizes.push(len + (body - p));
      p = body + len;
    }
  } else if (id === 11) {
    dataBytes += size;
  } else if (id === 0) {
    const [section, p0] = name(start);
    if (section === 'name') {
      for (let p = p0; p < end; ) {
        const sub = bytes[p];
        const [len, s] = leb(p + 1);
        if (sub === 1) {
          let [count, q] = leb(s);
          for (; count > 0; count--) {
            let idx;
            [idx, q] = leb(q);
            let n;
            [n, q] = name(q);
            names.set(idx, n);
          }
        }
        p = s + len;
      }
    }
  }
  pos = end;
}

if (names.size === 0) {
  console.error(`wasm-cost: ${file} has no function names (built with strip?)`);
  process.exit(1);
}

/** The first module of ours a v0 symbol names: "core spf", "page dkim", … */
function owner(symbol) {
  const core = /15maildoctor_core(\d+)/.exec(symbol);
  const app = /10maildoctor(\d+)/.exec(symbol);
  const pick = [core, app].filter(Boolean).sort((a, b) => a.index - b.index)[0];
  if (!pick) return 'std, yew, glue';
  const idents = identsAt(symbol, pick.index + pick[0].length - pick[1].length, 3);
  if (pick === core) return `core ${idents[0] ?? '?'}`;
  // maildoctor::ui::components::<part>, maildoctor::ui::<part>, maildoctor::doh::…
  if (idents[0] === 'ui' && idents[1] === 'components') return `page ${idents[2] ?? '?'}`;
  if (idents[0] === 'ui') return `page ui::${idents[1] ?? '?'}`;
  return `page ${idents[0] ?? '?'}`;
}

/** Up to `n` length-prefixed identifiers of a v0 path, starting at `pos`. */
function identsAt(symbol, pos, n) {
  const out = [];
  while (out.length < n) {
    const m = /^(\d+)_?/.exec(symbol.slice(pos));
    if (!m) break;
    const len = Number(m[1]);
    const start = pos + m[0].length;
    out.push(symbol.slice(start, start + len));
    pos = start + len;
    // The next identifier of the same path follows directly; anything else ends it.
    if (!/^\d/.test(symbol.slice(pos))) break;
  }
  return out;
}

const byOwner = new Map();
let codeBytes = 0;
bodySizes.forEach((size, i) => {
  const symbol = names.get(i + importedFunctions) ?? '';
  // wasm-bindgen reads these (its type descriptions) and removes them.
  if (symbol.startsWith('__wbindgen_describe')) return;
  const key = owner(symbol);
  byOwner.set(key, (byOwner.get(key) ?? 0) + size);
  codeBytes += size;
});
const total = codeBytes + dataBytes;
const gzip = Number(gzipArg) || 0;
const rows = [...byOwner.entries()].sort((a, b) => b[1] - a[1]);
rows.push(['data (strings, tables)', dataBytes]);
console.log(`what each part costs (raw bytes before wasm-opt; gzip estimated from the shipped wasm's ${gzip || '?'} bytes):`);
for (const [key, size] of rows) {
  const est = gzip ? `${String(Math.round((size / total) * gzip)).padStart(7)} gzip` : '';
  console.log(`  ${key.padEnd(28)} ${String(size).padStart(8)} raw ${est}`);
}
