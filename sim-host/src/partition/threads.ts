// How many workers a WASM run gets (RunOptions.threads, `simulate { threads }`, else the
// machine's cores when the model is large enough to gain from them). Pure.
import type { ModelIR } from '../../../protocol/ir';
import { estimateMemory } from '../core/estimate';
import { partitionBlocker } from './blocker';

/** Below these sizes a run left to the default stays on one thread (starting workers costs more than it saves). */
export const AUTO_MIN_SYNAPSES = 1e6;
export const AUTO_MIN_NEURONS = 20000;

export interface ThreadChoice {
  /** Workers asked for (the option, the model's `threads:`, else the cores). */
  requested: number;
  /** Workers the run uses. */
  used: number;
  /** Why fewer are used than asked for. */
  note?: string;
}

/** The workers for `ir`: `asked` (RunOptions.threads) over the model's `threads:`, else `cores` for large models. */
export function chooseThreads(ir: ModelIR, asked: number | undefined, cores: number): ThreadChoice {
  const explicit = asked ?? ir.simulate.threads;
  const requested = Math.max(1, Math.floor(explicit ?? cores));
  if (requested === 1) return { requested, used: 1 };
  if (explicit === undefined) {
    const neurons = ir.populations.reduce((a, p) => a + p.size, 0);
    if (neurons < AUTO_MIN_NEURONS && estimateMemory(ir).synapses < AUTO_MIN_SYNAPSES) return { requested: 1, used: 1 };
  }
  const why = partitionBlocker(ir);
  if (why) return { requested, used: 1, note: `ran on one thread: ${why}` };
  return { requested, used: requested };
}
