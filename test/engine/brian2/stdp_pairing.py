"""Brian2 mirror of the engine's pair-STDP pairing protocol (test/brian2.test.ts): one
presynaptic spike at 100 ms, one postsynaptic spike at 100 ms + Δt, for each Δt given; the
synapse is the prelude's PairSTDP (tau± = 20 ms, A+ = 0.01, A- = 0.0105, w_max = 10 pA,
additive, all-to-all traces, event-driven), starting at w = 5 pA. Writes {"dt_ms": [...],
"dw_pA": [...]}. Usage: stdp_pairing.py --out FILE --dts -40,-10,-2,2,10,40
"""
import argparse
import json
import warnings

warnings.filterwarnings('ignore')
import brian2 as b2  # noqa: E402
from brian2 import ms, pA  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument('--out', required=True)
p.add_argument('--dts', default='-40,-10,-2,2,10,40')
args = p.parse_args()
b2.prefs.codegen.target = 'numpy'
b2.defaultclock.dt = 0.1 * ms

dts = [float(x) for x in args.dts.split(',')]
out = []
for d in dts:
    b2.start_scope()
    b2.defaultclock.dt = 0.1 * ms
    pre = b2.SpikeGeneratorGroup(1, [0], [100 * ms])
    post = b2.SpikeGeneratorGroup(1, [0], [(100 + d) * ms])
    syn = b2.Synapses(pre, post, '''
        w : amp
        dapre/dt = -apre / (20*ms) : 1 (event-driven)
        dapost/dt = -apost / (20*ms) : 1 (event-driven)
        ''', on_pre='''
        apre += 0.01
        w = clip(w - apost*10*pA, 0*pA, 10*pA)
        ''', on_post='''
        apost += 0.0105
        w = clip(w + apre*10*pA, 0*pA, 10*pA)
        ''')
    syn.connect()
    syn.w = 5 * pA
    b2.run(300 * ms)
    out.append(float((syn.w[0] - 5 * pA) / pA))
json.dump({'dt_ms': dts, 'dw_pA': out}, open(args.out, 'w'))
