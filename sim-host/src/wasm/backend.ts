// The WASM backend as the run contract sees it (core/backend.ts): runs any plan.
import type { Backend } from '../core/backend';
import { Simulation, type CompileOptions } from './simulation';

export function wasmBackend(options: CompileOptions = {}): Backend {
  return {
    name: 'wasm',
    cannotRun: () => undefined,
    run: async (plan, cb) => new Simulation({ plan }, options).run(cb),
  };
}
