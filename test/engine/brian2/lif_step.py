"""Brian2 mirror of test/engine/lif_step.snn: one prelude LIF, I_e = 0 / 300 pA from 100 ms /
0 from 800 ms, 1 s at dt 0.1 ms; spikes and v every 0.1 ms.

  /usr/bin/python3 test/engine/brian2/lif_step.py --out /tmp/lif_step.json
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import b2  # noqa: E402
from models import neuron_group  # noqa: E402

args = common.parser(__doc__.splitlines()[0]).parse_args()
common.setup(args, dt_ms=0.1)

n, _ = neuron_group('LIF', 1, 'n')
stim = common.current_step(n, 'I_e', [0.100, 0.800], [300e-12, 0.0], args)
rec = common.Recorder()
rec.spikes('n', n)
rec.trace('n', n, 'v', [0], every_s=max(1e-4, args.dt_s))
net = b2.Network(n, stim, *rec.objects)
common.run_and_collect(args, 'lif_step', net, rec)
