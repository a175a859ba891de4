// LEB128, the variable-length integers of the WebAssembly binary format: written by the float
// engine's module builder (wasm/emitter.ts) and by the chip kernels (targets/common/wasm-bytes.ts).

/** Unsigned LEB128 of a uint32. */
export function uleb(n: number, out: number[]): void {
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
}

/** Signed LEB128 of an int32 (also an i64 constant in the int32 range). */
export function sleb(n: number, out: number[]): void {
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}
