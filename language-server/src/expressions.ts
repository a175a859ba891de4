// Typing and constant evaluation of expressions: every expression gets a dimension, and a
// value in SI units when it is constant. Unit errors are reported here.
import { MATH_FUNCTIONS } from '../../protocol/functions';
import type * as A from './ast';
import { Severity, type Diagnostic } from './diagnostics';
import { closest } from './parser';
import { CONSTANTS, DISTRIBUTIONS, FUNCTIONS } from './schema';
import { DIMENSIONLESS, brian2Unit, dimName, div, isDimensionless, lookupUnit, mul, pow, preferredUnit, sameDim, type Dim } from './units';
import type { Sym } from './symbols';

/** A distribution of values, parameters in SI units. */
export interface Dist {
  dist: 'normal' | 'uniform' | 'lognormal' | 'exponential';
  args: number[];
}

export interface Ty {
  /** null: unknown or dimension-polymorphic (e.g. a bare 0); checks are skipped. */
  dim: Dim | null;
  bool?: boolean;
  /** Constant value in SI units. */
  value?: number;
  /** A non-zero number written without a unit. */
  bare?: boolean;
  dist?: Dist;
  str?: string;
  list?: Ty[];
  range?: [Ty, Ty];
}

export interface Binding {
  dim: Dim | null;
  value?: number;
  sym?: Sym;
  /** Value not known yet (being computed): used to detect cycles. */
  pending?: boolean;
}

export interface Env {
  lookup(name: string, span: A.Span): Binding | undefined;
  /** pre.x, post.x, mod.x, pop.var ... */
  member?(object: string, member: A.Ident): Binding | undefined;
  names(): Iterable<string>;
  /** Distributions allowed (initial values, weights, delays). */
  allowDist?: boolean;
  /** rand()/randn() allowed (equations, statements). */
  allowRandom?: boolean;
  /** `a % b` allowed (a connection rule's condition only: the engine evaluates it there, nowhere else). */
  allowRemainder?: boolean;
  /** What unknown names are, for messages ("parameter or state variable of LIF"). */
  context: string;
}

export interface Sink {
  diag(d: Diagnostic): void;
  ref(span: A.Span, sym: Sym): void;
  /** The text the checked expressions' offsets point into, where fixes may quote it. */
  readonly source?: string;
}

const unitCache = new Map<string, { dim: Dim; scale: number }>();

export function unitOf(u: A.UnitExpr, sink: Sink | undefined): { dim: Dim; scale: number } | undefined {
  // Most literals repeat a handful of units: cache the known ones (unknown ones are reported each time).
  const key = u.terms.length === 1 ? `${u.terms[0].symbol}^${u.terms[0].exp}` : u.terms.map((t) => `${t.symbol}^${t.exp}`).join(' ');
  const hit = unitCache.get(key);
  if (hit) return hit;
  const r = computeUnit(u, sink);
  if (r && unitCache.size < 10000) unitCache.set(key, r);
  return r;
}

function computeUnit(u: A.UnitExpr, sink: Sink | undefined): { dim: Dim; scale: number } | undefined {
  let dim: Dim = DIMENSIONLESS;
  let scale = 1;
  let ok = true;
  for (const t of u.terms) {
    if (t.symbol === '1') continue;
    const info = lookupUnit(t.symbol);
    const brian = info ? undefined : brian2Unit(t.symbol);
    if (brian) {
      // A Brian2 unit name after a number (5 msecond): say what to write.
      ok = false;
      sink?.diag({
        start: t.start, end: t.start + t.symbol.length, severity: Severity.Error, code: 'unknown-unit',
        message: `'${t.symbol}' is Brian2's name for ${brian}; write ${brian}`,
        fixes: [{ kind: 'replace', start: t.start, end: t.start + t.symbol.length, text: brian, title: `Write '${brian}'` }],
      });
      continue;
    }
    if (!info) {
      ok = false;
      const guess = closest(t.symbol, ['ms', 's', 'Hz', 'mV', 'V', 'nS', 'uS', 'pA', 'nA', 'pF', 'nF', 'MOhm', 'mM', 'um', 'mm', 'weight']);
      sink?.diag({
        start: t.start, end: t.end, severity: Severity.Error, code: 'unknown-unit',
        message: `unknown unit '${t.symbol}'${guess ? ` (did you mean '${guess}'?)` : ''}`,
        fixes: guess ? [{ kind: 'replace', start: t.start, end: t.start + t.symbol.length, text: guess, title: `Change to '${guess}'` }] : undefined,
      });
      continue;
    }
    dim = mul(dim, pow(info.dim, t.exp));
    scale *= Math.pow(info.scale, t.exp);
  }
  return ok ? { dim, scale } : undefined;
}

