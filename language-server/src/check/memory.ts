// The memory estimate of a model, in one place: what the size check (size.ts) compares with
// spikeworks.memoryLimitMB and the inlay hints show. A stand-in for the engine's own estimator
// (sim-host's plan layout), which is meant to replace this module.
import type { NetItem } from '../analysis';

/**
 * Bytes of one connection with `synapses` expected synapses: weight f32 + target index u32 +
 * delay u16 when it has delays, plus per-synapse plastic state; a CSR row offset per source neuron.
 */
export function connectionBytes(synapses: number, delays: boolean, plasticVars: number, sourceSizes: (number | undefined)[]): number {
  const bytesPer = 4 + 4 + (delays ? 2 : 0) + 4 * plasticVars;
  return synapses * bytesPer + sourceSizes.reduce<number>((a, n) => a + 4 * ((n ?? 0) + 1), 0);
}

/** Bytes of the neurons' state: f32 per state variable, and one more, per neuron of each population. */
export function stateBytes(network: Iterable<NetItem>): number {
  let bytes = 0;
  for (const item of network) {
    if (item.kind !== 'population' || !item.size) continue;
    const vars = item.model ? [...item.model.vars.values()].filter((v) => v.kind === 'state').length + 1 : 1;
    bytes += item.size * vars * 4;
  }
  return bytes;
}
