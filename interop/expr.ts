// Expressions of the model IR printed for Python simulators (Brian2 strings): every constant of
// the IR is a folded SI number without its dimension, so the printer infers the dimension each
// constant must carry from its neighbours (the other side of a sum or comparison, the expected
// dimension of a product) and writes it with a Brian2 unit, so Brian2's unit checks pass.
import type { DimIR, ExprIR } from '../protocol/ir';

export const DIMLESS: DimIR = [0, 0, 0, 0, 0, 0, 0];
export const SECOND: DimIR = [0, 0, 1, 0, 0, 0, 0];
export const dimAdd = (a: DimIR, b: DimIR): DimIR => a.map((x, k) => x + b[k]) as DimIR;
export const dimSub = (a: DimIR, b: DimIR): DimIR => a.map((x, k) => x - b[k]) as DimIR;
export const dimScale = (a: DimIR, s: number): DimIR => a.map((x) => x * s) as DimIR;
export const dimEq = (a: DimIR, b: DimIR) => a.every((x, k) => Math.abs(x - b[k]) < 1e-12);
export const isDimless = (a: DimIR) => dimEq(a, DIMLESS);

/** Brian2's names of the units with a name; other dimensions as products of base units. */
const NAMED: [string, DimIR][] = [
  ['volt', [2, 1, -3, -1, 0, 0, 0]],
  ['amp', [0, 0, 0, 1, 0, 0, 0]],
  ['siemens', [-2, -1, 3, 2, 0, 0, 0]],
  ['farad', [-2, -1, 4, 2, 0, 0, 0]],
  ['ohm', [2, 1, -3, -2, 0, 0, 0]],
  ['second', [0, 0, 1, 0, 0, 0, 0]],
  ['hertz', [0, 0, -1, 0, 0, 0, 0]],
  ['coulomb', [0, 0, 1, 1, 0, 0, 0]],
  ['volt/second', [2, 1, -4, -1, 0, 0, 0]],
  ['amp/second', [0, 0, -1, 1, 0, 0, 0]],
  ['siemens/second', [-2, -1, 2, 2, 0, 0, 0]],
  ['siemens/volt', [-4, -2, 6, 3, 0, 0, 0]],
  ['metre', [1, 0, 0, 0, 0, 0, 0]],
  ['mole/metre**3', [-3, 0, 0, 0, 0, 1, 0]],
];
const BASES = ['metre', 'kilogram', 'second', 'amp', 'kelvin', 'mole', 'candela'];

/** A Brian2 unit expression for a dimension ('1' when dimensionless). */
export function brianUnit(dim: DimIR): string {
  if (isDimless(dim)) return '1';
  const hit = NAMED.find(([, d]) => dimEq(d, dim));
  if (hit) return hit[0];
  return dim.flatMap((x, k) => (x === 0 ? [] : [x === 1 ? BASES[k] : `${BASES[k]}**${fmtNum(x)}`])).join('*');
}

/** A number as Python reads it back exactly (shortest round-trip form). */
export function fmtNum(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return String(x);
}

/** A quantity: the SI number times its unit (`0.005*second`), a plain number when dimensionless. */
export function quantity(value: number, dim: DimIR): string {
  const u = brianUnit(dim);
  return u === '1' ? fmtNum(value) : `${fmtNum(value)}*${u}`;
}

/** What names mean where an expression is printed: their dimensions and their spelling. */
export interface ExprEnv {
  /** Dimension of a parameter/state/alias of the model (undefined: unknown name). */
  dim(kind: 'param' | 'state' | 'alias', name: string): DimIR | undefined;
  /** Synapses only: the pre/post neuron's variable, the weight, the target variable. */
  pre?(name: string): DimIR | undefined;
  post?(name: string): DimIR | undefined;
  weight?: DimIR;
  /** The synaptic weight's name in the script (`w`, or `w_syn` where a neuron has a `w`). */
  weightName?: string;
  target?: { name: string; dim: DimIR };
}

export class Unsupported extends Error {}

