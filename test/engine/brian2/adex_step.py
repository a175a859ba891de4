"""Brian2 mirror of test/engine/adex_step.snn: one prelude AdEx (rk2),
I_e = 0 / 800 pA (--amp) from 100 ms / 0 from 900 ms, 1 s at dt 0.1 ms; spikes, v and w every 0.1 ms.

  /usr/bin/python3 test/engine/brian2/adex_step.py --out /tmp/adex_step.json
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import b2  # noqa: E402
from models import neuron_group  # noqa: E402

p = common.parser(__doc__.splitlines()[0])
p.add_argument('--amp', type=float, default=800, help='step amplitude in pA (default %(default)s)')
args = p.parse_args()
common.setup(args, dt_ms=0.1)

n, _ = neuron_group('AdEx', 1, 'n')
stim = common.current_step(n, 'I_e', [0.100, 0.900], [args.amp * 1e-12, 0.0], args)
rec = common.Recorder()
rec.spikes('n', n)
rec.trace('n', n, 'v', [0], every_s=max(1e-4, args.dt_s))
rec.trace('n', n, 'w', [0], every_s=max(1e-4, args.dt_s))
net = b2.Network(n, stim, *rec.objects)
common.run_and_collect(args, 'adex_step', net, rec)
