// Physical dimensions and units. A dimension is a vector of exponents over the SI base
// dimensions plus one symbolic base, `weight`, used to check synapse models generically.

export type Dim = readonly [number, number, number, number, number, number, number, number];

/** Index of each base in a Dim vector. */
export const BASES = ['metre', 'kilogram', 'second', 'ampere', 'kelvin', 'mole', 'candela', 'weight'] as const;
const BASE_SYMBOLS = ['m', 'kg', 's', 'A', 'K', 'mol', 'cd', 'weight'];

export const DIMENSIONLESS: Dim = [0, 0, 0, 0, 0, 0, 0, 0];
const d = (m = 0, kg = 0, s = 0, A = 0, K = 0, mol = 0, cd = 0, w = 0): Dim => [m, kg, s, A, K, mol, cd, w];

export const TIME = d(0, 0, 1);
export const FREQUENCY = d(0, 0, -1);
export const VOLTAGE = d(2, 1, -3, -1);
export const CURRENT = d(0, 0, 0, 1);
export const CONDUCTANCE = d(-2, -1, 3, 2);
export const RESISTANCE = d(2, 1, -3, -2);
export const CAPACITANCE = d(-2, -1, 4, 2);
export const CHARGE = d(0, 0, 1, 1);
export const LENGTH = d(1);
export const CONCENTRATION = d(-3, 0, 0, 0, 0, 1);
export const WEIGHT = d(0, 0, 0, 0, 0, 0, 0, 1);
/** White noise xi: second^(-1/2). */
export const NOISE = d(0, 0, -0.5);
export const POWER = d(2, 1, -3);

export function mul(a: Dim, b: Dim): Dim {
  return a.map((x, i) => x + b[i]) as unknown as Dim;
}
export function div(a: Dim, b: Dim): Dim {
  return a.map((x, i) => x - b[i]) as unknown as Dim;
}
export function pow(a: Dim, p: number): Dim {
  return a.map((x) => x * p) as unknown as Dim;
}
export function sameDim(a: Dim, b: Dim): boolean {
  for (let i = 0; i < 8; i++) if (Math.abs(a[i] - b[i]) > 1e-9) return false;
  return true;
}
export function isDimensionless(a: Dim): boolean {
  return sameDim(a, DIMENSIONLESS);
}

interface BaseUnit {
  dim: Dim;
  scale: number;
  name: string;
}

/** Unit symbols that accept SI prefixes. */
const PREFIXABLE: Record<string, BaseUnit> = {
  s: { dim: TIME, scale: 1, name: 'second' },
  Hz: { dim: FREQUENCY, scale: 1, name: 'hertz' },
  V: { dim: VOLTAGE, scale: 1, name: 'volt' },
  A: { dim: CURRENT, scale: 1, name: 'ampere' },
  S: { dim: CONDUCTANCE, scale: 1, name: 'siemens' },
  Ohm: { dim: RESISTANCE, scale: 1, name: 'ohm' },
  ohm: { dim: RESISTANCE, scale: 1, name: 'ohm' },
  F: { dim: CAPACITANCE, scale: 1, name: 'farad' },
  C: { dim: CHARGE, scale: 1, name: 'coulomb' },
  W: { dim: POWER, scale: 1, name: 'watt' },
  m: { dim: LENGTH, scale: 1, name: 'metre' },
  g: { dim: d(0, 1), scale: 1e-3, name: 'gram' },
  l: { dim: d(3), scale: 1e-3, name: 'litre' },
  L: { dim: d(3), scale: 1e-3, name: 'litre' },
  mol: { dim: d(0, 0, 0, 0, 0, 1), scale: 1, name: 'mole' },
  M: { dim: CONCENTRATION, scale: 1e3, name: 'molar' },
};
const UNPREFIXED: Record<string, BaseUnit> = {
  K: { dim: d(0, 0, 0, 0, 1), scale: 1, name: 'kelvin' },
  cd: { dim: d(0, 0, 0, 0, 0, 0, 1), scale: 1, name: 'candela' },
  weight: { dim: WEIGHT, scale: 1, name: 'weight' },
  '1': { dim: DIMENSIONLESS, scale: 1, name: 'dimensionless' },
  rad: { dim: DIMENSIONLESS, scale: 1, name: 'radian' },
  percent: { dim: DIMENSIONLESS, scale: 0.01, name: 'percent' },
};
export const PREFIXES: Record<string, number> = { f: 1e-15, p: 1e-12, n: 1e-9, u: 1e-6, m: 1e-3, c: 1e-2, k: 1e3, M: 1e6, G: 1e9 };

export interface UnitInfo {
  symbol: string;
  dim: Dim;
  /** Multiply a value in this unit by `scale` to get SI base units. */
  scale: number;
  name: string;
}

const cache = new Map<string, UnitInfo | null>();

export function lookupUnit(symbol: string): UnitInfo | undefined {
  const hit = cache.get(symbol);
  if (hit !== undefined) return hit ?? undefined;
  let info: UnitInfo | undefined;
  const direct = UNPREFIXED[symbol] ?? PREFIXABLE[symbol];
  if (direct) info = { symbol, dim: direct.dim, scale: direct.scale, name: direct.name };
  else {
    const p = PREFIXES[symbol[0]];
    const base = PREFIXABLE[symbol.slice(1)];
    if (p !== undefined && base) info = { symbol, dim: base.dim, scale: p * base.scale, name: base.name };
  }
  if (symbol === 'kg') info = { symbol, dim: d(0, 1), scale: 1, name: 'kilogram' };
  cache.set(symbol, info ?? null);
  return info;
}

export function isUnitSymbol(symbol: string): boolean {
  return lookupUnit(symbol) !== undefined;
}

