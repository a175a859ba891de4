// The bytes of a small WebAssembly module, written here (a target imports no other backend, so
// not through wasm/emitter.ts; LEB128 is core/leb128.ts, shared with it): sections, a function
// body builder, and a module of functions over one imported memory `env.memory`. The chips'
// generated kernels (loihi2/kernel.ts, spinnaker2/kernel.ts) are written with it.
import { sleb, uleb } from '../../core/leb128';

export const I32 = 0x7f;
export const I64 = 0x7e;
export const V128 = 0x7b;

/** Control, local, memory and integer opcodes (one byte each). */
export const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, br_if: 0x0d, select: 0x1b,
  get: 0x20, set: 0x21, tee: 0x22, load: 0x28, store: 0x36, const: 0x41, const64: 0x42,
  eqz: 0x45, eq: 0x46, ne: 0x47, lt_s: 0x48, lt_u: 0x49, gt_s: 0x4a, le_s: 0x4c, ge_s: 0x4e,
  lt_s64: 0x53, gt_s64: 0x55,
  add: 0x6a, sub: 0x6b, mul: 0x6c, and: 0x71, shl: 0x74, shr_s: 0x75, shr_u: 0x76,
  add64: 0x7c, sub64: 0x7d, mul64: 0x7e, shr_s64: 0x87,
  wrap64: 0xa7, extend_s: 0xac, extend_u: 0xad,
} as const;

export { sleb, uleb };

/** A section: its id and its length-prefixed body. */
export function section(id: number, body: number[]): number[] {
  const len: number[] = [];
  uleb(body.length, len);
  return [id, ...len, ...body];
}

/** A function body under construction: `c` its code, helpers for the common forms. */
export class Body {
  readonly c: number[] = [];
  op(...bytes: number[]): this {
    this.c.push(...bytes);
    return this;
  }
  k(n: number): this {
    this.c.push(OP.const);
    sleb(n, this.c);
    return this;
  }
  k64(n: number): this {
    this.c.push(OP.const64);
    sleb(n, this.c);
    return this;
  }
  get(l: number): this {
    this.c.push(OP.get, l);
    return this;
  }
  set(l: number): this {
    this.c.push(OP.set, l);
    return this;
  }
  /** A SIMD (0xfd-prefixed) opcode. */
  v(op: number): this {
    this.c.push(0xfd);
    uleb(op, this.c);
    return this;
  }
}

export interface WasmFunction {
  name: string;
  params: number[];
  result: number;
  /** Local groups after the parameters: [count, type] pairs. */
  locals: [number, number][];
  code: number[];
}

/** A module of `fns` (each exported by name) over the imported memory env.memory. */
export function wasmModule(fns: WasmFunction[]): WebAssembly.Module {
  const enc = new TextEncoder();
  const name = (s: string) => [s.length, ...enc.encode(s)];
  const types: number[] = [];
  uleb(fns.length, types);
  for (const f of fns) {
    types.push(0x60);
    uleb(f.params.length, types);
    types.push(...f.params, 1, f.result);
  }
  const funcs: number[] = [];
  uleb(fns.length, funcs);
  fns.forEach((_, i) => uleb(i, funcs));
  const exps: number[] = [];
  uleb(fns.length, exps);
  fns.forEach((f, i) => (exps.push(...name(f.name), 0x00), uleb(i, exps)));
  const codes: number[] = [];
  uleb(fns.length, codes);
  for (const f of fns) {
    const b: number[] = [];
    uleb(f.locals.length, b);
    for (const [n, t] of f.locals) uleb(n, b), b.push(t);
    b.push(...f.code, OP.end);
    uleb(b.length, codes);
    codes.push(...b);
  }
  const imp = section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 1]);
  const bytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...section(1, types), ...imp, ...section(3, funcs), ...section(7, exps), ...section(10, codes)]);
  return new WebAssembly.Module(bytes);
}
