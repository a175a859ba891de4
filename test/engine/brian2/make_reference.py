"""Run every Brian2 mirror for the reference figures in README.md and store the results.

  /usr/bin/python3 test/engine/brian2/make_reference.py [--only single,dt,brunel,coba,bench,standalone]
      [--seeds 1,2,3,4,5] [--work /tmp/spikeworks-brian2]

Runs one script at a time (the timings are reported), prints Markdown tables, and writes
test/engine/brian2/reference/*.json:
  - <model>.json for the deterministic single-neuron models: all spikes and the traces
    subsampled to 1 ms (the full 0.1 ms traces come from running the script);
  - brunel.json, coba.json: per-seed summaries (rates, late rates, CV, population Fano);
  - dt_convergence.json, timings.json.
Takes ~10 minutes on the 2-core dev machine.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
PY = '/usr/bin/python3'

ap = argparse.ArgumentParser()
ap.add_argument('--only', default='single,dt,brunel,coba,bench,standalone')
ap.add_argument('--seeds', default='1,2,3,4,5')
ap.add_argument('--work', default='/tmp/spikeworks-brian2')
ap.add_argument('--no-store', action='store_true', help='do not rewrite reference/*.json')
a = ap.parse_args()
only = set(a.only.split(','))
seeds = [int(s) for s in a.seeds.split(',')]
os.makedirs(a.work, exist_ok=True)
REF = os.path.join(HERE, 'reference')
os.makedirs(REF, exist_ok=True)


def run(script, *args, tag):
    out = os.path.join(a.work, tag + '.json')
    cmd = [PY, script, *map(str, args)]
    if 'bench' not in script:
        cmd += ['--out', out]
    t = time.time()
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.time() - t
    if p.returncode:
        sys.stderr.write(p.stdout + p.stderr)
        raise SystemExit(f'{cmd} failed')
    if 'bench' in script:
        r = json.loads(p.stdout.strip().splitlines()[-1])
    else:
        with open(out) as f:
            r = json.load(f)
    r['process_wall_s'] = wall
    return r


def store(name, obj):
    if a.no_store:
        return
    text = json.dumps(obj, indent=1)
    if len(text) > 20000:  # spike lists and traces: one line, no padding
        text = json.dumps(obj, separators=(',', ':'))
    with open(os.path.join(REF, name), 'w') as f:
        f.write(text + '\n')


def f3(x, scale=1.0, nd=3):
    return '-' if x is None else f'{x * scale:.{nd}f}'


E = 'test/engine/brian2/'
timings = {}

if 'single' in only:
    print('\n### Single neurons (runtime, numpy; deterministic, seed irrelevant)\n')
    print('| model | pop | spikes | first spike (ms) | last spike (ms) | first ISI (ms) | last ISI (ms) | CV ISI | sim_s | wall_s |')
    print('|---|---|---|---|---|---|---|---|---|---|')
    for m in ['lif_step', 'izhikevich_step', 'adex_step', 'lif_spiketrain']:
        r = run(E + m + '.py', '--seed', 1, tag=m)
        timings[m + ':runtime'] = {'sim_s': r['sim_s'], 'build_s': r['build_s'], 'wall_s': r['process_wall_s']}
        for pop, sp in r['spikes'].items():
            groups = sorted(set(sp['i'])) if pop == 'cells' else [None]
            for g in groups:
                ts = [t for i, t in zip(sp['i'], sp['t']) if g is None or i == g]
                isi = [b - c for c, b in zip(ts, ts[1:])]
                label = pop if g is None else f'{pop}[{g}]'
                print(f"| {m} | {label} | {len(ts)} | {f3(ts[0] if ts else None, 1e3, 1)} | "
                      f"{f3(ts[-1] if ts else None, 1e3, 1)} | {f3(isi[0] if isi else None, 1e3, 1)} | "
                      f"{f3(isi[-1] if isi else None, 1e3, 1)} | {f3(r['cv_isi'][pop] if g is None else None)} | "
                      f"{r['sim_s']:.2f} | {r['process_wall_s']:.1f} |")
        sub = {k: {'t': v['t'][::10], 'values': [row[::10] for row in v['values']]} for k, v in r['traces'].items()}
        keep = {k: r[k] for k in ('model', 'brian2', 'dt', 'duration', 'spikes', 'n_spikes', 'first_spike_s',
                                  'rates_hz', 'cv_isi')}
        keep['traces_every_1ms'] = sub
        store(m + '.json', keep)

if 'dt' in only:
    print('\n### dt convergence (C++ standalone)\n')
    print('| model | dt (ms) | spikes | first spike (ms) | 2nd spike (ms) | last spike (ms) |')
    print('|---|---|---|---|---|---|')
    conv = {}
    for m in ['lif_step', 'izhikevich_step', 'adex_step']:
        for dt in [0.1, 0.05, 0.01, 0.001]:
            r = run(E + m + '.py', '--device', 'cpp_standalone', '--dt', dt,
                    '--build-dir', os.path.join(a.work, f'build_{m}_dt'), tag=f'{m}_dt{dt}')
            ts = r['spikes']['n']['t']
            conv.setdefault(m, {})[str(dt)] = {'n_spikes': len(ts), 'first': ts[0] if ts else None,
                                               'second': ts[1] if len(ts) > 1 else None,
                                               'last': ts[-1] if ts else None}
            print(f"| {m} | {dt} | {len(ts)} | {f3(ts[0], 1e3)} | {f3(ts[1] if len(ts) > 1 else None, 1e3)} | "
                  f"{f3(ts[-1], 1e3)} |")
    store('dt_convergence.json', conv)

if 'brunel' in only:
    print('\n### Brunel (runtime, numpy; 1 s)\n')
    print('| drive | seed | rate exc (Hz) | rate inh (Hz) | late rate exc | CV exc | CV inh | pop Fano exc | sim_s |')
    print('|---|---|---|---|---|---|---|---|---|')
    bru = {}
    for drive, ss in [('pool', seeds), ('poissoninput', seeds[:3])]:
        for s in ss:
            r = run(E + 'brunel.py', '--seed', s, '--drive', drive, '--no-spike-lists', tag=f'brunel_{drive}_{s}')
            keys = ('rates_hz', 'rates_hz_late', 'cv_isi', 'pop_fano', 'n_spikes', 'first_spike_s', 'synapses', 'sim_s')
            bru.setdefault(drive, {})[str(s)] = {k: r[k] for k in keys}
            print(f"| {drive} | {s} | {r['rates_hz']['exc']:.2f} | {r['rates_hz']['inh']:.2f} | "
                  f"{r['rates_hz_late']['exc']:.2f} | {f3(r['cv_isi']['exc'])} | {f3(r['cv_isi']['inh'])} | "
                  f"{f3(r['pop_fano']['exc'], 1, 1)} | {r['sim_s']:.1f} |")
            if drive == 'pool':
                timings.setdefault('brunel:runtime', []).append({'sim_s': r['sim_s'], 'build_s': r['build_s'],
                                                                  'wall_s': r['process_wall_s']})
    store('brunel.json', bru)

if 'coba' in only:
    print('\n### COBA N = 4000 (runtime, numpy; 1 s)\n')
    print('| seed | rate exc (Hz) | rate inh (Hz) | late rate exc | CV exc | pop Fano exc | synapses | sim_s |')
    print('|---|---|---|---|---|---|---|---|')
    cob = {}
    for s in seeds:
        r = run(E + 'coba.py', '--seed', s, '--no-spike-lists', tag=f'coba_{s}')
        cob[str(s)] = {k: r[k] for k in ('rates_hz', 'rates_hz_late', 'cv_isi', 'pop_fano', 'n_spikes', 'synapses', 'sim_s')}
        print(f"| {s} | {r['rates_hz']['exc']:.2f} | {r['rates_hz']['inh']:.2f} | {r['rates_hz_late']['exc']:.2f} | "
              f"{f3(r['cv_isi']['exc'])} | {f3(r['pop_fano']['exc'], 1, 1)} | {sum(r['synapses'].values())} | {r['sim_s']:.2f} |")
        timings.setdefault('coba:runtime', []).append({'sim_s': r['sim_s'], 'build_s': r['build_s'],
                                                        'wall_s': r['process_wall_s']})
    store('coba.json', cob)

if 'bench' in only:
    print('\n### bench/brian2/coba_standalone.py (C++ standalone, 1 thread, 1 s)\n')
    print('| N | seed | spikes | rate (Hz) | synapses | sim_s | build_s | run_s | total_s | syn. events/s |')
    print('|---|---|---|---|---|---|---|---|---|---|')
    bench = []
    for n, ss in [(4000, seeds), (40000, seeds[:3])]:
        for s in ss:
            r = run('bench/brian2/coba_standalone.py', '--n', n, '--seed', s, '--duration', 1,
                    '--build-dir', os.path.join(a.work, f'bench_coba_{n}'), tag=f'bench_{n}_{s}')
            bench.append(r)
            print(f"| {n} | {s} | {r['spikes']} | {r['rate_hz']:.2f} | {r['synapses']} | {r['sim_s']:.3f} | "
                  f"{r['build_s']:.1f} | {r['run_s']:.2f} | {r['total_s']:.1f} | {r['synaptic_events_per_s']:.3g} |")
    timings['bench_coba_standalone'] = bench

if 'standalone' in only:
    print('\n### Engine scripts in C++ standalone (seed 1; fresh build dir)\n')
    print('| script | sim_s | build_s | wall_s | same spikes as runtime? |')
    print('|---|---|---|---|---|')
    for m, extra in [('lif_step', []), ('izhikevich_step', []), ('adex_step', []), ('lif_spiketrain', []),
                     ('brunel', ['--no-spike-lists']), ('coba', ['--no-spike-lists'])]:
        bd = os.path.join(a.work, f'sa_{m}')
        subprocess.run(['rm', '-rf', bd])
        r = run(E + m + '.py', '--seed', 1, '--device', 'cpp_standalone', '--build-dir', bd, *extra, tag=f'sa_{m}')
        same = '-'
        rt = os.path.join(a.work, m + '.json')
        if os.path.exists(rt) and m not in ('brunel', 'coba'):
            with open(rt) as f:
                same = 'yes' if json.load(f)['spikes'] == r['spikes'] else 'NO'
        elif m in ('brunel', 'coba'):
            with open(os.path.join(a.work, 'brunel_pool_1.json' if m == 'brunel' else 'coba_1.json')) as f:
                ref = json.load(f)['n_spikes']
            same = ('same counts as runtime' if ref == r['n_spikes'] else 'other random draws than runtime') + \
                f"; rates {', '.join(f'{k} {v:.2f}' for k, v in r['rates_hz'].items())} Hz"
        timings[m + ':cpp_standalone'] = {'sim_s': r['sim_s'], 'build_s': r['build_s'], 'wall_s': r['process_wall_s']}
        print(f"| {m} | {r['sim_s']:.3f} | {r['build_s']:.1f} | {r['process_wall_s']:.1f} | {same} |")

if timings:
    old = {}
    p = os.path.join(REF, 'timings.json')
    if os.path.exists(p):
        with open(p) as f:
            old = json.load(f)
    old.update(timings)
    store('timings.json', old)
