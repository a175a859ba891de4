"""Brian2 mirror of test/engine/refractory_forms.snn: the refractoriness forms, 1 s at dt 0.1 ms.
- cross: dv/dt = (E_l + I_e + A*sin(2*pi*f*t) - v)/tau, threshold v > -55 mV, no reset,
  refractory='v > -60*mV' (a boolean refractory: not_refractory = not_refractory or
  not (v > -60*mV) at the start of each state update); I_e = 14 mV from 300 ms to 600 ms;
- blocked: LIF, reset v = -65 mV, refractory 5 ms WITHOUT (unless refractory) (the .snn's
  `holding []`): spiking blocked, v integrates; I_e 25 mV from 100 ms, 60 mV from 400 ms, 0 from
  700 ms;
- held: the same with v (unless refractory) (the .snn's default: the reset's variable is held).
- dip: dv/dt = (-45 mV - v)/(0.5 ms), threshold v > -50 mV, refractory='v > -50*mV', no reset.
- adapt: dv/dt = (E_l + I_e - w - v)/tau (unless refractory), dw/dt = -w/tau_w, reset
  v = -65 mV; w += 5 mV, refractory='w > 4*mV' (the .snn's `holding [v]`); I_e 40 mV from
  100 ms to 700 ms.
The spike train `kicks` adds 3 mV to v of blocked and held (dropped by held while refractory)
and -6 mV to v of dip (one step below -50 mV: re-armed, it spikes in the next step).
Spikes and v of all five (and w of adapt) every 0.1 ms.

  /usr/bin/python3 test/engine/brian2/refractory_forms.py --out /tmp/refractory_forms.json
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import b2  # noqa: E402

args = common.parser(__doc__.splitlines()[0]).parse_args()
common.setup(args, dt_ms=0.1)
mV, ms, Hz = b2.mV, b2.ms, b2.Hz

cross = b2.NeuronGroup(1, '''
dv/dt = (E_l + I_e + A*sin(2*pi*f*t) - v) / tau : volt
I_e : volt
''', threshold='v > -55*mV', refractory='v > -60*mV', method='exponential_euler',
    namespace=dict(tau=10 * ms, E_l=-62 * mV, A=12 * mV, f=10 * Hz), name='cross')
cross.v = -62 * mV


def lif(name, flag):
    g = b2.NeuronGroup(1, f'''
dv/dt = (E_l + I_e - v) / tau : volt {flag}
I_e : volt
''', threshold='v > V_th', reset='v = V_reset', refractory=5 * ms, method='exponential_euler',
        namespace=dict(tau=10 * ms, E_l=-70 * mV, V_th=-50 * mV, V_reset=-65 * mV), name=name)
    g.v = -70 * mV
    return g


blocked = lif('blocked', '')
held = lif('held', '(unless refractory)')

dip = b2.NeuronGroup(1, 'dv/dt = (E - v) / tau : volt', threshold='v > -50*mV', refractory='v > -50*mV',
                    method='exponential_euler', namespace=dict(tau=0.5 * ms, E=-45 * mV), name='dip')
dip.v = -70 * mV

adapt = b2.NeuronGroup(1, '''
dv/dt = (E_l + I_e - w - v) / tau : volt (unless refractory)
dw/dt = -w / tau_w : volt
I_e : volt
''', threshold='v > V_th', reset='v = V_reset; w += 5*mV', refractory='w > 4*mV', method='exponential_euler',
    namespace=dict(tau=10 * ms, tau_w=30 * ms, E_l=-70 * mV, V_th=-50 * mV, V_reset=-65 * mV), name='adapt')
adapt.v = -70 * mV

steps = [
    common.current_step(adapt, 'I_e', [0.100, 0.700], [40e-3, 0.0], args, name='drive_a'),
    common.current_step(cross, 'I_e', [0.300, 0.600], [14e-3, 0.0], args, name='offset'),
    common.current_step(blocked, 'I_e', [0.100, 0.400, 0.700], [25e-3, 60e-3, 0.0], args, name='drive_b'),
    common.current_step(held, 'I_e', [0.100, 0.400, 0.700], [25e-3, 60e-3, 0.0], args, name='drive_h'),
]
times = [150.2, 233.3, 402.3, 415.7, 433.1, 471.4, 520.9, 555.5, 750]
kicks = b2.SpikeGeneratorGroup(1, [0] * len(times), [x * 1e-3 for x in times] * b2.second, name='kicks')
syns = []
for target in (blocked, held):
    s = b2.Synapses(kicks, target, on_pre='v_post += 3*mV', name=f'kicks_{target.name}')
    s.connect(i=0, j=0)
    syns.append(s)
s = b2.Synapses(kicks, dip, on_pre='v_post += -6*mV', name='kicks_dip')
s.connect(i=0, j=0)
syns.append(s)
s = b2.Synapses(kicks, adapt, on_pre='v_post += 3*mV', name='kicks_adapt')
s.connect(i=0, j=0)
syns.append(s)

rec = common.Recorder()
for g in (cross, blocked, held, dip, adapt):
    rec.spikes(g.name, g)
    rec.trace(g.name, g, 'v', [0], every_s=max(1e-4, args.dt_s))
net = b2.Network(cross, blocked, held, dip, adapt, kicks, *syns, *steps, *rec.objects)
rec.trace('adapt', adapt, 'w', [0], every_s=max(1e-4, args.dt_s))
common.run_and_collect(args, 'refractory_forms', net, rec)
