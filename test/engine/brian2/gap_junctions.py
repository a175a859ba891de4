"""Brian2 mirror of examples/gap_junctions.snn, as Brian2's example synapses/gapjunctions.py:
10 leaky integrators (v0 = 1.05, tau = 10 ms, method exact), v = i/(N-1), all-to-all gap
junctions w = 0.02 as a summed variable Igap_post = w*(v_pre - v_post); reset v = 0 at v > 1;
0.5 s at dt 0.1 ms; spikes, and v of neurons 0 and 5 every 0.1 ms.

  /usr/bin/python3 test/engine/brian2/gap_junctions.py --out /tmp/gap_junctions.json
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import b2  # noqa: E402

p = common.parser(__doc__.splitlines()[0], duration=0.5)
args = p.parse_args()
common.setup(args, dt_ms=0.1)

ms = b2.ms
eqs = '''
dv/dt = (v0 - v + Igap) / tau : 1
Igap : 1
'''
neurons = b2.NeuronGroup(10, eqs, threshold='v > 1', reset='v = 0', method='exact',
                         namespace=dict(v0=1.05, tau=10 * ms), name='neurons')
neurons.v = 'i * 1.0 / (N - 1)'
gap = b2.Synapses(neurons, neurons, '''
                  w : 1
                  Igap_post = w * (v_pre - v_post) : 1 (summed)
                  ''', name='gap')
gap.connect()
gap.w = 0.02
rec = common.Recorder()
rec.spikes('neurons', neurons)
rec.trace('neurons', neurons, 'v', [0, 5], every_s=max(1e-4, args.dt_s))
net = b2.Network(neurons, gap, *rec.objects)
common.run_and_collect(args, 'gap_junctions', net, rec)