/** value × scale, rounding like the decimal the user wrote: 6 nS → 6e-9 exactly, not 6.000000000000001e-9. */
export function toSI(value: number, scale: number): number {
  if (scale >= 1) return value * scale;
  const inv = 1 / scale;
  const r = Math.round(inv);
  return Math.abs(inv - r) < 1e-9 * r ? value / r : value * scale;
}

const CMP = new Set(['<', '<=', '>', '>=', '==', '!=']);

/** The SI value of a number literal as the checker folds it (undefined where it reports an error). */
export function literalValue(e: A.NumberLit): number | undefined {
  if (!Number.isFinite(e.value)) return undefined;
  if (!e.unit) return e.value;
  const u = unitOf(e.unit, undefined);
  if (!u) return undefined;
  const v = toSI(e.value, u.scale);
  return Number.isFinite(v) ? v : undefined;
}

export class ExprChecker {
  /**
   * `types`, when given, records the type and folded value of every expression passed to check()
   * (not of its parts): the checker's side table that lowering reads instead of typing again.
   */
  constructor(private sink: Sink, public types?: Map<A.Expr, Ty>) {}

  /** Types and folds `e` in `env`, reporting problems to the sink. */
  check(e: A.Expr, env: Env): Ty {
    const t = this.infer(e, env);
    this.types?.set(e, t);
    return t;
  }

  private error(span: A.Span, message: string, code = 'unit-mismatch', fixes?: Diagnostic['fixes']): void {
    this.sink.diag({ start: span.start, end: span.end, severity: Severity.Error, message, code, fixes });
  }

  /** Reports a bare number where `dim` is needed, with a quick fix adding a unit. */
  bareNumber(e: A.Expr, dim: Dim, where: string): void {
    const lit = findBare(e);
    const u = preferredUnit(dim);
    const span = lit ?? e;
    this.error(
      span,
      lit
        ? `${where}: the number ${lit.value} needs a unit of ${dimName(dim)}${u ? ` (e.g. ${lit.value} ${u.symbol})` : ''}`
        : `${where}: this value is dimensionless but must be ${dimName(dim)}${u ? ` (e.g. multiply by 1 ${u.symbol})` : ''}`,
      'missing-unit',
      u && lit ? [{ kind: 'addUnit', offset: lit.end, unit: u.symbol }] : undefined,
    );
  }

  /** Checks that `ty` has dimension `dim`; reports a mismatch naming both in words. */
  expectDim(e: A.Expr, ty: Ty, dim: Dim, where: string): boolean {
    if (ty.bool) {
      this.error(e, `${where} must be a value of ${dimName(dim)}, not a condition`, 'not-value');
      return false;
    }
    if (ty.dim === null) return true;
    if (sameDim(ty.dim, dim)) return true;
    if (ty.bare && isDimensionless(ty.dim) && !isDimensionless(dim)) {
      this.bareNumber(e, dim, where);
      return false;
    }
    this.error(e, `unit mismatch: ${dimName(ty.dim)} vs ${dimName(dim)} (${where} must be ${dimName(dim)}, this is ${dimName(ty.dim)})`);
    return false;
  }

  /**
   * A constant that folds to NaN or ±Infinity (0/0, 1e308*10, log(0), sqrt(-1)) is an error at its
   * expression; its value is dropped so that nothing downstream (ranges, the IR) sees it.
   */
  private finite(e: A.Expr, t: Ty): Ty {
    if (t.value === undefined || Number.isFinite(t.value)) return t;
    const what = Number.isNaN(t.value) ? 'is not a number (NaN)' : `is ${t.value > 0 ? '' : 'minus '}infinity (beyond 1.8e308 in SI units)`;
    this.error(e, `this constant ${what}; check the arithmetic`, 'not-finite');
    return { ...t, value: undefined };
  }

