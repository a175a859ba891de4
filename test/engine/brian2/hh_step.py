"""Brian2 mirror of test/engine/hh_step.snn: one Hodgkin-Huxley neuron with the Traub-Miles rates
of Brian2's COBAHH example (exprel), exponential Euler, I_e = 0 / 500 pA (--amp) from 100 ms / 0
from 800 ms, 1 s at dt 0.1 ms (--dt); threshold v > -20 mV with a 3 ms refractory period that
only blocks spiking (no variable is held); spikes and v every 0.1 ms.

  /usr/bin/python3 test/engine/brian2/hh_step.py --out /tmp/hh_step.json
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import b2  # noqa: E402

p = common.parser(__doc__.splitlines()[0])
p.add_argument('--amp', type=float, default=500, help='step amplitude in pA (default %(default)s)')
args = p.parse_args()
common.setup(args, dt_ms=0.1)

mV, ms, pF, nS, uS, pA = b2.mV, b2.ms, b2.pF, b2.nS, b2.uS, b2.pA
ns = dict(C_m=200 * pF, g_l=10 * nS, g_na=20 * uS, g_kd=6 * uS, E_l=-60 * mV, E_k=-90 * mV,
          E_na=50 * mV, V_T=-63 * mV)
eqs = '''
dv/dt = (g_l*(E_l - v) - g_na*m*m*m*h*(v - E_na) - g_kd*n*n*n*n*(v - E_k) + I_e) / C_m : volt
dm/dt = 0.32/mV * 4*mV / exprel((13*mV - v + V_T) / (4*mV)) / ms * (1 - m) - 0.28/mV * 5*mV / exprel((v - V_T - 40*mV) / (5*mV)) / ms * m : 1
dn/dt = 0.032/mV * 5*mV / exprel((15*mV - v + V_T) / (5*mV)) / ms * (1 - n) - 0.5 * exp((10*mV - v + V_T) / (40*mV)) / ms * n : 1
dh/dt = 0.128 * exp((17*mV - v + V_T) / (18*mV)) / ms * (1 - h) - 4 / (1 + exp((40*mV - v + V_T) / (5*mV))) / ms * h : 1
I_e : amp
'''
cell = b2.NeuronGroup(1, eqs, threshold='v > -20*mV', refractory=3 * ms, method='exponential_euler',
                      namespace=ns, name='cell')
cell.v = -60 * mV
cell.m = 0
cell.n = 0
cell.h = 1
stim = common.current_step(cell, 'I_e', [0.100, 0.800], [args.amp * 1e-12, 0.0], args)
rec = common.Recorder()
rec.spikes('cell', cell)
rec.trace('cell', cell, 'v', [0], every_s=max(1e-4, args.dt_s))
net = b2.Network(cell, stim, *rec.objects)
common.run_and_collect(args, 'hh_step', net, rec)
