// Downloads of a run's results, in the CLI's formats (sim-host/src/output.ts, protocol/results.md):
// summary.json (with the spikes), spikes.csv; the panels' own exports (PNG, SVG, traces CSV)
// arrive as their 'export' messages. Files are made in the page (Blob URLs): nothing is uploaded.
import type { RunOutput } from '../../protocol/sim';
import { spikeCsvRows, summarize } from '../../sim-host/src/output';
import type { RunResults } from './run-host';

/** The run as a RunOutput: the worker's own when it finished, else what was streamed (a cancelled run). */
export function outputOf(r: RunResults): RunOutput {
  if (r.output) return r.output;
  return {
    dt: r.info.dt, steps: r.info.steps, stepsDone: r.stepsDone, seed: r.info.seed, cancelled: r.status === 'cancelled',
    populations: r.info.populations.map(({ name, size }) => ({ name, size })),
    spikes: r.spikes().filter((s) => r.info.populations.find((p) => p.name === s.name)?.recorded),
    traces: r.traces.map((t) => ({ population: t.info.population, variable: t.info.variable, neurons: t.info.neurons, every: t.info.every, data: t.data.view() })),
    synapses: 0, memoryBytes: 0, timings: { plan_s: 0, compile_s: 0, run_s: 0 }, backend: r.info.backend,
  };
}

/** summary.json as the CLI writes it, plus the spikes (population, neuron and time of each) and the model's name. */
export function resultsJson(r: RunResults, wallS: number): string {
  const out = outputOf(r);
  const summary = summarize(out, wallS, out.backend ?? r.info.backend);
  const spikes = out.spikes.map((s) => ({ population: s.name, size: s.size, neurons: Array.from(s.neurons), times_s: Array.from(s.steps, (k) => k * out.dt) }));
  return JSON.stringify({ model: r.info.model, file: r.info.fileName, ...summary, spikes });
}

export function spikesCsv(r: RunResults): string {
  return [...spikeCsvRows(outputOf(r))].join('\n') + '\n';
}

/** Saves `data` (text, or a data: URL) as `fileName` through a download link. */
export function download(fileName: string, data: string | Blob, type = 'text/plain'): void {
  const safe = fileName.replace(/[^\w.\- ]+/g, '_').slice(0, 120) || 'download';
  const blob = data instanceof Blob ? data : data.startsWith('data:') ? dataUrlBlob(data) : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = safe;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function dataUrlBlob(url: string): Blob {
  const m = /^data:([\w/+.-]+);base64,([A-Za-z0-9+/=]*)$/.exec(url);
  if (!m) return new Blob([], { type: 'application/octet-stream' });
  const bin = atob(m[2]);
  const bytes = new Uint8Array(bin.length);
  for (let k = 0; k < bin.length; k++) bytes[k] = bin.charCodeAt(k);
  return new Blob([bytes], { type: m[1] });
}
