"""Brian2 mirror of test/engine/ring_chain.snn: a ring of 12 prelude CobaLIF neurons, each
connected to the next by S.connect(condition='j == (i + 1) % N_post') (20 nS, delay 2 ms,
on_pre 'g_e_post += w'), started by one input spike into neuron 0 at 10 ms. 300 ms at dt
0.1 ms; spikes of the ring, v of neurons 0-2 every 0.1 ms.

  /usr/bin/python3 test/engine/brian2/ring_chain.py --out /tmp/ring_chain.json
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402
from common import b2  # noqa: E402
from models import neuron_group  # noqa: E402

args = common.parser(__doc__.splitlines()[0], duration=0.3).parse_args()
common.setup(args, dt_ms=0.1)

kick = b2.SpikeGeneratorGroup(1, [0], [10] * b2.ms, name='kick')
ring, _ = neuron_group('CobaLIF', 12, 'ring')

s_kick = b2.Synapses(kick, ring, model='w : siemens (constant)', on_pre='g_e_post += w', name='kick_ring')
s_kick.connect(i=0, j=0)
s_kick.w = 20 * b2.nS
hop = b2.Synapses(ring, ring, model='w : siemens (constant)', on_pre='g_e_post += w', delay=2 * b2.ms, name='hop')
hop.connect(condition='j == (i + 1) % N_post')
hop.w = 20 * b2.nS

rec = common.Recorder()
rec.spikes('ring', ring)
rec.trace('ring', ring, 'v', [0, 1, 2], every_s=max(1e-4, args.dt_s))
rec.synapse_count('hop', hop)
net = b2.Network(kick, ring, s_kick, hop, *rec.objects)
common.run_and_collect(args, 'ring_chain', net, rec)
