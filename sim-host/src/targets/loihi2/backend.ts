// The Loihi 2 emulation as the run contract sees it (core/backend.ts): refuses what the chip's
// LIF compartment and dense synapses cannot express (shape.ts), converts the plan to Loihi's
// integers (convert.ts) and runs them bit-accurately (emulate.ts).
import type { Backend } from '../../core/backend';
import { emulateLoihi, type LoihiRun } from './emulate';
import { loihiCannotRun } from './shape';

export const LOIHI2_NAME = 'loihi2-emu';

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
