"""Brian2 mirror of examples/two_compartment.snn: a soma (100 pF, 5 nS) and a dendrite (50 pF,
2.5 nS) as two coupled ODEs in one NeuronGroup (Brian2's SpatialNeuron is the cable solver; the
.snn construct flattens to exactly these equations), axial g = 10 nS, E_l = -70 mV, dendritic
I_e = 150 / 300 / 500 pA; spike at soma_v > -50 mV, reset soma_v = -65 mV, refractory 2 ms
holding soma_v; exponential Euler (the .snn default `exact`); 0.5 s at dt 0.1 ms.

  /usr/bin/python3 test/engine/brian2/two_compartment.py --out /tmp/two_compartment.json
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import b2  # noqa: E402

p = common.parser(__doc__.splitlines()[0], duration=0.5)
args = p.parse_args()
common.setup(args, dt_ms=0.1)

mV, pF, nS, pA, ms = b2.mV, b2.pF, b2.nS, b2.pA, b2.ms
eqs = '''
dsoma_v/dt = (soma_g_l*(E_l - soma_v) + soma_I_axial) / soma_C_m : volt (unless refractory)
ddend_v/dt = (dend_g_l*(E_l - dend_v) + dend_I_axial + dend_I_e) / dend_C_m : volt
soma_I_axial = g_axial*(dend_v - soma_v) : amp
dend_I_axial = g_axial*(soma_v - dend_v) : amp
dend_I_e : amp
'''
ns = dict(E_l=-70 * mV, soma_C_m=100 * pF, soma_g_l=5 * nS, dend_C_m=50 * pF, dend_g_l=2.5 * nS, g_axial=10 * nS)
cell = b2.NeuronGroup(3, eqs, threshold='soma_v > -50*mV', reset='soma_v = -65*mV', refractory=2 * ms,
                      method='exponential_euler', namespace=ns, name='cell')
cell.soma_v = -70 * mV
cell.dend_v = -70 * mV
cell.dend_I_e = [150, 300, 500] * pA
rec = common.Recorder()
rec.spikes('cell', cell)
rec.trace('cell', cell, 'soma_v', [0, 1, 2], every_s=max(1e-4, args.dt_s))
rec.trace('cell', cell, 'dend_v', [0, 1, 2], every_s=max(1e-4, args.dt_s))
net = b2.Network(cell, *rec.objects)
common.run_and_collect(args, 'two_compartment', net, rec)
