// The chips' delivery into their delay rings runs as generated WebAssembly
// (sim-host/src/targets/common/delivery-kernel.ts) with the TypeScript loops (common/delivery.ts)
// kept as the reference: both must give the same spikes, spike for spike, on both chips — here on
// a recurrent network fed by a spike_array through delays of several steps (a source the
// Float64 rings serve) and by a Poisson input, and on examples/cuba.snn.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPlan } from '../sim-host/src/core/plan';
import { emulateLoihi } from '../sim-host/src/targets/loihi2/emulate';
import { emulateSpinnaker } from '../sim-host/src/targets/spinnaker2/emulate';
import { irOf } from './helpers/model';
import { spikeKeys } from './helpers/targets';

const times = Array.from({ length: 120 }, (_, k) => `${(2 + k * 1.7).toFixed(1)} ms`);
const NET = `
input drive = spike_array[8] { times: [${times.join(', ')}]; indices: [${times.map((_, k) => (k * 5) % 8).join(', ')}] }
input noise = poisson[50] { rate: 40 Hz }
population a = LIF[120] { tau_m = 10 ms; V_th = -55 mV; t_ref = 2 ms }
population b = LIF[60] { tau_m = 15 ms; t_ref = 2 ms }
connect in_a: drive -> a { rule: random(p = 0.4); weight: 400 pA; delay: 1.5 ms; target: I_syn }
connect n_a: noise -> a { rule: random(p = 0.2); weight: 120 pA; target: I_syn }
connect a_b: a -> b { rule: random(p = 0.2); weight: 150 pA; delay: 2 ms; target: I_syn }
connect b_a: b -> a { rule: random(p = 0.1); weight: -200 pA; delay: 3 ms; target: I_syn }
connect a_a: a -> a { rule: random(p = 0.05); weight: 60 pA; delay: 1 ms; target: I_syn }
probe spikes(a, b)
simulate { dt: 0.1 ms; duration: 300 ms; seed: 4 }
`;

describe('chip emulation: the generated delivery equals the TypeScript loops', () => {
  for (const [name, ir] of [['spike_array + Poisson recurrent net', () => irOf(NET, { at: 'delivery.snn' })], ['examples/cuba.snn (0.2 s)', () => ({ ...irOf({ file: 'examples/cuba.snn' }), simulate: { ...irOf({ file: 'examples/cuba.snn' }).simulate, duration: 0.2 } })]] as const) {
    it(`SpiNNaker 2 and Loihi 2, ${name}: same spikes with delivery 'wasm' and 'ts'`, () => {
      const model = ir();
      const plan = buildPlan(model, {});
      const sw = spikeKeys(plan, emulateSpinnaker(plan, {}, undefined, { delivery: 'wasm' }).result);
      const st = spikeKeys(plan, emulateSpinnaker(plan, {}, undefined, { delivery: 'ts' }).result);
      assert.ok(sw.length > 100, `SpiNNaker spikes: ${sw.length}`);
      assert.deepEqual(sw, st, 'SpiNNaker');
      const lw = spikeKeys(plan, emulateLoihi(plan, {}, undefined, { delivery: 'wasm' }).result);
      const lt = spikeKeys(plan, emulateLoihi(plan, {}, undefined, { delivery: 'ts' }).result);
      assert.ok(lw.length > 100, `Loihi spikes: ${lw.length}`);
      assert.deepEqual(lw, lt, 'Loihi');
      console.log(`  ${name}: SpiNNaker ${sw.length} spikes, Loihi ${lw.length} spikes, identical both ways`);
    });
  }
});
