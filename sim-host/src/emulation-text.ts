// An emulated run's report as plain text (`spikeworks emulate`, the extension's Target Report):
// fidelity, resources, energy, quantisation steps, approximations.
import type { Emulation } from './engine';
import { fmtS } from './targets/sfq/params';
import { sfqText } from './targets/sfq/report';

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(2)} %`);

/** The report as the CLI prints it and the extension's Target Report shows it. */
export function emulationText(em: Emulation): string {
  const l: string[] = [];
  l.push(`${em.target.name} = ${em.target.kind}: emulated ${em.target.kind === 'sfq' ? 'pulse by pulse' : em.target.kind === 'memristor' ? 'on crossbar-mapped weights' : 'bit-accurately'} (${em.target.backend}), seed ${em.emulated.seed}, ${em.target.kind === 'sfq' ? fmtS(em.emulated.stepsDone * em.emulated.dt) : `${(em.emulated.stepsDone * em.emulated.dt).toFixed(3)} s`} simulated`);
  l.push('fidelity against the float run (same seed):');
  l.push(`  ${'population'.padEnd(12)} ${'float Hz'.padStart(9)} ${'chip Hz'.padStart(9)} ${'rate err'.padStart(9)} ${'count r'.padStart(8)} ${'van Rossum'.padStart(10)}`);
  for (const f of em.fidelity) l.push(`  ${f.population.padEnd(12)} ${f.rate_float_hz.toFixed(3).padStart(9)} ${f.rate_target_hz.toFixed(3).padStart(9)} ${pct(f.rate_error).padStart(9)} ${(f.count_correlation === null ? '-' : f.count_correlation.toFixed(3)).padStart(8)} ${f.van_rossum.toFixed(3).padStart(10)}`);
  l.push(`  (van Rossum: mean over neurons, τ = 10 ms, dimensionless; 0 = identical trains, √(n/2) for n spikes against none)`);
  const r = em.resources;
  if (r.kind === 'loihi2') {
    l.push(`resources: ${r.loihi.cores.length} cores (${r.loihi.neuronsPerCore} neurons per core), ${r.loihi.chips} chip(s)`);
    for (const c of r.loihi.cores) l.push(`  core ${String(c.core).padStart(3)} ${c.population}[${c.neurons[0]}..${c.neurons[1]}]: ${c.inAxons} in axons, ${c.outAxons} out axons, ${c.synapses.toLocaleString('en-US')} synapses = ${c.synapseBits.toLocaleString('en-US')} bits`);
  } else if (r.kind === 'sfq') {
    l.push(...sfqText(r.sfq, 'j_per_inference' in em.energy ? em.energy : undefined));
  } else if (r.kind === 'memristor') {
    const c = r.crossbar;
    l.push(`crossbar: ${c.mapping} mapping, ${c.levels} levels in [${+(c.g_min_s * 1e6).toPrecision(4)}, ${+(c.g_max_s * 1e6).toPrecision(4)}] µS, variability σ ${c.variability}, read noise σ ${c.read_noise}, r_wire ${c.r_wire_ohm} Ω`);
    l.push(`faults: synapses ${c.fault.ratio} ${c.fault.type} at ${c.fault.position} positions; neurons ${c.fault.neuron_ratio} ${c.fault.neuron_type}; fault map digest ${c.digest}`);
    for (const x of c.crossbars) l.push(`  ${x.connection}: ${x.rows}×${x.cols} crossbar, ${x.synapses.toLocaleString('en-US')} synapses, ${x.sa0} SA0, ${x.sa1} SA1, weight error ${pct(x.rms_error)} RMS`);
    for (const n of c.neurons) l.push(`  ${n.population}: ${n.dead} dead, ${n.saturated} saturated neurons`);
  } else {
    l.push(`resources: ${r.spinnaker.cores.length} cores (${r.spinnaker.neuronsPerCore} neurons per core), ${r.spinnaker.chips} chip(s); real-time slow-down ×${r.spinnaker.realtimeSlowdown.toFixed(0)} at dt ${(em.emulated.dt * 1e3).toPrecision(3)} ms${r.spinnaker.delayExtensions.length ? `; delay extensions for ${r.spinnaker.delayExtensions.join(', ')}` : ''}`);
  }
  for (const v of em.violations) l.push(`  does not fit: ${v.message}`);
  if ('j_per_inference' in em.energy) l.push(`energy (${em.energy.source})`);
  else if ('energy_j_per_sim_s' in em.energy) l.push(`energy (estimate, ${em.energy.source}): ${(em.energy.energy_j_per_sim_s * 1e6).toFixed(2)} µJ and ${(em.energy.time_s_per_sim_s * 1e3).toFixed(2)} ms of chip time per simulated second`);
  else l.push(`energy: ${em.energy.source}`);
  l.push('quantisation:');
  for (const q of em.quantisation) l.push(`  ${q.where}: ${q.what}: ideal ${+q.ideal.toPrecision(6)}, used ${+q.used.toPrecision(6)}, error ${pct(q.error)}${q.note ? ` (${q.note})` : ''}`);
  for (const a of em.approximations) l.push(`approximation: ${a}`);
  return l.join('\n') + '\n';
}
