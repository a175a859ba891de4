// A small WebAssembly binary writer: just what the code generator needs (one imported memory,
// imported math functions, f64/f32/i32/i64 arithmetic, structured control flow). Writing the
// bytes ourselves keeps compilation to a few milliseconds and adds no dependency.
import { sleb, uleb } from '../core/leb128';

export const enum T {
  i32 = 0x7f,
  i64 = 0x7e,
  f32 = 0x7d,
  f64 = 0x7c,
  v128 = 0x7b,
}

/** SIMD (0xfd-prefixed) opcodes used by the vectorised neuron loop. */
export const V = {
  load64_zero: 0x5d, store64_lane: 0x5b, v128_const: 0x0c,
  i32x4_splat: 0x11, i64x2_splat: 0x12, f64x2_splat: 0x14,
  i32x4_extract: 0x1b, i64x2_extract: 0x1d, f64x2_extract: 0x21, f64x2_replace: 0x22,
  i32x4_gt_s: 0x3b, i32x4_eq: 0x37,
  f64x2_eq: 0x47, f64x2_ne: 0x48, f64x2_lt: 0x49, f64x2_gt: 0x4a, f64x2_le: 0x4b, f64x2_ge: 0x4c,
  not: 0x4d, and: 0x4e, andnot: 0x4f, or: 0x50, xor: 0x51, bitselect: 0x52, any_true: 0x53,
  f32x4_demote_zero: 0x5e, f64x2_promote_low: 0x5f, f64x2_nearest: 0x94,
  i32x4_add: 0xae, i64x2_extend_low_s: 0xc7, i64x2_shl: 0xcb, i64x2_add: 0xce, i64x2_sub: 0xd1,
  f64x2_abs: 0xec, f64x2_neg: 0xed, f64x2_sqrt: 0xef, f64x2_add: 0xf0, f64x2_sub: 0xf1, f64x2_mul: 0xf2, f64x2_div: 0xf3, f64x2_min: 0xf4, f64x2_max: 0xf5,
  f64x2_convert_low_i32x4_s: 0xfe, f64x2_pmin: 0xf6, f64x2_pmax: 0xf7,
  v128_load: 0x00, v128_store: 0x0b, f32x4_splat: 0x13, f32x4_extract: 0x1f,
  f32x4_eq: 0x41, f32x4_ne: 0x42, f32x4_lt: 0x43, f32x4_gt: 0x44, f32x4_le: 0x45, f32x4_ge: 0x46,
  f32x4_nearest: 0x6a, i32x4_shl: 0xab, i32x4_sub: 0xb1,
  f32x4_abs: 0xe0, f32x4_neg: 0xe1, f32x4_sqrt: 0xe3, f32x4_add: 0xe4, f32x4_sub: 0xe5, f32x4_mul: 0xe6, f32x4_div: 0xe7,
  f32x4_min: 0xe8, f32x4_max: 0xe9, f32x4_pmin: 0xea, f32x4_pmax: 0xeb, f32x4_convert_i32x4_s: 0xfa,
} as const;

/** Opcodes used by the generator (WebAssembly 1.0 core). */
export const Op = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, br_if: 0x0d, return: 0x0f, call: 0x10, drop: 0x1a, select: 0x1b,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22,
  i32_load: 0x28, i64_load: 0x29, f32_load: 0x2a, f64_load: 0x2b, i32_load16_u: 0x2f,
  i32_store: 0x36, i64_store: 0x37, f32_store: 0x38, f64_store: 0x39,
  i32_const: 0x41, i64_const: 0x42, f32_const: 0x43, f64_const: 0x44,
  i32_eqz: 0x45, i32_eq: 0x46, i32_ne: 0x47, i32_lt_s: 0x48, i32_lt_u: 0x49, i32_gt_s: 0x4a, i32_gt_u: 0x4b, i32_le_s: 0x4c, i32_le_u: 0x4d, i32_ge_s: 0x4e, i32_ge_u: 0x4f,
  f64_eq: 0x61, f64_ne: 0x62, f64_lt: 0x63, f64_gt: 0x64, f64_le: 0x65, f64_ge: 0x66,
  i32_add: 0x6a, i32_sub: 0x6b, i32_mul: 0x6c, i32_div_u: 0x6e, i32_rem_u: 0x70, i32_and: 0x71, i32_or: 0x72, i32_xor: 0x73, i32_shl: 0x74, i32_shr_u: 0x76, i32_rotl: 0x77,
  i64_add: 0x7c, i64_mul: 0x7e, i64_and: 0x83, i64_or: 0x84, i64_xor: 0x85, i64_shl: 0x86, i64_shr_u: 0x88,
  f32_eq: 0x5b, f32_ne: 0x5c, f32_lt: 0x5d, f32_gt: 0x5e, f32_le: 0x5f, f32_ge: 0x60,
  f32_abs: 0x8b, f32_neg: 0x8c, f32_nearest: 0x90, f32_sqrt: 0x91, f32_add: 0x92, f32_sub: 0x93, f32_mul: 0x94, f32_div: 0x95, f32_min: 0x96, f32_max: 0x97,
  i32_trunc_f32_s: 0xa8, f32_convert_i32_s: 0xb2, f32_convert_i32_u: 0xb3, i32_reinterpret_f32: 0xbc, f32_reinterpret_i32: 0xbe,
  f64_abs: 0x99, f64_neg: 0x9a, f64_floor: 0x9c, f64_nearest: 0x9e, f64_sqrt: 0x9f, f64_add: 0xa0, f64_sub: 0xa1, f64_mul: 0xa2, f64_div: 0xa3, f64_min: 0xa4, f64_max: 0xa5,
  i32_wrap_i64: 0xa7, i32_trunc_f64_s: 0xaa, i64_extend_i32_u: 0xad, i64_trunc_f64_s: 0xb0, f32_demote_f64: 0xb6,
  f64_convert_i32_s: 0xb7, f64_convert_i32_u: 0xb8, f64_convert_i64_s: 0xb9, f64_convert_i64_u: 0xba, f64_promote_f32: 0xbb, i64_reinterpret_f64: 0xbd, f64_reinterpret_i64: 0xbf,
} as const;

