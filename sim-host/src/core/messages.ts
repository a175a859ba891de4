// Messages of runs that stop early, shared by both backends. No imports beyond limits.ts's
// formatting: the WebGPU browser bundle uses them without the WASM engine (or Node files).
import { fmtBytes } from './limits';

/** The error of a run stopped because a state variable became NaN or Inf (both backends). */
export function nanInfMessage(population: string | undefined, variable: string, neuron: number, step: number, dt: number): string {
  return `state became NaN/Inf: population ${population}, variable ${variable}, neuron ${neuron}, step ${step} (t = ${(step * dt * 1000).toFixed(3)} ms); is dt too large for this model, or does an equation divide by zero?`;
}

/** The error of a run stopped because its recorded spikes reached their share of the memory limit. */
export function recordingLimitMessage(limit: number, budget: number, maxSpikes: number, step: number, dt: number): string {
  return `recorded spikes reached the memory limit of ${fmtBytes(limit)} (${fmtBytes(budget)} left for spikes after the run's own memory, input files and probes: ${maxSpikes.toLocaleString('en-US')} spikes) at step ${step} (t = ${(step * dt).toFixed(4)} s); the spikes recorded until then are kept. Raise the limit (--memory-limit MB, spikeworks.memoryLimitMB), record fewer populations (probe spikes(pop)) or shorten the run`;
}
