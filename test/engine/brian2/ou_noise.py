"""Brian2 mirror of test/engine/ou_noise.snn: 2000 Ornstein-Uhlenbeck membranes,
dv/dt = (E - v)/tau + sigma*sqrt(2/tau)*xi, method euler (Euler-Maruyama), 1 s at dt 0.1 ms;
v of every neuron every 5 ms.

  /usr/bin/python3 test/engine/brian2/ou_noise.py --out /tmp/ou_noise.json
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import b2  # noqa: E402

p = common.parser(__doc__.splitlines()[0])
args = p.parse_args()
common.setup(args, dt_ms=0.1)

ns = dict(tau=10 * b2.ms, sigma=2 * b2.mV, E=-60 * b2.mV)
p_ = b2.NeuronGroup(2000, 'dv/dt = (E - v) / tau + sigma * sqrt(2 / tau) * xi : volt', method='euler',
                    namespace=ns, name='p')
p_.v = -60 * b2.mV
rec = common.Recorder()
rec.trace('p', p_, 'v', range(2000), every_s=5e-3)
net = b2.Network(p_, *rec.objects)
common.run_and_collect(args, 'ou_noise', net, rec)