/**
 * Saturating float → integer conversions (0xFC prefix, WebAssembly 2.0 / non-trapping
 * conversions): NaN gives 0 and out-of-range values the nearest bound, where the plain
 * conversions trap. Equal to them on every value that fits.
 */
export const Sat = { i32_trunc_sat_f32_s: 0x00, i64_trunc_sat_f64_s: 0x06 } as const;

const f64buf = new DataView(new ArrayBuffer(8));

export { sleb, uleb };

export function slebBig(n: bigint, out: number[]): void {
  let v = BigInt.asIntN(64, n);
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

/** Appends without spreading (large bodies would overflow the argument stack). */
function append(out: number[], more: number[]): void {
  for (let k = 0; k < more.length; k++) out.push(more[k]);
}

/** Instructions of one function body. Locals are declared with `local(type)`. */
export class Code {
  readonly bytes: number[] = [];
  private localTypes: T[] = [];
  constructor(readonly params: T[]) {}

  local(type: T): number {
    this.localTypes.push(type);
    return this.params.length + this.localTypes.length - 1;
  }
  op(...ops: number[]): this {
    for (const o of ops) this.bytes.push(o);
    return this;
  }
  get(i: number): this {
    this.bytes.push(Op.local_get);
    uleb(i, this.bytes);
    return this;
  }
  set(i: number): this {
    this.bytes.push(Op.local_set);
    uleb(i, this.bytes);
    return this;
  }
  tee(i: number): this {
    this.bytes.push(Op.local_tee);
    uleb(i, this.bytes);
    return this;
  }
  i32(n: number): this {
    this.bytes.push(Op.i32_const);
    sleb(n, this.bytes);
    return this;
  }
  i64(n: bigint): this {
    this.bytes.push(Op.i64_const);
    slebBig(n, this.bytes);
    return this;
  }
  f64(x: number): this {
    this.bytes.push(Op.f64_const);
    f64buf.setFloat64(0, x, true);
    for (let k = 0; k < 8; k++) this.bytes.push(f64buf.getUint8(k));
    return this;
  }
  /** Memory access with alignment exponent and a constant offset. */
  mem(op: number, align: number, offset = 0): this {
    this.bytes.push(op);
    uleb(align, this.bytes);
    uleb(offset, this.bytes);
    return this;
  }
  /** A saturating conversion (`Sat`). */
  sat(op: number): this {
    this.bytes.push(0xfc);
    uleb(op, this.bytes);
    return this;
  }
  /** A SIMD instruction, with a memory argument and/or a lane index when it takes them. */
  simd(op: number, mem?: { align: number; offset: number }, lane?: number): this {
    this.bytes.push(0xfd);
    uleb(op, this.bytes);
    if (mem) {
      uleb(mem.align, this.bytes);
      uleb(mem.offset, this.bytes);
    }
    if (lane !== undefined) this.bytes.push(lane);
    return this;
  }
  f32(x: number): this {
    this.bytes.push(Op.f32_const);
    f64buf.setFloat32(0, x, true);
    for (let k = 0; k < 4; k++) this.bytes.push(f64buf.getUint8(k));
    return this;
  }
  /** f64x2 with both lanes = x (a v128.const). */
  f64x2(x: number): this {
    this.simd(V.v128_const);
    for (let lane = 0; lane < 2; lane++) {
      f64buf.setFloat64(0, x, true);
      for (let k = 0; k < 8; k++) this.bytes.push(f64buf.getUint8(k));
    }
    return this;
  }
  /** f32x4 with all lanes = x (a v128.const). */
  f32x4(x: number): this {
    this.simd(V.v128_const);
    for (let lane = 0; lane < 4; lane++) {
      f64buf.setFloat32(0, x, true);
      for (let k = 0; k < 4; k++) this.bytes.push(f64buf.getUint8(k));
    }
    return this;
  }
  /** i32x4 from four lanes (a v128.const). */
  i32x4(lanes: [number, number, number, number]): this {
    this.simd(V.v128_const);
    for (const x of lanes) {
      f64buf.setInt32(0, x, true);
      for (let k = 0; k < 4; k++) this.bytes.push(f64buf.getUint8(k));
    }
    return this;
  }
  call(fn: number): this {
    this.bytes.push(Op.call);
    uleb(fn, this.bytes);
    return this;
  }
  /** block/loop/if with an optional result type. */
  begin(op: number, result?: T): this {
    this.bytes.push(op, result ?? 0x40);
    return this;
  }
  end(): this {
    this.bytes.push(Op.end);
    return this;
  }
  br(op: number, depth: number): this {
    this.bytes.push(op);
    uleb(depth, this.bytes);
    return this;
  }

  encode(): number[] {
    const out: number[] = [];
    // Locals grouped by runs of equal type.
    const groups: [number, T][] = [];
    for (const t of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    uleb(groups.length, out);
    for (const [n, t] of groups) {
      uleb(n, out);
      out.push(t);
    }
    append(out, this.bytes);
    out.push(Op.end);
    const sized: number[] = [];
    uleb(out.length, sized);
    append(sized, out);
    return sized;
  }
}

interface FuncDef {
  type: number;
  code: Code;
  export?: string;
}

export class ModuleBuilder {
  private types: { params: T[]; results: T[] }[] = [];
  private imports: { module: string; name: string; type: number }[] = [];
  private funcs: FuncDef[] = [];
  private memoryImport?: { module: string; name: string; minPages: number; maxPages?: number };

  importMemory(module: string, name: string, minPages: number, maxPages?: number): void {
    this.memoryImport = { module, name, minPages, maxPages };
  }

  private typeIndex(params: T[], results: T[]): number {
    const k = this.types.findIndex((t) => t.params.join() === params.join() && t.results.join() === results.join());
    if (k >= 0) return k;
    this.types.push({ params, results });
    return this.types.length - 1;
  }

  /** Imports must be declared before any function is added; returns the function index. */
  importFunc(module: string, name: string, params: T[], results: T[]): number {
    if (this.funcs.length) throw new Error('imports must come before functions');
    this.imports.push({ module, name, type: this.typeIndex(params, results) });
    return this.imports.length - 1;
  }

  /** Reserves a function index (so functions can call each other in any order). */
  declare(params: T[], results: T[], exportName?: string): { index: number; code: Code } {
    const code = new Code(params);
    this.funcs.push({ type: this.typeIndex(params, results), code, export: exportName });
    return { index: this.imports.length + this.funcs.length - 1, code };
  }

  encode(): Uint8Array {
    const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    const section = (id: number, body: number[]) => {
      out.push(id);
      uleb(body.length, out);
      append(out, body);
    };
    const str = (s: string, b: number[]) => {
      const bytes = new TextEncoder().encode(s);
      uleb(bytes.length, b);
      b.push(...bytes);
    };
    // types
    {
      const b: number[] = [];
      uleb(this.types.length, b);
      for (const t of this.types) {
        b.push(0x60);
        uleb(t.params.length, b);
        b.push(...t.params);
        uleb(t.results.length, b);
        b.push(...t.results);
      }
      section(1, b);
    }
    // imports
    {
      const b: number[] = [];
      uleb(this.imports.length + (this.memoryImport ? 1 : 0), b);
      if (this.memoryImport) {
        const m = this.memoryImport;
        str(m.module, b);
        str(m.name, b);
        b.push(0x02);
        if (m.maxPages !== undefined) {
          b.push(0x01);
          uleb(m.minPages, b);
          uleb(m.maxPages, b);
        } else {
          b.push(0x00);
          uleb(m.minPages, b);
        }
      }
      for (const imp of this.imports) {
        str(imp.module, b);
        str(imp.name, b);
        b.push(0x00);
        uleb(imp.type, b);
      }
      section(2, b);
    }
    // functions
    {
      const b: number[] = [];
      uleb(this.funcs.length, b);
      for (const f of this.funcs) uleb(f.type, b);
      section(3, b);
    }
    // exports
    {
      const b: number[] = [];
      const ex = this.funcs.map((f, k) => ({ f, k })).filter((x) => x.f.export);
      uleb(ex.length, b);
      for (const { f, k } of ex) {
        str(f.export!, b);
        b.push(0x00);
        uleb(this.imports.length + k, b);
      }
      section(7, b);
    }
    // code
    {
      const b: number[] = [];
      uleb(this.funcs.length, b);
      for (const f of this.funcs) append(b, f.code.encode());
      section(10, b);
    }
    return new Uint8Array(out);
  }
}
