"""Brian2 mirror of the engine's pair STDP with per-synapse delays (test/brian2.test.ts).

Reads a JSON file written by the test: {"dt": s, "duration": s, "pre": {"i": [...], "t": [...]},
"drive": {"i": [...], "t": [...]}, "n_pre": n, "n_post": m, "synapses": {"i": [...], "j": [...],
"delay_steps": [...]}, "w0": A, "w_max": A}. The presynaptic spike generator reaches LIF
neurons (the prelude's LIF) through the prelude's PairSTDP synapse (target I_syn) with the given
delays; a second generator makes the LIF neurons spike (v += 100 mV). Writes {"w": [...] (A,
synapse order of the input), "spikes": {"post": {"i": [...], "t": [...]}}}.
Usage: stdp_delays.py --in FILE --out FILE
"""
import argparse
import json
import warnings

warnings.filterwarnings('ignore')
import brian2 as b2  # noqa: E402
from brian2 import mV, ms, pA, second  # noqa: E402

from models import PRELUDE  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument('--in', dest='inp', required=True)
p.add_argument('--out', required=True)
args = p.parse_args()
cfg = json.load(open(args.inp))
b2.prefs.codegen.target = 'numpy'
b2.defaultclock.dt = cfg['dt'] * second

m = PRELUDE['LIF']
post = b2.NeuronGroup(cfg['n_post'], m['eqs'], threshold=m['threshold'], reset=m['reset'],
                      refractory=m['refractory'], method=m['method'], namespace=dict(m['params']))
post.v = m['params']['E_l']
pre = b2.SpikeGeneratorGroup(cfg['n_pre'], cfg['pre']['i'], cfg['pre']['t'] * second)
drive = b2.SpikeGeneratorGroup(cfg['n_post'], cfg['drive']['i'], cfg['drive']['t'] * second)
kick = b2.Synapses(drive, post, on_pre='v_post += 100*mV')
kick.connect(j='i')
w_max = cfg['w_max'] * b2.amp
syn = b2.Synapses(pre, post, '''
    w : amp
    dapre/dt = -apre / (20*ms) : 1 (event-driven)
    dapost/dt = -apost / (20*ms) : 1 (event-driven)
    ''', on_pre='''
    I_syn_post += w
    apre += 0.01
    w = clip(w - apost*w_max, 0*pA, w_max)
    ''', on_post='''
    apost += 0.0105
    w = clip(w + apre*w_max, 0*pA, w_max)
    ''')
s = cfg['synapses']
syn.connect(i=s['i'], j=s['j'])
syn.w = cfg['w0'] * b2.amp
syn.delay = [d * cfg['dt'] for d in s['delay_steps']] * second
mon = b2.SpikeMonitor(post)
b2.run(cfg['duration'] * second)
# Brian2 may order synapses differently from the input: map back by (i, j).
order = {(int(a), int(b)): k for k, (a, b) in enumerate(zip(syn.i[:], syn.j[:]))}
w = [float(syn.w[order[(a, b)]] / b2.amp) for a, b in zip(s['i'], s['j'])]
json.dump({'w': w, 'spikes': {'post': {'i': [int(x) for x in mon.i[:]], 't': [float(x) for x in mon.t[:] / second]}}}, open(args.out, 'w'))
