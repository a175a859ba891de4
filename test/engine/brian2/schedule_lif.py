"""Brian2 mirror of test/engine/schedule_lif.snn: ten LIF-like neurons driven by scheduled
operations, 1 s at dt 0.1 ms; spikes, k and I_e every 1 ms.

`every T { … }` is run_regularly(code, dt=T) in the 'start' slot (Brian2's default, before the
state update and the StateMonitors, whose names sort after the group's); `at T { … }` is a
run_regularly at the simulation dt whose statements are weighted by (t == T), since abstract
code has no `if`. The blocks keep their order in the population through `order`.

  /usr/bin/python3 test/engine/brian2/schedule_lif.py --out /tmp/schedule_lif.json
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import b2  # noqa: E402
from brian2 import ms, mV, pA, Mohm  # noqa: E402

args = common.parser(__doc__.splitlines()[0]).parse_args()
common.setup(args, dt_ms=0.1)

ns = dict(tau_m=20 * ms, R_m=100 * Mohm, E_l=-70 * mV, V_th=-50 * mV, V_reset=-70 * mV)
eqs = '''
dv/dt = (E_l - v + R_m * (I_e + I_b)) / tau_m : volt (unless refractory)
I_e : amp
I_b : amp
k : 1
'''
n = b2.NeuronGroup(10, eqs, threshold='v > V_th', reset='v = V_reset', refractory=2 * ms,
                   method='exponential_euler', namespace=ns, name='n')
n.v = -70 * mV
n.run_regularly('''I_e = (300*pA + i * 20*pA) * (1 + 0.25 * sin(2 * pi * t / (200*ms)))
k += 1''', dt=10 * ms, order=0, name='n_sched_0')
n.run_regularly('v -= 3*mV', dt=50 * ms, order=1, name='n_sched_1')
# at 300 ms { I_b = 80 pA }: on the step of 300 ms only (|t - T| < dt/2).
half = 'abs(t - {T}*ms) < 0.05*ms'
n.run_regularly(f'I_b = I_b + int({half.format(T=300)}) * (80*pA - I_b)', order=2, name='n_sched_2')
n.run_regularly(f'I_b = I_b * (1 - 0.5 * int({half.format(T=600)} or {half.format(T=700)}))', order=3, name='n_sched_3')
rec = common.Recorder()
rec.spikes('n', n)
rec.trace('n', n, 'k', range(10), every_s=1e-3)
rec.trace('n', n, 'I_e', range(10), every_s=1e-3)
net = b2.Network(n, *rec.objects)
common.run_and_collect(args, 'schedule_lif', net, rec)
