"""Brian2 mirror of test/engine/schedule_noise.snn: 1000 prelude LIF neurons, I_e redrawn every
1 ms as 250 pA + 100 pA * randn() and v += 2 mV * rand() every 5 ms (run_regularly, 'start'
slot); 1 s at dt 0.1 ms; spikes and I_e of neurons 0-199 every 1 ms.

  /usr/bin/python3 test/engine/brian2/schedule_noise.py --out /tmp/schedule_noise.json
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import b2  # noqa: E402
from models import neuron_group  # noqa: E402

args = common.parser(__doc__.splitlines()[0]).parse_args()
common.setup(args, dt_ms=0.1)

n, _ = neuron_group('LIF', 1000, 'n')
n.run_regularly('I_e = 250*pA + 100*pA * randn()', dt=1 * b2.ms, order=0, name='n_sched_0')
n.run_regularly('v += 2*mV * rand()', dt=5 * b2.ms, order=0, name='n_sched_1')
rec = common.Recorder()
rec.spikes('n', n)
rec.trace('n', n, 'I_e', range(200), every_s=1e-3)
net = b2.Network(n, *rec.objects)
common.run_and_collect(args, 'schedule_noise', net, rec)
