// Inlay hints: synapse count and memory per connection, totals at `simulate`.
import type { FileAnalysis } from '../checker';
import { fmtBytes, fmtCount } from '../checker';

export interface Hint {
  offset: number;
  label: string;
  tooltip?: string;
}

export function inlayHints(a: FileAnalysis, from = 0, to = Infinity): Hint[] {
  const out: Hint[] = [];
  for (const e of a.estimates) {
    if (e.rule.kind === 'from_file') continue; // its synapses are known once the file is read
    const c = e.node;
    const at = c.targets.length ? c.targets[c.targets.length - 1].end : c.keyword.end;
    if (at < from || at > to) continue;
    out.push({ offset: at, label: ` ≈ ${fmtCount(e.synapses)} synapses, ${fmtBytes(e.bytes)}`, tooltip: 'Expected synapse count and memory of this connection (indices, weights, per-synapse delays, delay buffers), as the engine estimates it before a run.' });
  }
  const sim = a.file.items.find((i) => i.kind === 'simulate');
  if (sim && sim.kind === 'simulate' && a.totals.neurons > 0) {
    const at = sim.keyword.end;
    if (at >= from && at <= to) {
      out.push({ offset: at, label: ` ${fmtCount(a.totals.neurons)} neurons, ${fmtCount(a.totals.synapses)} synapses, ${fmtBytes(a.totals.bytes)}`, tooltip: 'Model size: neurons, expected synapses and the memory the engine estimates for a run (probes and recorded spikes come on top).' });
    }
  }
  return out;
}
