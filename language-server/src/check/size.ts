// The size check: neurons, expected synapses and memory (memory.ts) against spikeworks.maxSynapses
// and spikeworks.memoryLimitMB.
import type * as A from '../ast';
import { fmtCount, fmtBytes } from './util';
import type { Estimate, FileAnalysis } from '../analysis';
import type { Checker } from './context';
import { stateBytes as estimateStateBytes } from './memory';

/** Neurons, synapses and bytes of the model against the limits (final phase). */
export function checkSize(cx: Checker): FileAnalysis['totals'] {
  let neurons = 0;
  for (const item of cx.network.values()) {
    if ((item.kind === 'population' || item.kind === 'input') && item.size) neurons += item.size;
  }
  const stateBytes = estimateStateBytes(cx.network.values());
  const synapses = cx.estimates.reduce((a, e) => a + e.synapses, 0);
  const bytes = stateBytes + cx.estimates.reduce((a, e) => a + e.bytes, 0);
  const { maxSynapses, memoryBytes } = cx.ctx.limits;
  const anchor = cx.estimates.reduce<Estimate | undefined>((a, e) => (!a || e.synapses > a.synapses ? e : a), undefined);
  if (synapses > maxSynapses && anchor) {
    const c = anchor.node as A.ConnectDef;
    cx.err(c.keyword, `the model has about ${fmtCount(synapses)} synapses, above the limit of ${fmtCount(maxSynapses)} (spikeworks.maxSynapses); lower the connection probability or the population sizes`, 'too-large');
  } else if (bytes > memoryBytes && (anchor || cx.network.size)) {
    const at = anchor ? (anchor.node as A.ConnectDef).keyword : [...cx.network.values()][0].sym.span;
    cx.err(at, `the model needs about ${fmtBytes(bytes)} (state ${fmtBytes(stateBytes)}, synapses ${fmtBytes(bytes - stateBytes)}), above the limit of ${fmtBytes(memoryBytes)} (spikeworks.memoryLimitMB); reduce sizes or connectivity`, 'too-large');
  }
  return { neurons, synapses, bytes };
}
