// An emulated run's report as plain data (protocol/target-report.ts) for the Target Report panel
// and `--format json`: the same facts as emulation-text.ts, no typed arrays, no run results.
import { LOIHI_LIMITS } from '../../protocol/loihi2';
import type { ReportCrossbar, TargetReport } from '../../protocol/target-report';
import type { Emulation } from './engine';
import { sfqReportResources } from './targets/sfq/report';

/** The report of `em`; `file` is the model file's name as the user sees it. */
export function targetReport(em: Emulation, file: string): TargetReport {
  const r = em.resources;
  const resources: TargetReport['resources'] =
    r.kind === 'loihi2'
      ? {
          neurons_per_core: r.loihi.neuronsPerCore,
          chips: r.loihi.chips,
          cores: r.loihi.cores.map((c) => ({ core: c.core, population: c.population, first: c.neurons[0], last: c.neurons[1], in_axons: c.inAxons, out_axons: c.outAxons, synapse_bits: c.synapseBits })),
          limits: { in_axons: LOIHI_LIMITS.inAxons, out_axons: LOIHI_LIMITS.outAxons, synapse_bits: LOIHI_LIMITS.synapseBits },
          notes: [`${r.loihi.bitsPerSynapse} bits per synapse (estimate: weight, target index, delay bits)`],
        }
      : r.kind === 'sfq'
        ? sfqReportResources(r.sfq)
        : r.kind === 'memristor'
          ? {
              neurons_per_core: 0,
              chips: 0,
              cores: [],
              limits: null,
              notes: [`fault map digest ${r.crossbar.digest} (the same for the same seed, plan and settings)`],
            }
          : {
          neurons_per_core: r.spinnaker.neuronsPerCore,
          chips: r.spinnaker.chips,
          cores: r.spinnaker.cores.map((c) => ({ core: c.core, population: c.population, first: c.neurons[0], last: c.neurons[1] })),
          limits: null,
          notes: [
            `real-time slow-down ×${r.spinnaker.realtimeSlowdown.toFixed(0)} at dt ${+(em.emulated.dt * 1e3).toPrecision(3)} ms`,
            ...(r.spinnaker.delayExtensions.length ? [`delay extensions for ${r.spinnaker.delayExtensions.join(', ')}`] : []),
          ],
        };
  const e = em.energy;
  return {
    format: 'spikeworks-target-report/1',
    file,
    target: { name: em.target.name, kind: em.target.kind as TargetReport['target']['kind'], backend: em.target.backend },
    seed: em.emulated.seed,
    dt: em.emulated.dt,
    simulated_s: em.emulated.stepsDone * em.emulated.dt,
    fidelity: em.fidelity.map((f) => ({ ...f })),
    resources,
    violations: em.violations.map((v) => ({ ...v })),
    energy: 'energy_j_per_sim_s' in e
      ? { source: e.source, j_per_sim_s: e.energy_j_per_sim_s, chip_s_per_sim_s: e.time_s_per_sim_s, ...('j_per_inference' in e ? { per_inference: { inferences: e.inferences, j: e.j_per_inference, j_with_cooling: e.j_per_inference_cooled, cryo_overhead: e.cryo_overhead } } : {}) }
      : { source: e.source, j_per_sim_s: null, chip_s_per_sim_s: null },
    quantisation: em.quantisation.map((q) => ({ where: q.where, what: q.what, ideal: q.ideal, used: q.used, error: q.error, ...(q.note ? { note: q.note } : {}) })),
    approximations: [...em.approximations],
    ...(r.kind === 'memristor' ? { crossbar: JSON.parse(JSON.stringify(r.crossbar)) as ReportCrossbar } : {}),
  };
}