const CMP = new Set(['lt', 'le', 'gt', 'ge', 'eq', 'ne']);
const DIMLESS_FNS = new Set(['exp', 'exprel', 'log', 'sin', 'cos', 'tanh', 'sigmoid', 'heaviside']);

/** The dimension of `e`, or undefined where it is a bare constant whose dimension comes from context. */
export function dimOf(e: ExprIR, env: ExprEnv): DimIR | undefined {
  switch (e.op) {
    case 'const':
      return undefined;
    case 'param':
    case 'state':
    case 'alias':
      return env.dim(e.op, e.name);
    case 'builtin':
      return e.name === 't' || e.name === 'dt' ? SECOND : DIMLESS;
    case 'weight':
      return env.weight;
    case 'target':
      return env.target?.dim;
    case 'pre':
      return env.pre?.(e.name);
    case 'post':
      return env.post?.(e.name);
    case 'mod':
      return undefined;
    case 'neg':
      return dimOf(e.args[0], env);
    case 'not':
      return DIMLESS;
    case 'call': {
      if (DIMLESS_FNS.has(e.fn) || e.fn === 'rand' || e.fn === 'randn') return DIMLESS;
      if (e.fn === 'sqrt') {
        const d = dimOf(e.args[0], env);
        return d && dimScale(d, 0.5);
      }
      for (const a of e.args) {
        const d = dimOf(a, env);
        if (d) return d;
      }
      return undefined;
    }
    default: {
      const [a, b] = e.args;
      if (CMP.has(e.op) || e.op === 'and' || e.op === 'or') return DIMLESS;
      if (e.op === 'div' && a.op === 'call' && a.fn === 'randn') return dimScale(SECOND, -0.5); // xi
      const da = dimOf(a, env);
      const db = dimOf(b, env);
      if (e.op === 'add' || e.op === 'sub' || e.op === 'remainder') return da ?? db;
      if (e.op === 'pow') return da && b.op === 'const' ? dimScale(da, b.value) : da && DIMLESS;
      // A bare constant's dimension is unknown here: so is the product's (the context decides).
      if (da === undefined || db === undefined) return undefined;
      return e.op === 'mul' ? dimAdd(da, db) : dimSub(da, db);
    }
  }
}

const PREC: Record<string, number> = { or: 1, and: 2, lt: 4, le: 4, gt: 4, ge: 4, eq: 4, ne: 4, add: 5, sub: 5, mul: 6, div: 6, remainder: 6, pow: 8 };
const SYM: Record<string, string> = { or: 'or', and: 'and', lt: '<', le: '<=', gt: '>', ge: '>=', eq: '==', ne: '!=', add: '+', sub: '-', mul: '*', div: '/', remainder: '%', pow: '**' };

/**
 * `e` as a Brian2 expression; `want` is the dimension the context expects (for constants).
 * Throws Unsupported for what Brian2 cannot say (a modulator's variable).
 */
export function brianExpr(e: ExprIR, env: ExprEnv, want?: DimIR): string {
  return paren(print(e, env, want), 0, prec(e));
}

function prec(e: ExprIR): number {
  if (e.op === 'const') return e.value < 0 ? 7 : 10;
  if (e.op === 'neg' || e.op === 'not') return 7;
  return PREC[e.op] ?? 10;
}

function paren(s: string, outer: number, inner: number): string {
  return inner < outer ? `(${s})` : s;
}