  /** A literal's type and SI value (literalValue: the value alone, for lowering). */
  private numberTy(e: A.NumberLit): Ty {
    if (!Number.isFinite(e.value) || (e.unit && !Number.isFinite(toSI(e.value, unitOf(e.unit, undefined)?.scale ?? 1)))) {
      this.error(e, 'number too large (beyond 1.8e308 in SI units)', 'out-of-range');
      return { dim: null };
    }
    if (!e.unit) return e.value === 0 ? { dim: null, value: 0 } : { dim: DIMENSIONLESS, value: e.value, bare: true };
    const u = unitOf(e.unit, this.sink);
    if (!u) return { dim: null };
    return { dim: u.dim, value: toSI(e.value, u.scale) };
  }

  private infer(e: A.Expr, env: Env): Ty {
    switch (e.kind) {
      case 'number':
        return this.numberTy(e);
      case 'string':
        return { dim: null, str: e.value };
      case 'bool':
        return { dim: DIMENSIONLESS, bool: true, value: e.value ? 1 : 0 };
      case 'error':
        return { dim: null };
      case 'name': {
        const b = env.lookup(e.name, e);
        if (!b && Object.hasOwn(CONSTANTS, e.name)) return { dim: DIMENSIONLESS, value: CONSTANTS[e.name].value };
        const unit = b ? undefined : unitWrittenAsName(e.name);
        if (unit) {
          // `x * mV` or `5*msecond` without a number right before: a unit used as a name.
          const brian = unit !== e.name ? ` ('${e.name}' is Brian2's name for ${unit})` : '';
          this.error(e, `'${e.name}' is a unit, not a name${brian}: units follow the number without '*' (write 1 ${unit})`, 'unit-as-name',
            [{ kind: 'replace', start: e.start, end: e.end, text: `1 ${unit}`, title: `Write '1 ${unit}'` }]);
          return { dim: null };
        }
        if (!b) {
          const guess = closest(e.name, env.names());
          this.error(e, `unknown name '${e.name}'${guess ? ` (did you mean '${guess}'?)` : ''}; expected ${env.context}`, 'unknown-name',
            guess ? [{ kind: 'replace', start: e.start, end: e.end, text: guess, title: `Change to '${guess}'` }] : undefined);
          return { dim: null };
        }
        if (b.sym) this.sink.ref(e, b.sym);
        return { dim: b.dim, value: b.value };
      }
      case 'member': {
        if (e.object.kind === 'name' && env.member) {
          const b = env.member(e.object.name, e.member);
          if (b) {
            if (b.sym) this.sink.ref(e.member, b.sym);
            return { dim: b.dim, value: b.value };
          }
          return { dim: null };
        }
        this.error(e, `'.${e.member.name}' is not allowed here`, 'bad-expression');
        return { dim: null };
      }
      case 'index':
        this.infer(e.object, env);
        this.error(e, 'indexing is only allowed in population selectors (exc[0..9])', 'bad-expression');
        return { dim: null };
      case 'list': {
        const list = e.items.map((x) => this.infer(x, env));
        return { dim: null, list };
      }
      case 'range': {
        const a = this.infer(e.from, env);
        const b = this.infer(e.to, env);
        this.same(a, b, e.from, e.to, 'the two ends of a range');
        return { dim: a.dim ?? b.dim, range: [a, b] };
      }
      case 'unary': {
        const t = this.infer(e.operand, env);
        if (e.op === 'not') return { dim: DIMENSIONLESS, bool: true };
        return { ...t, value: t.value === undefined ? undefined : e.op === '-' ? -t.value : t.value, dist: undefined };
      }
      case 'binary':
        return this.finite(e, this.binary(e, env));
      case 'call':
        return this.finite(e, this.call(e, env));
    }
  }

  /** Two operands must have the same dimension (addition, comparison, clip bounds ...). */
  same(a: Ty, b: Ty, ea: A.Expr, eb: A.Expr, what: string): Dim | null {
    if (a.dim === null) return b.dim;
    if (b.dim === null) return a.dim;
    if (sameDim(a.dim, b.dim)) return a.dim;
    if (a.bare && !isDimensionless(b.dim)) {
      this.bareNumber(ea, b.dim, what);
      return b.dim;
    }
    if (b.bare && !isDimensionless(a.dim)) {
      this.bareNumber(eb, a.dim, what);
      return a.dim;
    }
    this.error({ start: ea.start, end: eb.end }, `unit mismatch: ${dimName(a.dim)} vs ${dimName(b.dim)} (cannot combine them in ${what})`);
    return null;
  }

