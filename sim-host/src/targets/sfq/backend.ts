// The SFQ emulation as the run contract sees it (core/backend.ts): refuses what flux counters and
// stochastic synapses cannot express (convert.ts sfqCannotRun), converts the plan under the
// target's parameters and runs it clock tick by clock tick (emulate.ts), chunked with progress
// and cancel like every backend.
import type { Backend } from '../../core/backend';
import { sfqCannotRun } from './convert';
import { emulateSfq, type SfqRun } from './emulate';
import type { SfqParams } from './params';

export const SFQ_NAME = 'sfq-emu';

/** The backend for a target's parameters; `onRun` receives each run's program and activity (the report reads them). */
export function sfqBackend(params: SfqParams, onRun?: (run: SfqRun) => void): Backend {
  return {
    name: SFQ_NAME,
    cannotRun: sfqCannotRun,
    run: async (plan, cb) => {
      const r = emulateSfq(plan, params, cb);
      onRun?.(r);
      return r.result;
    },
  };
}
