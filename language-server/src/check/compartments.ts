// Multicompartment neurons (`compartments { soma { … } dend { … } couple soma, dend { g: … } }`).
// The parser has flattened them into ordinary variables (soma_v, dend_v, soma_I_axial, the
// coupling parameter soma_dend_g); checkModel has typed those. Here: the structure (names,
// membrane potential and capacitance of each compartment, couplings, their units and ranges),
// and, once dt is known, the stability of the passive cable: the eigenvalues of the linear
// coupling matrix bound dt for the explicit methods.
import type * as A from '../ast';
import type { ModelInfo } from '../analysis';
import { unitOf } from '../expressions';
import { AXIAL_CURRENT, closest } from '../parser';
import { Severity } from '../diagnostics';
import { CAPACITANCE, CONDUCTANCE, TIME, VOLTAGE, dimName, formatQuantity, sameDim } from '../units';
import type { Checker } from './context';
import { noiseRefs, walk } from './util';
import { degreeIn } from '../linearity';

/**
 * The largest |λ| of a real matrix of the form C⁻¹·G (G symmetric, C positive diagonal, the
 * form of a compartmental cable), from the eigenvalues of its symmetric similar matrix
 * S = C^½·J·C^-½ (S_cd = ±√(J_cd·J_dc)) by cyclic Jacobi rotations.
 */