function print(e: ExprIR, env: ExprEnv, want: DimIR | undefined): string {
  const sub = (x: ExprIR, w: DimIR | undefined, outer: number) => paren(print(x, env, w), outer, prec(x));
  switch (e.op) {
    case 'const': {
      if (want && !isDimless(want)) {
        return `(${quantity(e.value, want)})`;
      }
      return fmtNum(e.value);
    }
    case 'param':
    case 'state':
    case 'alias':
      return e.name;
    case 'builtin':
      return e.name;
    case 'weight':
      return env.weightName ?? 'w';
    case 'target':
      if (!env.target) throw new Unsupported('`target` outside a connection with a target');
      return `${env.target.name}_post`;
    case 'pre':
      return `${e.name}_pre`;
    case 'post':
      return `${e.name}_post`;
    case 'mod':
      throw new Unsupported(`the modulator's ${e.name} (modulated_by) has no Brian2 equivalent here`);
    case 'neg':
      return `-${sub(e.args[0], want, 7)}`;
    case 'not':
      return `not ${sub(e.args[0], DIMLESS, 7)}`;
    case 'call':
      return call(e, env, want);
    default: {
      const [a, b] = e.args;
      // White noise: randn()/sqrt(dt) is how the IR writes xi (Euler–Maruyama).
      if (e.op === 'div' && a.op === 'call' && a.fn === 'randn' && b.op === 'call' && b.fn === 'sqrt' && b.args[0].op === 'builtin' && b.args[0].name === 'dt') return 'xi';
      const p = PREC[e.op];
      let wa: DimIR | undefined;
      let wb: DimIR | undefined;
      const da = dimOf(a, env);
      const db = dimOf(b, env);
      if (e.op === 'add' || e.op === 'sub' || e.op === 'remainder') {
        // The context's dimension where it is known (the checker made both sides agree with it).
        wa = wb = want ?? da ?? db;
      } else if (CMP.has(e.op)) {
        wa = wb = da ?? db;
      } else if (e.op === 'and' || e.op === 'or') {
        wa = wb = DIMLESS;
      } else if (e.op === 'mul') {
        wa = da ?? (want && db ? dimSub(want, db) : want && b.op === 'const' ? want : undefined);
        wb = db ?? (want ? dimSub(want, wa ?? DIMLESS) : undefined);
      } else if (e.op === 'div') {
        wa = da ?? (want ? dimAdd(want, db ?? DIMLESS) : undefined);
        wb = db ?? (want ? dimSub(wa ?? DIMLESS, want) : undefined);
      } else if (e.op === 'pow') {
        wa = da ?? (want && b.op === 'const' ? dimScale(want, 1 / b.value) : undefined);
        wb = DIMLESS;
      }
      const left = paren(print(a, env, wa), p, prec(a));
      // Right operands of - / % ** bind tighter (a - (b - c)); comparisons never chain.
      const strict = e.op === 'sub' || e.op === 'div' || e.op === 'remainder' || CMP.has(e.op) || e.op === 'pow';
      const right = paren(print(b, env, wb), strict ? p + 1 : p, prec(b));
      return `${left} ${SYM[e.op]} ${right}`;
    }
  }
}

function call(e: Extract<ExprIR, { op: 'call' }>, env: ExprEnv, want: DimIR | undefined): string {
  const same = () => {
    const d = e.args.map((a) => dimOf(a, env)).find((x) => x) ?? want;
    return e.args.map((a) => print(a, env, d));
  };
  const one = (w: DimIR | undefined) => print(e.args[0], env, w);
  switch (e.fn) {
    case 'rand':
    case 'randn':
      return `${e.fn}()`;
    case 'sigmoid':
      return `1/(1 + exp(-(${one(DIMLESS)})))`;
    case 'heaviside':
      return `int((${one(DIMLESS)}) > 0)`;
    case 'relu': {
      const [x] = same();
      return `((${x}) + abs(${x}))/2`;
    }
    case 'min':
    case 'max': {
      const [x, y] = same();
      return `((${x}) + (${y}) ${e.fn === 'min' ? '-' : '+'} abs((${x}) - (${y})))/2`;
    }
    case 'abs':
    case 'clip':
      return `${e.fn}(${same().join(', ')})`;
    case 'sqrt':
      return `sqrt(${one(want ? dimScale(want, 2) : undefined)})`;
    default:
      if (!DIMLESS_FNS.has(e.fn)) throw new Unsupported(`function ${e.fn}() has no Brian2 equivalent here`);
      return `${e.fn}(${e.args.map((a) => print(a, env, DIMLESS)).join(', ')})`;
  }
}
