"""Brian2 mirror of test/engine/lif_spiketrain.snn: three prelude CobaLIF neurons driven by one
fixed spike train (spike_array -> SpikeGeneratorGroup) through `target: g_e` connections
(on_pre 'g_e_post += w'): cells[0] 20 nS, cells[1] 5 nS, cells[2] 20 nS with delay 2 ms.
1 s at dt 0.1 ms; spikes of cells and train, v and g_e of all cells every 0.1 ms.

The spike times are read from the .snn file itself (the `times: [...]` list), so the two
cannot drift apart.

  /usr/bin/python3 test/engine/brian2/lif_spiketrain.py --out /tmp/lif_spiketrain.json
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402
from common import b2  # noqa: E402
from models import neuron_group  # noqa: E402


def train_times_s():
    src = open(os.path.join(HERE, '..', 'lif_spiketrain.snn')).read()
    body = re.search(r'times:\s*\[([^\]]*)\]', src).group(1)
    times = []
    for item in body.split(','):
        num, unit = item.split()
        times.append(float(num) * {'ms': 1e-3, 's': 1.0}[unit])
    return times


args = common.parser(__doc__.splitlines()[0]).parse_args()
common.setup(args, dt_ms=0.1)

times = train_times_s()
assert len(times) == 49, len(times)
train = b2.SpikeGeneratorGroup(1, [0] * len(times), times * b2.second, name='train')
cells, _ = neuron_group('CobaLIF', 3, 'cells')

syns = []
for k, (w_nS, delay_ms) in enumerate([(20, None), (5, None), (20, 2)]):
    s = b2.Synapses(train, cells, model='w : siemens (constant)', on_pre='g_e_post += w',
                    delay=None if delay_ms is None else delay_ms * b2.ms, name=f'train_cells{k}')
    s.connect(i=0, j=k)
    s.w = w_nS * b2.nS
    syns.append(s)

rec = common.Recorder()
rec.spikes('cells', cells)
rec.spikes('train', train)
every = max(1e-4, args.dt_s)
rec.trace('cells', cells, 'v', [0, 1, 2], every_s=every)
rec.trace('cells', cells, 'g_e', [0, 1, 2], every_s=every)
for k, s in enumerate(syns):
    rec.synapse_count(f'train->cells[{k}]', s)
net = b2.Network(train, cells, *syns, *rec.objects)
common.run_and_collect(args, 'lif_spiketrain', net, rec)