  private binary(e: A.Binary, env: Env): Ty {
    const written = this.unitTimesNumber(e, env);
    if (written) return written;
    const a = this.infer(e.left, env);
    const b = this.infer(e.right, env);
    const val = (f: (x: number, y: number) => number) => (a.value !== undefined && b.value !== undefined ? f(a.value, b.value) : undefined);
    switch (e.op) {
      case '+':
      case '-': {
        this.noDist(a, e.left);
        this.noDist(b, e.right);
        const dim = this.same(a, b, e.left, e.right, e.op === '+' ? 'a sum' : 'a difference');
        return { dim, value: val((x, y) => (e.op === '+' ? x + y : x - y)) };
      }
      case '*':
      case '/': {
        this.noDist(a, e.left);
        this.noDist(b, e.right);
        const byZero = e.op === '/' && b.value === 0;
        if (byZero) this.error(e.right, 'division by zero', 'division-by-zero');
        if (e.op === '/' && b.value === undefined) this.singularQuotient(e);
        const dim = a.dim && b.dim ? (e.op === '*' ? mul(a.dim, b.dim) : div(a.dim, b.dim)) : a.value === 0 || b.value === 0 ? null : null;
        // Division by zero is reported once, above: no value (NaN or infinity) comes out of it.
        return { dim, value: byZero ? undefined : val((x, y) => (e.op === '*' ? x * y : x / y)), bare: a.bare && b.bare };
      }
      case '%': {
        if (!env.allowRemainder) {
          this.error(e, "'%' (remainder) is available only in a connection rule's condition, e.g. rule: where(j == (i + 1) % N_post)", 'bad-expression');
          return { dim: null };
        }
        this.noDist(a, e.left);
        this.noDist(b, e.right);
        const byZero = b.value === 0;
        if (byZero) this.error(e.right, 'remainder of a division by zero', 'division-by-zero');
        const dim = this.same(a, b, e.left, e.right, 'a remainder');
        // Floored, as Python's and Brian2's %: the result has the sign of the divisor.
        return { dim, value: byZero ? undefined : val((x, y) => x - y * Math.floor(x / y)), bare: a.bare && b.bare };
      }
      case '^': {
        if (b.dim && !isDimensionless(b.dim)) this.error(e.right, `an exponent must be dimensionless, this is ${dimName(b.dim)}`);
        let dim: Dim | null = a.dim;
        if (a.dim && !isDimensionless(a.dim)) {
          if (b.value === undefined) {
            this.error(e.right, `raising ${dimName(a.dim)} to a power needs a constant exponent`);
            dim = null;
          } else dim = pow(a.dim, b.value);
        }
        return { dim, value: val(Math.pow), bare: a.bare };
      }
      case 'and':
      case 'or':
        if (!a.bool && a.dim !== null) this.error(e.left, `'${e.op}' needs a condition (a comparison) on its left`, 'not-boolean');
        if (!b.bool && b.dim !== null) this.error(e.right, `'${e.op}' needs a condition (a comparison) on its right`, 'not-boolean');
        return { dim: DIMENSIONLESS, bool: true };
      default:
        if (CMP.has(e.op)) {
          this.same(a, b, e.left, e.right, 'a comparison');
          return { dim: DIMENSIONLESS, bool: true };
        }
        return { dim: null };
    }
  }

  /**
   * `N / (exp(u) - 1)` (or `1 - exp(u)`): the denominator is 0 where u crosses 0, a 0/0 when N
   * vanishes there too (the Hodgkin–Huxley rate functions) — NaN stops the run. A warning that
   * names exprel(); a fix when N is u itself (u / (exp(u) - 1) = 1 / exprel(u)).
   */
  private singularQuotient(e: A.Binary): void {
    const d = e.right;
    if (d.kind !== 'binary' || d.op !== '-') return;
    const isOne = (x: A.Expr) => x.kind === 'number' && !x.unit && x.value === 1;
    const isExp = (x: A.Expr): x is A.Call => x.kind === 'call' && x.callee.name === 'exp' && x.args.length === 1;
    const sign = isExp(d.left) && isOne(d.right) ? 1 : isOne(d.left) && isExp(d.right) ? -1 : 0;
    if (!sign) return;
    const call = (sign > 0 ? d.left : d.right) as A.Call;
    const u = call.args[0].value;
    const src = this.sink.source;
    const fixes: Diagnostic['fixes'] =
      src && sameExpr(e.left, u)
        ? [{ kind: 'replace', start: e.start, end: e.end, text: `${sign > 0 ? '' : '-'}1 / exprel(${src.slice(u.start, u.end)})`, title: 'Write it with exprel()' }]
        : undefined;
    const form = sign > 0 ? 'exp(u) - 1' : '1 - exp(u)';
    this.sink.diag({
      start: e.start, end: e.end, severity: Severity.Warning, code: 'singular-quotient', fixes,
      message: `${form} is 0 where u = 0: this quotient is 0/0 there if its numerator vanishes too, and NaN stops the run; write u / (${form}) as ${sign > 0 ? '' : '-'}1 / exprel(u), which is exact at 0`,
    });
  }

