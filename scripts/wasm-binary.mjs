// Reading the WebAssembly binary format's two primitives (spec §5.2.2, §5.2.4),
// shared by scripts/wasm-cost.mjs and scripts/short-names.mjs.

/** Unsigned LEB128 at `pos` in `bytes` (a Buffer): [value, next position]. */
export function readLeb(bytes, pos) {
  let value = 0;
  let shift = 0;
  let at = pos;
  for (;;) {
    const b = bytes[at++];
    if (b === undefined) throw new Error(`wasm: a number runs past the end (at ${pos})`);
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

/** A name (length-prefixed UTF-8) at `pos`: [text, next position]. */
export function readName(bytes, pos) {
  const [len, start] = readLeb(bytes, pos);
  return [bytes.toString('utf8', start, start + len), start + len];
}
