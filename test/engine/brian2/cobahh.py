"""Brian2 mirror of examples/cobahh.snn: the COBAHH benchmark network (Brette et al. 2007) as
Brian2's own example writes it — 4000 Traub-Miles HH neurons (exprel rates, exponential Euler),
exc = first 3200, exc -> all and inh -> all with p = 0.02 (self connections allowed, as the
.snn's default), g_e += 6 nS / g_i += 67 nS, decays 5 / 10 ms, threshold v > -20 mV, refractory
3 ms (no variable held); v ~ normal(-65 mV, 5 mV), g_e ~ normal(40 nS, 15 nS),
g_i ~ normal(200 nS, 120 nS). Spikes of exc and inh. dt 0.1 ms.

  /usr/bin/python3 test/engine/brian2/cobahh.py --seed 1 --duration 0.5 --out /tmp/cobahh.json
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import b2  # noqa: E402

mV, ms, pF, nS, uS = b2.mV, b2.ms, b2.pF, b2.nS, b2.uS
NS = dict(C_m=200 * pF, g_l=10 * nS, g_na=20 * uS, g_kd=6 * uS, E_l=-60 * mV, E_k=-90 * mV, E_na=50 * mV,
          V_T=-63 * mV, E_e=0 * mV, E_i=-80 * mV, tau_e=5 * ms, tau_i=10 * ms)
EQS = '''
dv/dt = (g_l*(E_l - v) + g_e*(E_e - v) + g_i*(E_i - v) - g_na*m*m*m*h*(v - E_na) - g_kd*n*n*n*n*(v - E_k)) / C_m : volt
dm/dt = alpha_m*(1 - m) - beta_m*m : 1
dn/dt = alpha_n*(1 - n) - beta_n*n : 1
dh/dt = alpha_h*(1 - h) - beta_h*h : 1
dg_e/dt = -g_e / tau_e : siemens
dg_i/dt = -g_i / tau_i : siemens
alpha_m = 0.32/mV * 4*mV / exprel((13*mV - v + V_T) / (4*mV)) / ms : Hz
beta_m = 0.28/mV * 5*mV / exprel((v - V_T - 40*mV) / (5*mV)) / ms : Hz
alpha_n = 0.032/mV * 5*mV / exprel((15*mV - v + V_T) / (5*mV)) / ms : Hz
beta_n = 0.5 * exp((10*mV - v + V_T) / (40*mV)) / ms : Hz
alpha_h = 0.128 * exp((17*mV - v + V_T) / (18*mV)) / ms : Hz
beta_h = 4 / (1 + exp((40*mV - v + V_T) / (5*mV))) / ms : Hz
'''


def build(n=4000, record_spikes=True):
    """The COBAHH network. Call common.setup() first. Returns (net, rec); the group is
    net['cobahh'], the synapses rec.synapses['exc->all'] and ['inh->all']. Without
    record_spikes there are no spike monitors (bench/brian2/cobahh_standalone.py adds a counter)."""
    n_e = int(round(0.8 * n))
    P = b2.NeuronGroup(n, EQS, threshold='v > -20*mV', refractory=3 * ms, method='exponential_euler',
                       namespace=dict(NS), name='cobahh')
    P.v = '-65*mV + 5*mV*randn()'
    P.g_e = '40*nS + 15*nS*randn()'
    P.g_i = '200*nS + 120*nS*randn()'
    P.m = 0
    P.n = 0
    P.h = 1
    exc, inh = P[:n_e], P[n_e:]
    s_e = b2.Synapses(exc, P, on_pre='g_e_post += w_e', namespace=dict(w_e=6 * nS), name='exc_all')
    s_e.connect(p=0.02)
    s_i = b2.Synapses(inh, P, on_pre='g_i_post += w_i', namespace=dict(w_i=67 * nS), name='inh_all')
    s_i.connect(p=0.02)
    rec = common.Recorder()
    if record_spikes:
        rec.spikes('exc', exc)
        rec.spikes('inh', inh)
    rec.synapse_count('exc->all', s_e)
    rec.synapse_count('inh->all', s_i)
    return b2.Network(P, s_e, s_i, *rec.objects), rec


if __name__ == '__main__':
    p = common.parser(__doc__.splitlines()[0])
    args = p.parse_args()
    common.setup(args, dt_ms=0.1)
    net, rec = build()
    common.run_and_collect(args, 'cobahh', net, rec)
