// Units of probed variables and the result CSVs' columns, shared by the CLI (its trace files)
// and the extension and panels (their exports): SI symbols from the IR's dimensions, a weight's
// unit from the variable its connection drives, fixed time decimals from the step, and column
// headers `variable(target[index]) [unit]` (protocol/results.md).
import type { DimIR, ModelIR } from './ir';

const NAMED: [string, DimIR][] = [
  ['V', [2, 1, -3, -1, 0, 0, 0]],
  ['S', [-2, -1, 3, 2, 0, 0, 0]],
  ['A', [0, 0, 0, 1, 0, 0, 0]],
  ['F', [-2, -1, 4, 2, 0, 0, 0]],
  ['Ω', [2, 1, -3, -2, 0, 0, 0]],
  ['s', [0, 0, 1, 0, 0, 0, 0]],
  ['Hz', [0, 0, -1, 0, 0, 0, 0]],
  ['m', [1, 0, 0, 0, 0, 0, 0]],
  ['mol/m³', [-3, 0, 0, 0, 0, 1, 0]],
  ['', [0, 0, 0, 0, 0, 0, 0]],
];
const BASES = ['m', 'kg', 's', 'A', 'K', 'mol', 'cd'];

/** An SI unit symbol for a dimension: a named unit where there is one, else base units. */
export function unitSymbol(dim: DimIR): string {
  const hit = NAMED.find(([, d]) => d.every((x, k) => x === dim[k]));
  if (hit) return hit[0];
  return dim.flatMap((x, k) => (x === 0 ? [] : [x === 1 ? BASES[k] : `${BASES[k]}^${x}`])).join('·');
}

/**
 * The unit of a probed variable: of a population's state variable or alias, or of a named
 * connection's synapse variable (`w(conn)`). A synapse model's weight has the symbolic `weight`
 * dimension; its unit is the unit of the postsynaptic variable the connection drives
 * (`target: g` → siemens, `I` → ampere, `v` → volt; a dimensionless target → "").
 */
export function traceUnit(ir: ModelIR, population: string, variable: string): string {
  const pop = ir.populations.find((p) => p.name === population);
  if (pop) {
    const model = ir.models[pop.model];
    const v = model?.state.find((s) => s.name === variable) ?? model?.aliases.find((a) => a.name === variable);
    return v ? unitSymbol(v.dim) : '';
  }
  const conn = ir.connections.find((c) => c.name === population);
  if (!conn) return '';
  const weight = conn.target ? traceUnit(ir, conn.targets[0]?.name ?? '', conn.target) : '';
  const model = conn.synapse ? ir.models[conn.synapse.model] : undefined;
  const v = model?.state.find((s) => s.name === variable) ?? model?.aliases.find((a) => a.name === variable);
  if (!v) return variable === 'w' ? weight : '';
  if ('weightUnit' in v && v.weightUnit) {
    // A weight-dimensioned variable: its SI part (the IR's dimension) times the weight's unit.
    const si = unitSymbol(v.dim);
    return si === '' ? weight : weight === '' ? si : `${weight}·${si}`;
  }
  return unitSymbol(v.dim);
}

/** Whether a probe target names a connection (its trace is per synapse). */
export function isConnection(ir: ModelIR, name: string): boolean {
  return !ir.populations.some((p) => p.name === name) && ir.connections.some((c) => c.name === name);
}


/** Decimals that tell multiples of `step` (s) apart exactly: 1e-4 → 4, 2.5e-5 → 6 (at most 12). */
export function timeDecimals(step: number): number {
  for (let d = 0; d <= 12; d++) {
    const x = step * 10 ** d;
    if (Math.abs(x - Math.round(x)) < 1e-6 * Math.max(1, x)) return d;
  }
  return 12;
}

/** A time column's text: `t` seconds with `decimals` fixed decimals. */
export function formatSeconds(t: number, decimals: number): string {
  return t.toFixed(decimals);
}

/** The unit in a column header: the SI symbol, `1` for a dimensionless value. */
export function headerUnit(unit: string): string {
  return unit === '' ? '1' : unit;
}

/** A trace column header: `v(exc[3]) [V]`, `w(ee[2->7]) [A]`, `A(astro[0]) [1]`. */
export function traceColumn(variable: string, element: string, unit: string): string {
  return `${variable}(${element}) [${headerUnit(unit)}]`;
}

/** The time column header of the CSVs. */
export const TIME_COLUMN = 'time [s]';
