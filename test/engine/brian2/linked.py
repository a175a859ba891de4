"""Brian2 mirror of test/engine/linked.snn: pacemakers whose v is read by followers through
linked variables, 1 s at dt 0.1 ms; spikes of every group.

`v_drive = linked(one.v)` is `v_drive : volt (linked)` with `shared.v_drive = linked_var(one, 'v')`
(one neuron: every follower reads it); `linked(pace.v, index = i / 10)` is
`linked_var(pace, 'v', index=np.arange(100) // 10)`. A link reads the source's start-of-step
value (LANGUAGE.md, "Linked variables"): in Brian2 the followers' state updaters run before the
pacemakers' (order=-1), so that when they read v the pacemakers have not been integrated yet in
that step (their thresholds and resets ran at the end of the previous one). With order=1 instead
(followers after the pacemakers, reading the integrated v) Brian2 gives 2196 + 3359 follower
spikes instead of 2175 + 3324, 162 of the 200 followers' trains differ: the comparison tells the
two orders apart.

  /usr/bin/python3 test/engine/brian2/linked.py --out /tmp/linked.json
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import b2  # noqa: E402
from brian2 import ms, mV  # noqa: E402

args = common.parser(__doc__.splitlines()[0]).parse_args()
common.setup(args, dt_ms=0.1)

pacer = '''
dv/dt = (v_inf - v) / tau : volt
v_inf : volt
'''
pns = dict(tau=20 * ms, E_l=-70 * mV, V_th=-50 * mV)
pace = b2.NeuronGroup(10, pacer, threshold='v > V_th', reset='v = E_l', method='exponential_euler', namespace=pns, name='pace')
pace.v_inf = '-45*mV + i * 1*mV'
pace.v = -70 * mV
one = b2.NeuronGroup(1, pacer, threshold='v > V_th', reset='v = E_l', method='exponential_euler', namespace=pns, name='one')
one.v_inf = -46 * mV
one.v = -70 * mV

follower = '''
dv/dt = (E_l - v + bias + gain * (v_drive - E_l)) / tau_m : volt (unless refractory)
bias : volt
v_drive : volt (linked)
'''
fns = dict(tau_m=10 * ms, E_l=-70 * mV, V_th=-56 * mV, V_reset=-70 * mV, gain=0.6)


def followers(name, bias):
    g = b2.NeuronGroup(100, follower, threshold='v > V_th', reset='v = V_reset', refractory=2 * ms,
                       method='exponential_euler', namespace=fns, name=name, order=-1)
    g.bias = bias
    g.v = -70 * mV
    return g


shared = followers('shared', 'i * 0.1*mV')
shared.v_drive = b2.linked_var(one, 'v')
groups = followers('groups', '5*mV + i * 0.03*mV')
groups.v_drive = b2.linked_var(pace, 'v', index=np.arange(100) // 10)

rec = common.Recorder()
for name, g in [('shared', shared), ('groups', groups), ('pace', pace), ('one', one)]:
    rec.spikes(name, g)
net = b2.Network(pace, one, shared, groups, *rec.objects)
common.run_and_collect(args, 'linked', net, rec)
