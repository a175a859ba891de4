// The models "Spikeworks: New Model…" offers: each is a .snn file under extension/templates/
// that checks clean and runs (test/templates.test.ts runs every one through the CLI). No VS Code
// types here: the list and the file naming are unit-tested in Node.

export interface ModelTemplate {
  /** Stable id (also the command argument: `spikeworks.newModel` with `"lif_step"`). */
  id: string;
  label: string;
  description: string;
  /** The template file, relative to the extension's root. */
  file: string;
  /** The name the new file gets in the workspace (made unique). */
  fileName: string;
}

export const TEMPLATES: readonly ModelTemplate[] = [
  { id: 'lif_step', label: 'Single LIF neuron with a current step', description: 'one neuron, a 300 pA step, its voltage and spikes', file: 'extension/templates/lif_step.snn', fileName: 'first_neuron.snn' },
  { id: 'coba_ei', label: 'E/I balanced network (COBA)', description: '3200 excitatory + 800 inhibitory conductance-based LIF', file: 'extension/templates/coba_ei.snn', fileName: 'ei_network.snn' },
  { id: 'poisson_stdp', label: 'Poisson-driven population with STDP', description: '500 Poisson inputs, 50 LIF, pair-based STDP weights', file: 'extension/templates/poisson_stdp.snn', fileName: 'poisson_stdp.snn' },
];

export function templateById(id: unknown): ModelTemplate | undefined {
  return typeof id === 'string' ? TEMPLATES.find((t) => t.id === id) : undefined;
}

/**
 * A file name not taken yet: `first_neuron.snn`, then `first_neuron_2.snn`, `first_neuron_3.snn`…
 * (`taken` says whether a name exists in the folder). A new model never overwrites a file.
 */
export async function freeFileName(fileName: string, taken: (name: string) => Promise<boolean>): Promise<string> {
  const dot = fileName.lastIndexOf('.');
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName;
  const ext = dot > 0 ? fileName.slice(dot) : '';
  for (let k = 1; k < 10_000; k++) {
    const name = k === 1 ? fileName : `${stem}_${k}${ext}`;
    if (!(await taken(name))) return name;
  }
  throw new Error(`no free file name for ${fileName}`);
}