/** Units offered by completion and quick fixes, most common first. */
export const COMMON_UNITS = [
  'ms', 's', 'us', 'Hz', 'kHz', 'mV', 'V', 'uV', 'nS', 'uS', 'pS', 'mS', 'pA', 'nA', 'uA', 'pF', 'nF', 'uF',
  'MOhm', 'kOhm', 'GOhm', 'mM', 'uM', 'um', 'mm', 'm', 'pC', 'nC', 'mol',
];

/** A preferred unit for showing a dimension to a neuroscientist. */
const PREFERRED: [Dim, string, string][] = [
  [DIMENSIONLESS, '1', 'dimensionless'],
  [TIME, 'ms', 'second'],
  [FREQUENCY, 'Hz', 'hertz'],
  [VOLTAGE, 'mV', 'volt'],
  [CURRENT, 'pA', 'ampere'],
  [CONDUCTANCE, 'nS', 'siemens'],
  [RESISTANCE, 'MOhm', 'ohm'],
  [CAPACITANCE, 'pF', 'farad'],
  [CHARGE, 'pC', 'coulomb'],
  [LENGTH, 'um', 'metre'],
  [CONCENTRATION, 'mM', 'mol/m^3'],
  [WEIGHT, 'weight', 'weight'],
  [d(0, 1), 'kg', 'kilogram'],
  [d(0, 0, 0, 0, 1), 'K', 'kelvin'],
  [d(0, 0, 0, 0, 0, 1), 'mol', 'mole'],
];

function named(dim: Dim): string | undefined {
  for (const [pd, , name] of PREFERRED) if (sameDim(pd, dim)) return name;
  return undefined;
}

/** Human wording of a dimension: "volt", "volt/second", "siemens*volt", or base form. */
export function dimName(dim: Dim): string {
  const n = named(dim);
  if (n) return n;
  const others = PREFERRED.slice(1);
  for (const [pd, , name] of others) {
    const x = named(mul(dim, pd));
    if (x && x !== 'dimensionless') return `${x}/${name}`;
  }
  for (const [pd, , name] of others) {
    const x = named(div(dim, pd));
    if (x && x !== 'dimensionless') return `${x}*${name}`;
  }
  const inv = named(div(DIMENSIONLESS, dim));
  if (inv) return `1/${inv}`;
  return baseForm(dim);
}

/** 2, (1/2), (3/2), (0.3): fractional exponents (white noise's s^-1/2) in parentheses. */
function exponentText(a: number): string {
  if (Number.isInteger(a)) return String(a);
  const twice = Math.round(2 * a);
  return Math.abs(2 * a - twice) < 1e-9 ? `(${twice}/2)` : `(${+a.toPrecision(6)})`;
}

function baseForm(dim: Dim): string {
  const num: string[] = [];
  const den: string[] = [];
  dim.forEach((e, i) => {
    if (e === 0) return;
    const s = BASE_SYMBOLS[i];
    const a = Math.abs(e);
    (e > 0 ? num : den).push(a === 1 ? s : `${s}^${exponentText(a)}`);
  });
  const top = num.length ? num.join('*') : '1';
  return den.length ? `${top}/${den.length > 1 ? `(${den.join('*')})` : den[0]}` : top;
}

/** A unit symbol suited to show values of `dim` (for quick fixes and hover). */
export function preferredUnit(dim: Dim): { symbol: string; scale: number } | undefined {
  for (const [pd, sym] of PREFERRED) {
    if (sameDim(pd, dim)) {
      const u = lookupUnit(sym);
      return { symbol: sym, scale: u?.scale ?? 1 };
    }
  }
  // Ratios of preferred units: mV/ms, nS/ms ...
  for (const [pa, sa] of PREFERRED.slice(1)) {
    for (const [pb, sb] of PREFERRED.slice(1)) {
      if (sameDim(div(pa, pb), dim)) {
        return { symbol: `${sa}/${sb}`, scale: (lookupUnit(sa)?.scale ?? 1) / (lookupUnit(sb)?.scale ?? 1) };
      }
    }
  }
  return undefined;
}

/** Formats an SI value in a readable unit of its dimension, e.g. 0.005 s → "5 ms". */
export function formatQuantity(si: number, dim: Dim): string {
  const p = preferredUnit(dim);
  if (!p || p.symbol === '1') return fmt(si);
  return `${fmt(si / p.scale)} ${p.symbol}`;
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e6) return String(Number(x.toPrecision(6)));
  return x.toExponential(4).replace(/\.?0+e/, 'e');
}

/**
 * Brian2's unit names (msecond, mvolt, nsiemens, pfarad, hertz …) and the .snn symbols they are
 * written as here (ms, mV, nS, pF, Hz …): for the quick fix that rewrites a Brian2 habit.
 */
const BRIAN2_BASES: Record<string, string> = {
  second: 's', volt: 'V', amp: 'A', ampere: 'A', siemens: 'S', farad: 'F', hertz: 'Hz', Hz: 'Hz', ohm: 'Ohm', metre: 'm', meter: 'm', molar: 'M', coulomb: 'C', mole: 'mol',
};
const BRIAN2_PREFIXES = ['', 'f', 'p', 'n', 'u', 'm', 'k', 'M', 'G'];

/** The .snn unit symbol for a Brian2 unit name (`msecond` → `ms`), if `name` is one and is not already a unit here. */
export function brian2Unit(name: string): string | undefined {
  if (lookupUnit(name)) return undefined;
  for (const p of BRIAN2_PREFIXES) {
    if (!name.startsWith(p)) continue;
    const base = BRIAN2_BASES[name.slice(p.length)];
    if (base && lookupUnit(p + base)) return p + base;
  }
  return undefined;
}
