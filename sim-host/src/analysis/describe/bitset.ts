// Bitsets over windows: one bit per window, 32 windows per word (Uint32Array). Atom masks and
// formula masks are bitsets; a formula's base count is a popcount.

/** Words needed for `n` bits. */
export const wordsFor = (n: number): number => (n + 31) >>> 5;

/** Set bits of a 32-bit word. */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Set bits of `words` words of `a` from offset `off`. */
export function popcount(a: Uint32Array, off = 0, words = a.length - off): number {
  let c = 0;
  for (let i = 0; i < words; i++) c += popcount32(a[off + i]);
  return c;
}

export const hasBit = (a: Uint32Array, off: number, i: number): boolean => ((a[off + (i >>> 5)] >>> (i & 31)) & 1) === 1;

export function setBit(a: Uint32Array, off: number, i: number): void {
  a[off + (i >>> 5)] |= 1 << (i & 31);
}
