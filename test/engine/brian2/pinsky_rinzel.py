"""Brian2 mirror of examples/pinsky_rinzel.snn: the Pinsky-Rinzel (1994) two-compartment CA3
cell as coupled ODEs in one NeuronGroup (soma Na / K-DR, dendrite Ca / K-AHP / K-C and calcium;
voltages relative to rest), written for a total area of 1000 um^2 with p = 0.5 as the .snn file
does; I_s = 0.75 uA/cm^2; threshold soma_v > 20 mV with refractory='soma_v > 20*mV' (no hold);
rk4, 0.5 s at dt 0.02 ms; spikes, soma_v, dend_v and dend_Ca every 0.1 ms.

  /usr/bin/python3 test/engine/brian2/pinsky_rinzel.py --out /tmp/pinsky_rinzel.json
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import b2  # noqa: E402

p = common.parser(__doc__.splitlines()[0], duration=0.5)
args = p.parse_args()
common.setup(args, dt_ms=0.02)

mV, ms, um, cm, uF, mS, uA, kHz = b2.mV, b2.ms, b2.um, b2.cm, b2.uF, b2.msiemens, b2.uA, b2.kHz
eqs = '''
alpha_m = 1.28*kHz / exprel((13.1*mV - soma_v) / (4*mV)) : Hz
beta_m = 1.4*kHz / exprel((soma_v - 40.1*mV) / (5*mV)) : Hz
m_inf = alpha_m / (alpha_m + beta_m) : 1
alpha_h = 0.128*kHz * exp((17*mV - soma_v) / (18*mV)) : Hz
beta_h = 4*kHz / (1 + exp((40*mV - soma_v) / (5*mV))) : Hz
alpha_n = 0.08*kHz / exprel((35.1*mV - soma_v) / (5*mV)) : Hz
beta_n = 0.25*kHz * exp(0.5 - soma_v / (40*mV)) : Hz
dsoma_h/dt = alpha_h*(1 - soma_h) - beta_h*soma_h : 1
dsoma_n/dt = alpha_n*(1 - soma_n) - beta_n*soma_n : 1
soma_I_axial = g_axial*(dend_v - soma_v) : amp
dsoma_v/dt = (A_s*(g_L*(E_L - soma_v) + g_Na*m_inf**2*soma_h*(E_Na - soma_v) + g_DR*soma_n*(E_K - soma_v)) + soma_I_axial + I_s*area) / C_s : volt

alpha_s = 1.6*kHz / (1 + exp(-0.072 * (dend_v - 65*mV) / mV)) : Hz
beta_s = 0.1*kHz / exprel((dend_v - 51.1*mV) / (5*mV)) : Hz
above = int(dend_v > 50*mV) : 1
alpha_c = (1 - above) * exp((dend_v - 10*mV) / (11*mV) - (dend_v - 6.5*mV) / (27*mV)) / 18.975 * kHz + above * 2*kHz * exp((6.5*mV - dend_v) / (27*mV)) : Hz
beta_c = (1 - above) * (2*kHz * exp((6.5*mV - dend_v) / (27*mV)) - alpha_c) : Hz
alpha_q = clip(0.00002 * dend_Ca, -inf, 0.01) * kHz : Hz
chi = clip(dend_Ca / 250, -inf, 1) : 1
I_Ca = g_Ca * dend_s**2 * (dend_v - E_Ca) : amp/meter**2
ddend_s/dt = alpha_s*(1 - dend_s) - beta_s*dend_s : 1
ddend_c/dt = alpha_c*(1 - dend_c) - beta_c*dend_c : 1
ddend_q/dt = alpha_q*(1 - dend_q) - 0.001*kHz*dend_q : 1
ddend_Ca/dt = -0.13*cm**2/uA/ms * I_Ca - 0.075*kHz * dend_Ca : 1
dend_I_axial = g_axial*(soma_v - dend_v) : amp
ddend_v/dt = (A_d*(g_L*(E_L - dend_v) - I_Ca + g_AHP*dend_q*(E_K - dend_v) + g_C*dend_c*chi*(E_K - dend_v)) + dend_I_axial) / C_d : volt
'''
area = 1000 * um**2
pfrac = 0.5
ns = dict(area=area, A_s=pfrac * area, A_d=(1 - pfrac) * area, C_s=3 * uF / cm**2 * pfrac * area,
          C_d=3 * uF / cm**2 * (1 - pfrac) * area, g_axial=2.1 * mS / cm**2 * area, g_L=0.1 * mS / cm**2,
          E_L=0 * mV, E_Na=120 * mV, E_K=-15 * mV, E_Ca=140 * mV, I_s=0.75 * uA / cm**2,
          g_Na=30 * mS / cm**2, g_DR=15 * mS / cm**2, g_Ca=10 * mS / cm**2, g_AHP=0.8 * mS / cm**2,
          g_C=15 * mS / cm**2)
cell = b2.NeuronGroup(1, eqs, threshold='soma_v > 20*mV', refractory='soma_v > 20*mV', method='rk4',
                      namespace=ns, name='cell')
cell.soma_v = -4.6 * mV
cell.dend_v = -4.6 * mV
cell.soma_h = 0.999
cell.soma_n = 0.001
cell.dend_s = 0.009
cell.dend_c = 0.007
cell.dend_q = 0.01
cell.dend_Ca = 0.2
rec = common.Recorder()
rec.spikes('cell', cell)
every = max(1e-4, args.dt_s)
for var in ('soma_v', 'dend_v', 'dend_Ca'):
    rec.trace('cell', cell, var, [0], every_s=every)
net = b2.Network(cell, *rec.objects)
common.run_and_collect(args, 'pinsky_rinzel', net, rec)
