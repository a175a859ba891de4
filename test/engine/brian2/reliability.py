"""Brian2 mirror of examples/reliability.snn: spike-time reliability (Mainen & Sejnowski 1995,
as in Brian2's example gallery), 100 noisy units (tau 10 ms, sigma 0.015, threshold 1, reset 0,
refractory 5 ms, Euler-Maruyama) with the same frozen input (a fixed sum of eight sinusoids)
switched on at 1 s; 2 s at dt 0.1 ms; spikes.

The .snn's `at 1 s { A = 0.5 }` is a run_regularly with dt = 1 s in the 'start' slot: it runs at
t = 0 (A stays 0) and at t = 1 s (A = 0.5), before that step's state update.

  /usr/bin/python3 test/engine/brian2/reliability.py --out /tmp/reliability.json
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import b2  # noqa: E402
from brian2 import ms, second, Hz  # noqa: E402

FREQS = [(2.1, 0.4), (3.7, 2.9), (6.3, 1.3), (9.8, 5.1), (14.9, 3.7), (21.4, 0.8), (31.6, 4.4), (47.2, 2.2)]
FROZEN = '0.5 * (' + ' + '.join(f'sin(2 * pi * {f} * Hz * t + {p})' for f, p in FREQS) + ')'

p = common.parser(__doc__.splitlines()[0], duration=2.0)
args = p.parse_args()
common.setup(args, dt_ms=0.1)

eqs = f'''
frozen = {FROZEN} : 1
dx/dt = (I_0 + A * frozen - x) / tau + sigma * sqrt(2 / tau) * xi : 1 (unless refractory)
A : 1
'''
ns = dict(tau=10 * ms, sigma=0.015, I_0=1.1, Hz=Hz)
g = b2.NeuronGroup(100, eqs, threshold='x > 1', reset='x = 0', refractory=5 * ms, method='euler',
                   namespace=ns, name='trials')
g.x = 0
g.A = 0
g.run_regularly('A = 0.5 * int(t > 0.5*second)', dt=1 * second, name='trials_at_1s')
rec = common.Recorder()
rec.spikes('trials', g)
net = b2.Network(g, *rec.objects)
common.run_and_collect(args, 'reliability', net, rec)
