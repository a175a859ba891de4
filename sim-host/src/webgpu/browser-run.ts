// Browser entry of the WebGPU backend (bundled by scripts/webgpu-browser.mjs into
// dist/webgpu-browser.js): `spikeworksWebGPU.run(ir, duration)` plans the model in the page and
// runs it on navigator.gpu. Used by test/webgpu-browser.test.ts (headless Chromium) and ready
// for the playground. Models that read files (edge lists, event files) cannot run here.
import type { ModelIR } from '../../../protocol/ir';
import { WebGPUSimulation } from './backend';
import { getGpu } from './device';

export interface BrowserRun {
  adapter?: string;
  error?: string;
  stepsDone?: number;
  spikes?: Record<string, { steps: number[]; neurons: number[] }>;
}

async function run(ir: ModelIR, duration?: number): Promise<BrowserRun> {
  const gpu = await getGpu();
  if (typeof gpu === 'string') return { error: gpu };
  try {
    const sim = await WebGPUSimulation.create(ir, { duration, gpu });
    try {
      const r = await sim.run();
      const spikes: BrowserRun['spikes'] = {};
      for (const s of r.spikes) spikes[s.name] = { steps: [...s.steps], neurons: [...s.neurons] };
      return { adapter: gpu.name, error: r.error, stepsDone: r.stepsDone, spikes };
    } finally {
      sim.destroy();
    }
  } catch (e) {
    return { adapter: gpu.name, error: (e as Error).message };
  }
}

(globalThis as { spikeworksWebGPU?: unknown }).spikeworksWebGPU = { run };
