// The Loihi 2 emulation as the run contract sees it (core/backend.ts): refuses what the chip's
// LIF compartment and dense synapses cannot express (core/lif-shape.ts), converts the plan to Loihi's
// integers (convert.ts) and runs them bit-accurately (emulate.ts).
import type { ModelIR } from '../../../../protocol/ir';
import type { Backend } from '../../core/backend';
import { emulateLoihi, type LoihiRun } from './emulate';
import { lifCannotRun } from '../../core/lif-shape';

export const LOIHI2_NAME = 'loihi2-emu';

/** Why the Loihi 2 emulation cannot run this model (core/lif-shape.ts), or undefined. */
export const loihiCannotRun = (ir: ModelIR): string | undefined => lifCannotRun(ir, 'Loihi');

/** The backend; `onRun` receives the program and activity of each run (the report reads them). */
export function loihi2Backend(onRun?: (run: LoihiRun) => void): Backend {
  return {
    name: LOIHI2_NAME,
    cannotRun: loihiCannotRun,
    run: async (plan, cb) => {
      const r = emulateLoihi(plan, cb);
      onRun?.(r);
      return r.result;
    },
  };
}