  /**
   * `5*pA`, `5 * ms`, `5*msecond` (Brian2's way of attaching a unit): one error at the product
   * with the fix `5 pA`, typed as the quantity it means so that nothing else is reported about it.
   */
  private unitTimesNumber(e: A.Binary, env: Env): Ty | undefined {
    const l = e.left;
    const lit = l.kind === 'number' ? l : l.kind === 'unary' && l.op !== 'not' && l.operand.kind === 'number' ? l.operand : undefined;
    if (e.op !== '*' || !lit || lit.unit || e.right.kind !== 'name' || env.lookup(e.right.name, e.right)) return undefined;
    const name = e.right.name;
    const unit = unitWrittenAsName(name);
    const info = unit ? lookupUnit(unit) : undefined;
    if (!unit || !info) return undefined;
    const value = l.kind === 'unary' && l.op === '-' ? -lit.value : lit.value;
    const text = `${value} ${unit}`;
    const brian = unit !== name ? `; '${name}' is Brian2's name for ${unit}` : '';
    this.error(e, `write ${text}: units follow the number without '*'${brian}`, 'unit-as-name', [{ kind: 'replace', start: e.start, end: e.end, text, title: `Write '${text}'` }]);
    return { dim: info.dim, value: toSI(value, info.scale) };
  }

  private noDist(t: Ty, e: A.Expr): void {
    if (t.dist) this.error(e, 'a distribution cannot be combined with arithmetic; put the arithmetic inside its arguments', 'bad-expression');
  }

