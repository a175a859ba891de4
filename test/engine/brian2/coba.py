"""Brian2 mirror of examples/coba.snn (Vogels & Abbott 2005 COBA network), any size.

N prelude CobaLIF neurons (exc = first 80 %, inh = last 20 %), initial v ~ normal(-55 mV, 5 mV),
g_e ~ normal(40 nS, 15 nS), g_i ~ normal(200 nS, 120 nS) (not clipped: some start negative,
as in the .snn and in Brian2's own COBA benchmark). exc -> exc, inh and inh -> exc, inh with
random(p), p = 0.02 * 4000 / N, so that the mean in-degree stays 80 at every N (p = 0.02 at
N = 4000, as in the .snn); self connections allowed (`autapses: true` default). Weights 6 nS
(`target: g_e`) and 67 nS (`target: g_i`), no delay. Spikes of exc and inh; v of exc[0..9]
every 1 ms. dt 0.1 ms, 1 s.

At N = 4000 the network is bistable: for some seeds activity dies out after the initial
transient (rates_hz_late ~0); compare statistics over several seeds.

  /usr/bin/python3 test/engine/brian2/coba.py --seed 1 --out /tmp/coba.json [--n 4000]
  (bench/brian2/coba_standalone.py builds the same network through build())
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import b2  # noqa: E402
from models import neuron_group  # noqa: E402
from brian2 import mV, nS  # noqa: E402


def build(n, record_v=True, record_spikes=True):
    """The COBA network with n neurons. Call common.setup() first. Returns (net, rec, syns)."""
    n_e = int(round(0.8 * n))
    p = 0.02 * 4000 / n
    P, _ = neuron_group('CobaLIF', n, 'coba')
    exc, inh = P[:n_e], P[n_e:]
    P.v = '-55*mV + 5*mV*randn()'
    P.g_e = '40*nS + 15*nS*randn()'
    P.g_i = '200*nS + 120*nS*randn()'
    s_e = b2.Synapses(exc, P, on_pre='g_e_post += w_e', namespace=dict(w_e=6 * nS), name='exc_all')
    s_e.connect(p=p)
    s_i = b2.Synapses(inh, P, on_pre='g_i_post += w_i', namespace=dict(w_i=67 * nS), name='inh_all')
    s_i.connect(p=p)
    rec = common.Recorder()
    if record_spikes:
        rec.spikes('exc', exc)
        rec.spikes('inh', inh)
    if record_v:
        rec.trace('exc', exc, 'v', range(min(10, n_e)), every_s=1e-3)
    rec.synapse_count('exc->exc,inh', s_e)
    rec.synapse_count('inh->exc,inh', s_i)
    net = b2.Network(P, s_e, s_i, *rec.objects)
    return net, rec, (P, s_e, s_i)


if __name__ == '__main__':
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument('--n', type=int, default=4000, help='network size (default %(default)s)')
    args = p.parse_args()
    common.setup(args, dt_ms=0.1)
    net, rec, _ = build(args.n)
    common.run_and_collect(args, 'coba', net, rec, extra={'n': args.n, 'p': 0.02 * 4000 / args.n})
