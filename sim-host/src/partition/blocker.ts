// Whether a model can be split across workers (partition/README.md), and if not, why: every
// construct here reads or writes state of neurons or synapses another worker owns within a step.
import type { ModelIR } from '../../../protocol/ir';
import { isPlastic } from '../core/plan';

/** Why `ir` runs on one thread only, or undefined when it can be partitioned. */
export function partitionBlocker(ir: ModelIR): string | undefined {
  for (const c of ir.connections) {
    const name = c.name ?? `${c.sources.map((s) => s.name).join(', ')} -> ${c.targets.map((t) => t.name).join(', ')}`;
    const m = c.synapse ? ir.models[c.synapse.model] : undefined;
    if (m && isPlastic(m)) return `connection ${name} has a synapse model with state (plastic synapses are not split across workers yet)`;
    if (c.segments) return `connection ${name} has dendritic segments (not split across workers yet)`;
    if (c.modulated_by) return `connection ${name} is modulated by ${c.modulated_by} (not split across workers yet)`;
  }
  for (const p of ir.populations) if (p.links?.length) return `population ${p.name} has linked parameters (they read another population's neurons every step; not split across workers yet)`;
  const pops = new Set(ir.populations.map((p) => p.name));
  for (const pr of ir.probes) {
    for (const sel of pr.targets) {
      if (pr.variable !== 'spikes' && pr.variable !== 'rate' && !pops.has(sel.name)) return `probe ${pr.variable}(${sel.name}) records synapses (not split across workers yet)`;
    }
  }
  return undefined;
}