  private call(e: A.Call, env: Env): Ty {
    const name = e.callee.name;
    const dist = DISTRIBUTIONS[name];
    if (dist) {
      if (!env.allowDist) {
        this.error(e.callee, `${name}() draws values once (initial values, weights, delays); inside equations use randn() or rand()`, 'bad-expression');
      }
      const args = e.args.map((a) => this.infer(a.value, env));
      if (args.length !== dist.params.length) {
        this.error(e, `${name}() takes ${dist.params.length} argument${dist.params.length > 1 ? 's' : ''} (${dist.params.join(', ')}), got ${args.length}`, 'bad-arguments');
        return { dim: args[0]?.dim ?? null };
      }
      let dim: Dim | null = args[0].dim;
      if (name === 'lognormal') {
        if (args[1].dim && !isDimensionless(args[1].dim)) this.error(e.args[1].value, 'the sigma of lognormal() is dimensionless (σ of the logarithm)');
      } else if (args.length === 2) dim = this.same(args[0], args[1], e.args[0].value, e.args[1].value, `the arguments of ${name}()`);
      if (name === 'normal' && args[1].value !== undefined && args[1].value < 0) this.error(e.args[1].value, 'the standard deviation of normal() must not be negative', 'out-of-range');
      if (name === 'uniform' && args[0].value !== undefined && args[1].value !== undefined && args[1].value < args[0].value) this.error(e, 'uniform(lo, hi) needs lo ≤ hi', 'out-of-range');
      const values = args.map((a) => a.value);
      const known = values.every((v) => v !== undefined);
      const bare = args.every((a) => a.bare || a.value === 0) && args.some((a) => a.bare);
      // Already reported as misplaced: do not also complain about arithmetic around it.
      if (!env.allowDist) return { dim: bare ? DIMENSIONLESS : dim, bare };
      return { dim: bare ? DIMENSIONLESS : dim, bare, dist: known ? { dist: name as Dist['dist'], args: values as number[] } : undefined };
    }
    const fn = FUNCTIONS[name];
    if (!fn && name === 'linked') {
      // Only a population's parameter value (check/linked.ts); its argument names another population.
      this.error(e, "linked(…) is a population's parameter value: population p = Model[n] { I_mod = linked(source.v) }, with I_mod a parameter of Model that its equations read", 'misplaced');
      return { dim: null };
    }
    if (!fn) {
      const guess = closest(name, [...Object.keys(FUNCTIONS), ...Object.keys(DISTRIBUTIONS)]);
      this.error(e.callee, `unknown function '${name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
        guess ? [{ kind: 'replace', start: e.callee.start, end: e.callee.end, text: guess, title: `Change to '${guess}'` }] : undefined);
      e.args.forEach((a) => this.infer(a.value, env));
      return { dim: null };
    }
    const args = e.args.map((a) => this.infer(a.value, env));
    if (args.length !== fn.arity) {
      this.error(e, `${name}() takes ${fn.arity} argument${fn.arity === 1 ? '' : 's'}, got ${args.length}`, 'bad-arguments');
      return { dim: null };
    }
    e.args.forEach((a) => {
      if (a.name) this.error(a.name, `${name}() takes no named arguments`, 'bad-arguments');
    });
    const v = args.map((a) => a.value);
    const allConst = v.every((x) => x !== undefined);
    switch (name) {
      case 'rand':
      case 'randn':
        if (!env.allowRandom && env.allowRemainder) this.error(e, `${name}() cannot be part of a connection condition (it must be the same for a pair whenever it is tested); for random pairs give the rule a probability: where(condition, p = 0.1)`, 'bad-expression');
        else if (!env.allowRandom) this.error(e, `${name}() is only allowed in equations and statements; for initial values use a distribution such as uniform() or normal()`, 'bad-expression');
        return { dim: DIMENSIONLESS };
      case 'abs':
      case 'relu':
        return { dim: args[0].dim, value: allConst ? (name === 'abs' ? Math.abs(v[0]!) : Math.max(0, v[0]!)) : undefined };
      case 'sqrt': {
        // Fractional dimensions are fine in between (sigma * sqrt(2 / tau) * xi); where one
        // meets a declared unit it is a unit mismatch there.
        const dim = args[0].dim ? pow(args[0].dim, 0.5) : null;
        return { dim, value: allConst ? Math.sqrt(v[0]!) : undefined };
      }
      case 'min':
      case 'max': {
        const dim = this.same(args[0], args[1], e.args[0].value, e.args[1].value, `the arguments of ${name}()`);
        return { dim, value: allConst ? (name === 'min' ? Math.min(v[0]!, v[1]!) : Math.max(v[0]!, v[1]!)) : undefined };
      }
      case 'clip': {
        let dim = this.same(args[0], args[1], e.args[0].value, e.args[1].value, 'the arguments of clip()');
        dim = this.same({ dim, value: undefined }, args[2], e.args[0].value, e.args[2].value, 'the arguments of clip()') ?? dim;
        return { dim, value: allConst ? Math.min(Math.max(v[0]!, v[1]!), v[2]!) : undefined };
      }
      default: {
        // Transcendental functions: dimensionless in, dimensionless out.
        const a = args[0];
        if (a.dim && !isDimensionless(a.dim)) this.error(e.args[0].value, `${name}() needs a dimensionless argument, this is ${dimName(a.dim)} (divide by a reference value)`);
        const f = MATH_FUNCTIONS[name];
        return { dim: DIMENSIONLESS, value: allConst && f ? f(v[0]!) : undefined };
      }
    }
  }
}

/** Same expression tree, spans aside. */
function sameExpr(a: A.Expr, b: A.Expr): boolean {
  const strip = (k: string, v: unknown) => (k === 'start' || k === 'end' ? undefined : v);
  return JSON.stringify(a, strip) === JSON.stringify(b, strip);
}

/** The bare number literal inside an expression (for "needs a unit" fixes), if there is one. */
function findBare(e: A.Expr): A.NumberLit | undefined {
  if (e.kind === 'number' && !e.unit) return e;
  if (e.kind === 'unary') return findBare(e.operand);
  if (e.kind === 'call') for (const a of e.args) {
    const f = findBare(a.value);
    if (f) return f;
  }
  if (e.kind === 'binary' && (e.op === '+' || e.op === '-')) return findBare(e.left) ?? findBare(e.right);
  return undefined;
}

/** The .snn unit a name stands for when it is a unit symbol (pA) or a Brian2 unit name (msecond). */
function unitWrittenAsName(name: string): string | undefined {
  return lookupUnit(name) ? name : brian2Unit(name);
}
