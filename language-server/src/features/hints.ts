// Inlay hints: synapse count and memory per connection, totals at `simulate`, cores per
// population on a hardware target (`target chip = loihi2 { … }`).
import type { FileAnalysis } from '../checker';
import { fmtBytes, fmtCount } from '../checker';
import { LOIHI_LIMITS, SPINNAKER_NEURONS_PER_CORE } from '../../../protocol/loihi2';

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
  for (const it of a.file.items) {
    if (it.kind !== 'target' || !it.name || !it.type) continue;
    const max = it.type.name === 'loihi2' ? LOIHI_LIMITS.compartments : it.type.name === 'spinnaker2' ? SPINNAKER_NEURONS_PER_CORE : undefined;
    if (max === undefined) continue;
    const at = it.name.end;
    if (at < from || at > to) continue;
    const p = it.props.find((x) => x.key.name === 'neurons_per_core');
    // a plain count (`neurons_per_core: 128`): its typed value, else the literal
    const v = p ? (a.types.get(p.value)?.value ?? (p.value.kind === 'number' && !p.value.unit ? p.value.value : undefined)) : undefined;
    const npc = typeof v === 'number' && v >= 1 && v <= max ? v : max;
    const parts: string[] = [];
    let total = 0;
    for (const n of a.network.values()) {
      if (n.kind !== 'population' || !n.size) continue;
      const c = Math.ceil(n.size / npc);
      total += c;
      parts.push(`${n.sym.name} ${c}`);
    }
    if (parts.length) out.push({ offset: at, label: ` ${fmtCount(total)} cores: ${parts.join(', ')}`, tooltip: `Cores per population at ${fmtCount(npc)} neurons per core on this ${it.type.name} target (spikeworks emulate reports axons and synapse memory per core).` });
  }
  return out;
}
