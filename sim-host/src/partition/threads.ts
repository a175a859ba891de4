// How many workers a WASM run gets (RunOptions.threads, `simulate { threads }`, else the
// machine's idle cores when the model is large enough to gain from them). Pure.
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

/**
 * The workers for `ir`: `asked` (RunOptions.threads) over the model's `threads:`, else, for large
 * models, the cores that are idle (`idle`, at most `cores`): one step's barrier waits for the
 * slowest worker, so a worker without a core of its own slows every other (results are the same
 * for any count: only the speed depends on this choice).
 */
export function chooseThreads(ir: ModelIR, asked: number | undefined, cores: number, idle = cores): ThreadChoice {
  const explicit = asked ?? ir.simulate.threads;
  const requested = Math.max(1, Math.floor(explicit ?? cores));
  if (requested === 1) return { requested, used: 1 };
  let used = requested;
  let note: string | undefined;
  if (explicit === undefined) {
    const neurons = ir.populations.reduce((a, p) => a + p.size, 0);
    if (neurons < AUTO_MIN_NEURONS && estimateMemory(ir).synapses < AUTO_MIN_SYNAPSES) return { requested: 1, used: 1 };
    used = Math.max(1, Math.min(requested, Math.floor(idle)));
    if (used < requested) note = `ran on ${used === 1 ? 'one thread' : `${used} threads`}: ${requested - used} of the ${requested} cores are busy (set threads: to use them all)`;
  }
  const why = used > 1 ? partitionBlocker(ir) : undefined;
  if (why) return { requested, used: 1, note: `ran on one thread: ${why}` };
  return note ? { requested, used, note } : { requested, used };
}
