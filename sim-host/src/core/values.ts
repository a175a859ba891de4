// Explicit per-synapse values (ValueIR kind 'list', protocol/ir.ts) in the order the engine
// stores synapses: CSR by presynaptic neuron. The language writes them as the sources ×
// targets matrix row by row for all_to_all, or one per pair for one_to_one.
import type { RuleIR, ValueIR } from '../../../protocol/ir';

/** `v` reordered to synapse k = CSR index; other kinds pass through unchanged. */
export function inSynapseOrder(v: ValueIR, rule: RuleIR, built: { rowptr: Int32Array; col: Int32Array }, nt: number): ValueIR {
  if (v.kind !== 'list') return v;
  const out = new Array<number>(built.col.length);
  for (let i = 0; i + 1 < built.rowptr.length; i++) {
    for (let k = built.rowptr[i]; k < built.rowptr[i + 1]; k++) {
      const at = rule.kind === 'one_to_one' ? i : i * nt + built.col[k];
      out[k] = v.values[at] ?? NaN;
    }
  }
  return { kind: 'list', values: out };
}

/** The largest value a ValueIR can give (for sizing delay buffers before drawing). */
export function valueMax(v: ValueIR): number {
  if (v.kind === 'const') return v.value;
  if (v.kind === 'list') return v.values.reduce((a, b) => Math.max(a, b), 0);
  return Math.max(...v.args, 0) * 4;
}