export function spectralRadius(J: number[][]): number {
  const n = J.length;
  const S = J.map((row, c) => row.map((x, d) => (c === d ? x : J[c][d] * J[d][c] > 0 ? Math.sign(x) * Math.sqrt(J[c][d] * J[d][c]) : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += S[p][q] * S[p][q];
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (S[p][q] === 0) continue;
        const theta = (S[q][q] - S[p][p]) / (2 * S[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const kp = S[k][p];
          const kq = S[k][q];
          S[k][p] = c * kp - s * kq;
          S[k][q] = s * kp + c * kq;
        }
        for (let k = 0; k < n; k++) {
          const pk = S[p][k];
          const qk = S[q][k];
          S[p][k] = c * pk - s * qk;
          S[q][k] = s * pk + c * qk;
        }
      }
    }
  }
  return Math.max(0, ...S.map((row, k) => Math.abs(row[k])));
}

/** Real stability interval of each explicit method's amplification polynomial on the negative axis: dt·|λ| ≤ this. */
export const STABILITY_LIMIT: Record<string, number> = { euler: 2, rk2: 2, rk4: 2.785293563405282 };

export function checkCompartments(cx: Checker, def: A.ModelDef, info: ModelInfo): void {
  const comp = def.compartments;
  if (!comp) return;
  if (def.kind === 'synapse') {
    cx.err(comp.keyword, 'compartments belong in neuron models', 'misplaced');
    return;
  }
  const names = new Map<string, A.CompartmentDef>();
  for (const c of comp.list) {
    if (names.has(c.name.name)) cx.err(c.name, `compartment '${c.name.name}' is already defined in ${def.name.name}`, 'duplicate');
    else names.set(c.name.name, c);
  }
  if (comp.list.length === 0) cx.err(comp.keyword, 'compartments { } lists no compartment: add one (soma { state { v: mV = -70 mV } … })', 'missing');
  const membranes: string[] = [];
  for (const c of names.values()) {
    const p = `${c.name.name}_`;
    const v = info.vars.get(`${p}v`);
    const vDecl = c.state.find((d) => d.name.name === `${p}v`);
    if (!vDecl || v?.kind !== 'state') {
      cx.err(c.name, `compartment ${c.name.name} has no membrane potential: declare it as v in state { v: mV = -70 mV } with an equation dv/dt = …`, 'missing');
    } else if (v.dim && !sameDim(v.dim, VOLTAGE)) {
      cx.err(vDecl.name, `the membrane potential v of compartment ${c.name.name} must be a voltage (mV), not ${dimName(v.dim)}`, 'unit-mismatch');
    } else if (!c.equations.some((e) => e.kind === 'ode' && e.variable.name === `${p}v`)) {
      cx.err(vDecl.name, `the membrane potential v of compartment ${c.name.name} has no equation: add dv/dt = (… + I_axial) / C_m`, 'missing');
    } else membranes.push(`${p}v`);
    const cap = c.parameters.find((d) => {
      const x = info.vars.get(d.name.name);
      return x?.kind === 'parameter' && x.dim && sameDim(x.dim, CAPACITANCE);
    });
    if (!cap) cx.err(c.name, `compartment ${c.name.name} has no capacitance: declare one in parameters { C_m = 100 pF } and divide its membrane current by it`, 'missing');
  }
  const pairs = new Map<string, A.CoupleDef>();
  const coupled = new Set<string>();
  for (const cp of comp.couplings) {
    for (const id of [cp.a, cp.b]) {
      if (!id || names.has(id.name)) continue;
      const guess = closest(id.name, names.keys());
      cx.err(id, `'${id.name}' is not a compartment of ${def.name.name}${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name', guess ? [{ kind: 'replace', start: id.start, end: id.end, text: guess, title: `Change to '${guess}'` }] : undefined);
    }
    for (const p of cp.props) if (p.key.name !== 'g') cx.err(p.key, `unknown property '${p.key.name}' of a coupling: it takes g, the axial conductance (g: 10 nS)`, 'unknown-property');
    const g = cp.props.find((p) => p.key.name === 'g');
    if (!g) cx.err(cp.keyword, `couple needs g, the axial conductance between the compartments (couple ${cp.a?.name ?? 'soma'}, ${cp.b?.name ?? 'dend'} { g: 10 nS })`, 'missing');
    if (!cp.a || !cp.b) continue;
    if (cp.a.name === cp.b.name) {
      cx.err({ start: cp.a.start, end: cp.b.end }, `compartment ${cp.a.name} is coupled to itself: a coupling joins two different compartments`, 'bad-coupling');
      continue;
    }
    const key = [cp.a.name, cp.b.name].sort().join('\u0000');
    const prev = pairs.get(key);
    if (prev) cx.err({ start: cp.a.start, end: cp.b.end }, `${cp.a.name} and ${cp.b.name} are already coupled (line ${cx.lineOf(prev.start)}): give one coupling with the total conductance`, 'duplicate');
    else pairs.set(key, cp);
    coupled.add(cp.a.name).add(cp.b.name);
    const param = cp.param ? info.vars.get(cp.param) : undefined;
    if (g && param?.dim) {
      if (!sameDim(param.dim, CONDUCTANCE)) cx.err(g.value, `unit mismatch: the axial conductance g must be a conductance (nS), not ${dimName(param.dim)}`, 'unit-mismatch');
      else if (param.value !== undefined && !(param.value >= 0)) cx.err(g.value, `the axial conductance g must be ≥ 0 S, not ${formatQuantity(param.value, CONDUCTANCE)}`, 'out-of-range');
    }
  }
  // The axial currents the parser wrote sit at the end of each compartment's name, zero-width:
  // a unit error in them follows from one reported above (g, v), so it is dropped.
  const synthetic = new Set(comp.list.map((c) => c.name.end));
  cx.diags = cx.diags.filter((d) => !(d.start === d.end && synthetic.has(d.start) && d.code === 'unit-mismatch'));
  // A coupled compartment whose equations never read I_axial feels nothing of the coupling.
  for (const c of names.values()) {
    if (!coupled.has(c.name.name)) {
      if (names.size > 1) cx.warn(c.name, `compartment ${c.name.name} is coupled to no other compartment: add couple ${c.name.name}, ${[...names.keys()].find((n) => n !== c.name.name)} { g: … }`, 'uncoupled');
      continue;
    }
    if (!membranes.includes(`${c.name.name}_v`)) continue;
    const axial = `${c.name.name}_${AXIAL_CURRENT}`;
    let used = false;
    for (const e of c.equations) walk(e.rhs, (x) => {
      if (x.kind === 'name' && x.name === axial) used = true;
    });
    if (!used) {
      const ode = c.equations.find((e) => e.kind === 'ode' && e.variable.name === `${c.name.name}_v`);
      cx.warn(ode ? ode.rhs : c.name, `compartment ${c.name.name} is coupled, but its equations do not use the axial current I_axial: add it to the membrane current (dv/dt = (… + I_axial) / C_m)`, 'unused-axial');
    }
  }
  info.compartments = { membranes };
}

/** A compartment-local name (`v`) as the model has it, per compartment (`soma_v`, `dend_v`), for did-you-mean. */
export function compartmentNames(m: ModelInfo, local: string): string[] {
  return (m.def.compartments?.list ?? []).map((c) => `${c.name.name}_${local}`).filter((n) => {
    const x = m.vars.get(n);
    return x && x.kind !== 'parameter';
  });
}

/**
 * The passive part of the cable: J[c][d] = the constant coefficient of d's membrane potential
 * in c's dv/dt (named expressions expanded; products with state, e.g. g_Na·m³·h·(E_Na − v), and
 * function calls do not count). Parameter values: `value(name)`, undefined when unknown.
 */
export function passiveMatrix(info: ModelInfo, value: (name: string) => number | undefined): number[][] {
  const membranes = info.compartments?.membranes ?? [];
  const aliases = new Map<string, A.Expr>();
  const odes = new Map<string, A.Expr>();
  for (const e of info.def.equations) {
    if (e.kind === 'alias') aliases.set(e.name.name, e.rhs);
    else odes.set(e.variable.name, e.rhs);
  }
  const constant = (e: A.Expr, depth = 0): number | undefined => {
    if (depth > 50) return undefined;
    switch (e.kind) {
      case 'number':
        return e.unit ? (unitOf(e.unit, undefined)?.scale ?? NaN) * e.value : e.value;
      case 'name': {
        const a = aliases.get(e.name);
        if (a) return constant(a, depth + 1);
        return info.vars.get(e.name)?.kind === 'parameter' ? value(e.name) : undefined;
      }
      case 'unary': {
        const x = constant(e.operand, depth + 1);
        return x === undefined || e.op === 'not' ? undefined : e.op === '-' ? -x : x;
      }
      case 'binary': {
        const l = constant(e.left, depth + 1);
        const r = constant(e.right, depth + 1);
        if (l === undefined || r === undefined) return undefined;
        return e.op === '+' ? l + r : e.op === '-' ? l - r : e.op === '*' ? l * r : e.op === '/' ? l / r : undefined;
      }
      default:
        return undefined;
    }
  };
  const coeff = (e: A.Expr, x: string, depth = 0): number => {
    if (depth > 50) return 0;
    switch (e.kind) {
      case 'name': {
        if (e.name === x) return 1;
        const a = aliases.get(e.name);
        return a ? coeff(a, x, depth + 1) : 0;
      }
      case 'unary':
        return e.op === '-' ? -coeff(e.operand, x, depth + 1) : e.op === '+' ? coeff(e.operand, x, depth + 1) : 0;
      case 'binary': {
        if (e.op === '+' || e.op === '-') {
          const l = coeff(e.left, x, depth + 1);
          const r = coeff(e.right, x, depth + 1);
          return e.op === '+' ? l + r : l - r;
        }
        if (e.op === '*') {
          const l = constant(e.left);
          if (l !== undefined) return l * coeff(e.right, x, depth + 1);
          const r = constant(e.right);
          return r !== undefined ? coeff(e.left, x, depth + 1) * r : 0;
        }
        if (e.op === '/') {
          const r = constant(e.right);
          return r ? coeff(e.left, x, depth + 1) / r : 0;
        }
        return 0;
      }
      default:
        return 0;
    }
  };
  return membranes.map((c) => membranes.map((d) => {
    const rhs = odes.get(c);
    const k = rhs ? coeff(rhs, d) : 0;
    return Number.isFinite(k) ? k : 0;
  }));
}

/**
 * Final phase: dt against the stability bound of each population's passive cable. Explicit
 * methods (euler, rk2: dt·|λ| ≤ 2; rk4: ≤ 2.785) are unstable above it. `exact` and `exponential`
 * integrate each variable exactly with the others frozen: for conductance couplings with a
 * non-negative leak each row of that step's matrix sums to at most 1 in absolute value, so it
 * is stable at any dt (no bound; accuracy still needs dt well below the fastest τ).
 */
export function checkCompartmentStability(cx: Checker): void {
  const dt = cx.simulate.dt;
  const dtProp = cx.simProp?.get('dt')?.prop.value;
  if (dt === undefined || !dtProp) return;
  const seen = new Set<string>();
  for (const item of cx.network.values()) {
    if (item.kind !== 'population' || !item.model?.compartments) continue;
    const m = item.model;
    const method = methodOf(m);
    const limit = STABILITY_LIMIT[method];
    if (limit === undefined) continue;
    const value = (name: string): number | undefined => {
      const o = item.node.inits.find((a) => a.target.kind === 'name' && a.target.name === name);
      // A constant the population sets; lists, distributions and files: the model's default.
      return (o && cx.types.get(o.value)?.value) ?? m.vars.get(name)?.value;
    };
    const rate = spectralRadius(passiveMatrix(m, value));
    if (!(rate > 0)) continue;
    const bound = limit / rate;
    if (dt <= bound) continue;
    const key = `${m.def.name.name}:${bound}`;
    if (seen.has(key)) continue;
    seen.add(key);
    cx.diags.push({
      start: dtProp.start, end: dtProp.end, severity: Severity.Error, code: 'unstable-dt',
      message: `dt = ${formatQuantity(dt, TIME)} is above the stability bound of ${m.def.name.name}'s compartments in population ${item.sym.name}: method ${method} needs dt ≤ ${+(limit.toFixed(3))}/|λ| = ${formatQuantity(bound, TIME)} (largest eigenvalue of the leak and axial conductances over the capacitances: |λ| = ${+rate.toPrecision(4)}/s); use a smaller dt or method exact`,
    });
  }
}

/** The method the engine uses (lower.ts, plan): declared; else euler with noise; else exact when every equation is affine in its variable, else rk2. */
function methodOf(m: ModelInfo): string {
  if (m.def.method) return m.def.method.name;
  const odes = m.def.equations.filter((q): q is A.Ode => q.kind === 'ode');
  if (odes.some((q) => noiseRefs(q.rhs).length > 0)) return 'euler';
  const aliases = m.def.equations.filter((q): q is A.Alias => q.kind === 'alias');
  const names = new Set(aliases.map((a) => a.name.name));
  return odes.every((q) => degreeIn(q.rhs, q.variable.name, aliases, names) <= 1) ? 'exact' : 'rk2';
}
