"""Brian2 C++ standalone run of the Potjans-Diesmann microcircuit as our engine runs it.

The network is not written here: it comes from a JSON spec that bench/microcircuit-run.ts derives
from the lowered .snn (bench/microcircuit.ts at some scale), so both simulators run the same
populations, parameters, initial values, connection rules, weights, delays and Poisson pool:

  {"dt", "duration", "seed",
   "populations": [{"name", "size", "model": "LIF", "params": {name: SI}, "I_e": A,
                    "v": {"dist": "normal", "args": [mean, sd]}}],
   "pool": {"name", "size", "rate"},
   "connections": [{"source", "target", "rule": {"kind": "random", "p"} | {"kind": "fixed_indegree", "k"},
                    "weight": {"kind": "const", "value"} | {"kind": "normal", "mean", "sd"},
                    "delay": null | {"kind": "uniform", "lo", "hi"}}]}

Brian2 side (test/engine/brian2/models.py's LIF, exponential Euler, dt from the spec):
- one NeuronGroup of every neuron, a slice per population (I_e and v set per slice);
- recurrent connections: one Synapses per TARGET population, from the whole group, drawn with
  `sample(N_post, p=p_<target>_pre)`: a Bernoulli draw per (source neuron, target neuron) pair
  with the p of the source's population (per-neuron constants), i.e. `random(p = C)` for every
  (source, target) pair of the spec, autapses included; w = mean + sd·randn() of the source's
  population, delay uniform(lo, hi) of the source's population (Brian2 rounds it to steps);
  on_pre `I_syn_post += w`. One Synapses per target, not per pair, keeps the generated project
  at 9 Synapses instead of 66 (the compile time);
- the Poisson pool: a PoissonGroup at the spec's rate (one Bernoulli draw per step, as the
  engine's `poisson` input), fixed in-degree k per target neuron (k distinct sources, numpy,
  seeded), no delay (the spike acts in its own step, as the engine's connection without delay);
- a SpikeMonitor (counts, and the spikes for the rates of the second half) is the only monitor.

The binary is run by this script (not device.run) under a wrapper that reports its peak RSS
(os.wait4), and the project is generated with the synapse arrays left out of the result files
(Brian2 writes every array at the end: ~10 GB at scale 1). OpenMP threads: --threads (0 = none),
with OMP_WAIT_POLICY=passive unless --omp-wait-policy active (spinning threads starve each other
on a loaded machine).

Prints one JSON line: {"rates_hz": {pop: Hz}, "rates_late_hz" (over the second half of the run),
"spikes", "synapses", "sim_s" (time stepping,
Brian2's own clock), "run_s" (the binary's wall time: connectivity, stepping, writing),
"build_s" (code generation + compilation), "peak_rss_mb" (the binary), "threads", "brian2"}.

  /usr/bin/python3 bench/brian2/microcircuit_standalone.py --spec SPEC.json --build-dir DIR [--threads 2]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'test', 'engine', 'brian2'))
import numpy as np  # noqa: E402

import common  # noqa: E402
from common import b2  # noqa: E402
from models import PRELUDE  # noqa: E402

T0 = time.time()

# Runs ./main and writes its peak RSS (KiB) next to the results; the exit status is the binary's.
RUN_WRAPPER = ('import os, subprocess, sys\n'
               'p = subprocess.Popen(["./main"])\n'
               '_, status, usage = os.wait4(p.pid, 0)\n'
               'open("results/peak_rss_kb.txt", "w").write(str(usage.ru_maxrss))\n'
               'sys.exit(os.waitstatus_to_exitcode(status))\n')


def fail(message):
    sys.stderr.write(f'microcircuit_standalone.py: {message}\n')
    sys.exit(2)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--spec', required=True, help='the network, as bench/microcircuit-run.ts writes it')
    ap.add_argument('--build-dir', required=True, help='C++ standalone project directory')
    ap.add_argument('--threads', type=int, default=0, help='OpenMP threads (0: none, single-threaded)')
    ap.add_argument('--omp-wait-policy', choices=['passive', 'active'], default='passive',
                    help='OMP_WAIT_POLICY of the binary (default passive: waiting threads sleep)')
    args = ap.parse_args()
    with open(args.spec) as f:
        spec = json.load(f)

    b2.set_device('cpp_standalone', build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = args.threads
    b2.prefs.codegen.cpp.extra_compile_args_gcc = list(common.CPP_FLAGS)
    b2.defaultclock.dt = spec['dt'] * b2.second
    b2.seed(spec['seed'])

    pops = spec['populations']
    lif = PRELUDE['LIF']
    names = [p['name'] for p in pops]
    if any(p['model'] != 'LIF' for p in pops):
        fail('every population must be the prelude LIF')
    params = pops[0]['params']
    if any(p['params'] != params for p in pops):
        fail('the populations must share their parameters (one NeuronGroup)')
    if set(params) != set(lif['params']):
        fail(f'LIF parameters {sorted(params)} differ from the mirror\'s {sorted(lif["params"])}')
    offsets = np.cumsum([0] + [p['size'] for p in pops])
    n_total = int(offsets[-1])
    index = {name: k for k, name in enumerate(names)}

    recurrent = [c for c in spec['connections'] if c['source'] in index]
    external = [c for c in spec['connections'] if c['source'] not in index]
    pool = spec['pool']
    for c in recurrent:
        if c['rule']['kind'] != 'random' or c['weight']['kind'] != 'normal' or (c['delay'] or {}).get('kind') != 'uniform':
            fail(f'{c["source"]} -> {c["target"]}: only random(p), normal weights and uniform delays are mirrored')
    for c in external:
        if c['source'] != pool['name'] or c['rule']['kind'] != 'fixed_indegree' or c['weight']['kind'] != 'const' or c['delay']:
            fail(f'{c["source"]} -> {c["target"]}: only fixed_indegree from the Poisson pool, constant weight, no delay is mirrored')
    pairs = [(c['source'], c['target']) for c in recurrent]
    if len(set(pairs)) != len(pairs):
        fail('two connections between the same populations')

    # per-neuron constants of the source side, one set per target population
    extra = []
    for t in names:
        extra += [f'p_{t} : 1 (constant)', f'wm_{t} : amp (constant)', f'ws_{t} : amp (constant)',
                  f'dlo_{t} : second (constant)', f'dhi_{t} : second (constant)']
    eqs = lif['eqs'] + '\n' + '\n'.join(extra) + '\n'
    G = b2.NeuronGroup(n_total, eqs, threshold=lif['threshold'], reset=lif['reset'],
                       refractory=lif['refractory'], method=lif['method'],
                       namespace={k: params[k] * b2.get_unit(b2.get_dimensions(q)) for k, q in lif['params'].items()},
                       name='neurons')
    G.I_syn = 0 * b2.amp
    for pi, p in enumerate(pops):
        sl = G[int(offsets[pi]):int(offsets[pi + 1])]
        sl.I_e = p['I_e'] * b2.amp
        v = p['v']
        if v['dist'] != 'normal':
            fail(f'{p["name"]}: initial v must be normal(mean, sd)')
        sl.v = f'{v["args"][0]}*volt + {v["args"][1]}*volt*randn()'
        for c in recurrent:
            if c['source'] != p['name']:
                continue
            t = c['target']
            setattr(sl, f'p_{t}', c['rule']['p'])
            setattr(sl, f'wm_{t}', c['weight']['mean'] * b2.amp)
            setattr(sl, f'ws_{t}', c['weight']['sd'] * b2.amp)
            setattr(sl, f'dlo_{t}', c['delay']['lo'] * b2.second)
            setattr(sl, f'dhi_{t}', c['delay']['hi'] * b2.second)

    objs = [G]
    syns = []
    # (no Python name `k` in scope here: the generator's k would shadow it, with a warning)
    for ti, t in enumerate(names):
        if not any(c['target'] == t for c in recurrent):
            continue
        S = b2.Synapses(G, G[int(offsets[ti]):int(offsets[ti + 1])], model='w : amp',
                        on_pre='I_syn_post += w', name=f'rec_{t}')
        S.connect(j=f'k for k in sample(N_post, p=p_{t}_pre)')
        S.w = f'wm_{t}_pre + ws_{t}_pre*randn()'
        S.delay = f'dlo_{t}_pre + (dhi_{t}_pre - dlo_{t}_pre)*rand()'
        objs.append(S)
        syns.append(S)

    P = b2.PoissonGroup(pool['size'], rates=pool['rate'] * b2.Hz, name='pool')
    rng = np.random.default_rng(spec['seed'] + 1000)
    pre, post, w = [], [], []
    for c in external:
        ti = index[c['target']]
        kk = c['rule']['k']
        for j in range(int(offsets[ti]), int(offsets[ti + 1])):
            pre.append(rng.choice(pool['size'], size=kk, replace=False, shuffle=False))
            post.append(np.full(kk, j, dtype=np.int32))
            w.append(np.full(kk, c['weight']['value']))
    B = b2.Synapses(P, G, model='w : amp', on_pre='I_syn_post += w', name='bg_syn')
    if pre:
        B.connect(i=np.concatenate(pre).astype(np.int32), j=np.concatenate(post))
        B.w = np.concatenate(w) * b2.amp
    objs += [P, B]
    syns.append(B)
    counter = b2.SpikeMonitor(G, record=True, name='spike_counter')
    objs.append(counter)
    net = b2.Network(*objs)
    # progress of the binary (its stdout goes to this script's stderr)
    net.run(spec['duration'] * b2.second, namespace={}, report='text', report_period=10 * b2.second)

    d = os.path.abspath(args.build_dir)
    t = time.time()
    b2.device.build(directory=d, compile=False, run=False, with_output=False)
    # leave the synapse arrays out of the result files (Brian2 writes every array at the end)
    objects_cpp = os.path.join(d, 'objects.cpp')
    with open(objects_cpp) as f:
        src = f.read()
    src, n_skipped = re.subn(r'(outfile__dynamic_array_(?:rec_\w+|bg_syn)_\w*\.write\()', r'if (false) \1', src)
    with open(objects_cpp, 'w') as f:
        f.write(src)
    compiler, _ = b2.codegen.cpp_prefs.get_compiler_and_args()
    b2.device.compile_source(d, compiler, False, False)
    build_s = time.time() - t

    t = time.time()
    # OpenMP threads that spin at their barriers starve each other on a machine busy with other
    # work (every step has several barriers): waiting threads sleep instead
    env = dict(os.environ, OMP_WAIT_POLICY=args.omp_wait_policy)
    r = subprocess.run([sys.executable, '-c', RUN_WRAPPER], cwd=d, stdout=sys.stderr, env=env)
    run_s = time.time() - t
    if r.returncode != 0:
        fail(f'the binary failed with status {r.returncode} (project: {d})')
    with open(os.path.join(d, 'results', 'last_run_info.txt')) as f:
        sim_s = float(f.read().split()[0])
    with open(os.path.join(d, 'results', 'peak_rss_kb.txt')) as f:
        peak_kb = int(f.read())
    counts = np.fromfile(os.path.join(d, b2.device.get_array_filename(counter.variables['count'])), dtype=np.int32)
    if len(counts) != n_total:
        fail(f'spike counts: {len(counts)} values for {n_total} neurons')
    # synapse counts: the binary writes N (the count) of each Synapses as a scalar array
    n_syn = 0
    for S in syns:
        nf = os.path.join(d, b2.device.get_array_filename(S.variables['N']))
        n_syn += int(np.fromfile(nf, dtype=np.int32)[0])
    rates = {p['name']: float(counts[offsets[k]:offsets[k + 1]].sum()) / (p['size'] * spec['duration']) for k, p in enumerate(pops)}
    # the second half of the run (after the start transient): spike times from the monitor's record
    spike_i = np.fromfile(os.path.join(d, b2.device.get_array_filename(counter.variables['i'])), dtype=np.int32)
    spike_t = np.fromfile(os.path.join(d, b2.device.get_array_filename(counter.variables['t'])), dtype=np.float64)
    if len(spike_i) != int(counts.sum()) or len(spike_t) != len(spike_i):
        fail(f'spike record: {len(spike_i)} indices, {len(spike_t)} times for {int(counts.sum())} counted spikes')
    half = spec['duration'] / 2
    late_i = spike_i[spike_t >= half - spec['dt'] / 2]
    late = np.bincount(np.searchsorted(offsets, late_i, side='right') - 1, minlength=len(pops))
    rates_late = {p['name']: float(late[k]) / (p['size'] * (spec['duration'] - half)) for k, p in enumerate(pops)}
    print(json.dumps({
        'rates_hz': rates, 'rates_late_hz': rates_late, 'spikes': int(counts.sum()), 'synapses': n_syn, 'sim_s': sim_s, 'run_s': run_s,
        'build_s': build_s, 'peak_rss_mb': peak_kb / 1024, 'threads': args.threads, 'writes_skipped': n_skipped,
        'total_s': time.time() - T0, 'brian2': b2.__version__,
    }))


main()
