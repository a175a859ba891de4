"""Brian2 mirror of test/engine/brunel.snn: Brunel (2000) sparse CUBA network with delta synapses.

N_E = 4000, N_I = 1000 prelude LIF neurons with tau_m = 20 ms, E_l = 0 mV, V_th = 20 mV,
V_reset = 10 mV, t_ref = 2 ms, initial v ~ uniform(0 mV, 20 mV). Recurrent: fixed in-degree
(C_E = 400 from exc, C_I = 100 from inh, sampled without replacement for every target, self
connections allowed as in the .snn default `autapses: true`), J = 0.1 mV, inhibitory -g*J =
-0.5 mV, delay D = 1.5 ms, `target: v` (on_pre 'v_post += w'; Brian2 drops the jumps that reach
a refractory target, see models.py).

External drive (--drive):
  pool        (default; what brunel.snn says) Brunel's own formulation: every neuron receives
              C_E = 400 external synapses (weight J, no delay) from a pool of --n-ext = 20000
              independent Poisson sources at nu_ext = eta*nu_thr = 50 Hz, fixed in-degree 400.
              Total external rate per neuron = C_E*nu_ext = 20 kHz, as in Brunel / NEST.
  one_to_one  one PoissonGroup source per neuron at C_E*nu_ext = 20 kHz. Spike probability per
              step is rate*dt = 2 > 1 for a Bernoulli source (Brian2 PoissonGroup, and the
              .snn `poisson` input): the source fires on EVERY step (10 kHz, no noise) and the
              network falls silent. Kept to document why brunel.snn does not do this.
  poissoninput  Brian2 PoissonInput(N = 400, rate = 50 Hz): binomial counts per step, i.e. the
              exact Poisson drive of NEST's brunel_delta. Not expressible in .snn; a yardstick
              for how close `pool` comes to the textbook network.

  /usr/bin/python3 test/engine/brian2/brunel.py --seed 1 --out /tmp/brunel.json [--duration 0.5]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402

import common  # noqa: E402
from common import b2  # noqa: E402
from models import neuron_group  # noqa: E402
from brian2 import mV, ms, Hz  # noqa: E402

p = common.parser(__doc__.splitlines()[0])
p.add_argument('--drive', choices=['pool', 'one_to_one', 'poissoninput'], default='pool')
p.add_argument('--n-ext', type=int, default=20000, help='size of the external Poisson pool (drive=pool)')
p.add_argument('--eta', type=float, default=2.0, help='nu_ext / nu_thr (default %(default)s)')
p.add_argument('--J', type=float, default=0.1, help='excitatory weight in mV (default %(default)s)')
p.add_argument('--g', type=float, default=5.0, help='relative inhibitory strength (default %(default)s)')
args = p.parse_args()
common.setup(args, dt_ms=0.1)

N_E, N_I = 4000, 1000
C_E, C_I = 400, 100
J = args.J * mV
D = 1.5 * ms
tau_m, theta = 20 * ms, 20 * mV
nu_thr = theta / (J * C_E * tau_m)          # 25 Hz
nu_ext = args.eta * nu_thr                   # 50 Hz per external synapse

P, params = neuron_group('LIF', N_E + N_I, 'brunel', overrides=dict(
    tau_m=tau_m, E_l=0 * mV, V_th=theta, V_reset=10 * mV, t_ref=2 * ms))
exc, inh = P[:N_E], P[N_E:]
P.v = 'rand() * 20*mV'  # uniform(0 mV, 20 mV)

conn_rng = np.random.default_rng(args.seed + 1000)  # connectivity (numpy, same on both devices)


def fixed_indegree(n_pre, n_post, k, post_offset=0):
    """k distinct presynaptic indices for every target (fixed_indegree(k), autapses allowed)."""
    pre = np.empty(n_post * k, dtype=np.int32)
    for j in range(n_post):
        pre[j * k:(j + 1) * k] = conn_rng.choice(n_pre, size=k, replace=False, shuffle=False)
    post = np.repeat(np.arange(n_post, dtype=np.int32) + post_offset, k)
    return dict(i=pre, j=post)


rec = common.Recorder()
objs = [P]

s_ee = b2.Synapses(exc, P, on_pre='v_post += J_E', delay=D, name='exc_all',
                   namespace=dict(J_E=J))
s_ee.connect(**fixed_indegree(N_E, N_E + N_I, C_E))
s_ie = b2.Synapses(inh, P, on_pre='v_post += J_I', delay=D, name='inh_all',
                   namespace=dict(J_I=-args.g * J))
s_ie.connect(**fixed_indegree(N_I, N_E + N_I, C_I))
objs += [s_ee, s_ie]
rec.synapse_count('exc->exc,inh', s_ee)
rec.synapse_count('inh->exc,inh', s_ie)

if args.drive == 'pool':
    ext = b2.PoissonGroup(args.n_ext, rates=nu_ext, name='ext')
    s_x = b2.Synapses(ext, P, on_pre='v_post += J_X', name='ext_all', namespace=dict(J_X=J))
    s_x.connect(**fixed_indegree(args.n_ext, N_E + N_I, C_E))
    objs += [ext, s_x]
    rec.synapse_count('ext->exc,inh', s_x)
elif args.drive == 'one_to_one':
    ext = b2.PoissonGroup(N_E + N_I, rates=C_E * nu_ext, name='ext')
    s_x = b2.Synapses(ext, P, on_pre='v_post += J_X', name='ext_all', namespace=dict(J_X=J))
    s_x.connect(j='i')
    objs += [ext, s_x]
    rec.synapse_count('ext->exc,inh', s_x)
else:
    objs.append(b2.PoissonInput(P, 'v', C_E, nu_ext, weight='J_X'))
    P.namespace['J_X'] = J

rec.spikes('exc', exc)
rec.spikes('inh', inh)
rec.trace('exc', exc, 'v', range(5), every_s=1e-3)
net = b2.Network(*objs, *rec.objects)
common.run_and_collect(args, 'brunel', net, rec, extra={
    'drive': args.drive, 'n_ext': args.n_ext if args.drive == 'pool' else None,
    'J_mV': args.J, 'eta': args.eta, 'g': args.g, 'nu_ext_hz': float(nu_ext / Hz)})
