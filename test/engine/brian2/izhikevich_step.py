"""Brian2 mirror of test/engine/izhikevich_step.snn: one prelude Izhikevich (rk2),
I_e = 0 / 100 pA from 100 ms / 200 pA from 500 ms, 1 s at dt 0.1 ms; spikes, v and u every 0.1 ms.

  /usr/bin/python3 test/engine/brian2/izhikevich_step.py --out /tmp/izhikevich_step.json
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import b2  # noqa: E402
from models import neuron_group  # noqa: E402

args = common.parser(__doc__.splitlines()[0]).parse_args()
common.setup(args, dt_ms=0.1)

n, _ = neuron_group('Izhikevich', 1, 'n')
stim = common.current_step(n, 'I_e', [0.100, 0.500], [100e-12, 200e-12], args)
rec = common.Recorder()
rec.spikes('n', n)
rec.trace('n', n, 'v', [0], every_s=max(1e-4, args.dt_s))
rec.trace('n', n, 'u', [0], every_s=max(1e-4, args.dt_s))
net = b2.Network(n, stim, *rec.objects)
common.run_and_collect(args, 'izhikevich_step', net, rec)
