"""Brian2 mirror of test/engine/pathways.snn: one input drives 2 prelude CobaLIF neurons through
one Synapses object with three pathways, on_pre={'early': 'g_e_post += w', 'late':
'g_e_post += w', 'inhib': 'g_i_post += w'}, delays 1 ms, 6 ms and 3 ms (S.early.delay, ...),
w = 20 nS; kicks at 10 ms and 50 ms. 100 ms at dt 0.1 ms; spikes, v, g_e and g_i every 0.1 ms.

  /usr/bin/python3 test/engine/brian2/pathways.py --out /tmp/pathways.json
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402
from common import b2  # noqa: E402
from models import neuron_group  # noqa: E402

args = common.parser(__doc__.splitlines()[0], duration=0.1).parse_args()
common.setup(args, dt_ms=0.1)

kick = b2.SpikeGeneratorGroup(1, [0, 0], [10, 50] * b2.ms, name='kick')
cells, _ = neuron_group('CobaLIF', 2, 'cells')

paths = b2.Synapses(kick, cells, model='w : siemens (constant)',
                    on_pre={'early': 'g_e_post += w', 'late': 'g_e_post += w', 'inhib': 'g_i_post += w'},
                    name='paths')
paths.connect()
paths.w = 20 * b2.nS
paths.early.delay = 1 * b2.ms
paths.late.delay = 6 * b2.ms
paths.inhib.delay = 3 * b2.ms

rec = common.Recorder()
rec.spikes('cells', cells)
every = max(1e-4, args.dt_s)
for var in ('v', 'g_e', 'g_i'):
    rec.trace('cells', cells, var, [0, 1], every_s=every)
rec.synapse_count('paths', paths)
net = b2.Network(kick, cells, paths, *rec.objects)
common.run_and_collect(args, 'pathways', net, rec)
