// E/I XOR motif with a 4:1 excitatory-to-inhibitory ratio ("From Worms to Mice: Homeostasis
// Maybe All You Need"): over the full truth table of rate-coded inputs, run twice in two
// orders, the output fires when A and B differ and stays silent when they agree.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadExample, rate, runIR } from './helpers';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
// 500 ms windows as in the example's task; rates are read from 50 ms after each switch.
const WINDOWS = ['00', '10', '11', '01', '00', '01', '11', '10'];
const FIRES_HZ = 5; // half the output's homeostatic target rate (10 Hz)
const SILENT_HZ = 1;

describe('examples/xor_ei.snn', () => {
  const ir = loadExample('xor_ei');

  it('has the 4:1 excitatory-to-inhibitory ratio and the task windows the test reads', () => {
    const size = (n: string) => ir.populations.find((p) => p.name === n)?.size;
    assert.equal(size('exc')! / size('inh')!, 4);
    const task = ir.tasks.find((t) => t.name === 'xor')!;
    assert.deepEqual(task.windows.map((w) => w.label), WINDOWS);
    task.windows.forEach((w, k) => assert.ok(Math.abs(w.from - 0.5 * k) < 1e-9 && Math.abs(w.to - 0.5 * (k + 1)) < 1e-9));
  });

  it('out fires (>= 5 Hz) for 10 and 01 and stays silent (< 1 Hz) for 00 and 11, seeds 1-8', () => {
    const lo: Record<string, number> = {};
    const hi: Record<string, number> = {};
    for (const seed of SEEDS) {
      const r = runIR(ir, { seed });
      WINDOWS.forEach((label, k) => {
        const from = 0.5 * k + 0.05;
        const to = 0.5 * (k + 1);
        const out = rate(r, 'out', from, to);
        // the inputs really are what the label says (rate code of exc's halves)
        const a = rate(r, 'exc', from, to, 0, 39);
        const b = rate(r, 'exc', from, to, 40, 79);
        assert.equal(`${a > 10 ? 1 : 0}${b > 10 ? 1 : 0}`, label, `seed ${seed} window ${k}: exc halves at ${a.toFixed(1)} / ${b.toFixed(1)} Hz`);
        const xor = label[0] !== label[1];
        if (xor) assert.ok(out >= FIRES_HZ, `seed ${seed}, window ${k} (${label}): out at ${out.toFixed(2)} Hz, should fire`);
        else assert.ok(out < SILENT_HZ, `seed ${seed}, window ${k} (${label}): out at ${out.toFixed(2)} Hz, should be silent`);
        const key = xor ? 'differ' : label;
        lo[key] = Math.min(lo[key] ?? Infinity, out);
        hi[key] = Math.max(hi[key] ?? -Infinity, out);
      });
    }
    console.log(`  out rate ranges over seeds and passes: ${Object.keys(lo).map((k) => `${k} ${lo[k].toFixed(1)}-${hi[k].toFixed(1)} Hz`).join(', ')}`);
  });
});
