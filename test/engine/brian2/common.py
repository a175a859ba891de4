"""Shared plumbing for the Brian2 mirrors of test/engine/*.snn.

Every mirror script builds its network with the helpers here and writes one JSON file:

  {"model": name, "seed": s, "device": ..., "codegen": ..., "dt": s, "duration": s,
   "spikes":   {"pop": {"i": [...], "t": [...]}},              # t in seconds
   "traces":   {"pop.var": {"t": [...], "values": [[...], ...]}},  # one row per recorded neuron, SI
   "rates_hz": {"pop": mean rate over neurons and the whole run},
   "cv_isi":   {"pop": mean CV of the ISIs over neurons with >= 3 spikes, or null},
   "first_spike_s": {"pop": earliest spike time or null},
   "rates_hz_late": {"pop": mean rate over the second half of the run},
   "pop_fano": {"pop": Fano factor of the population count in 1 ms bins after 100 ms},
   "n_spikes": {"pop": count}, "synapses": {"name": count},
   "sim_s": time stepping only (device._last_run_time),
   "build_s": code generation (+ compilation for cython / C++ standalone),
   "wall_s": the whole script after `import brian2`}

Conventions (Brian2's, which the engine mirrors; see README.md):
- a spike is stamped with the time t of the step whose update made the condition true, i.e.
  the time at the START of that step (the state has already been integrated to t + dt);
- a trace sample at t is the state at the start of the step at t (after the previous step's
  reset and synaptic effects), Brian2's StateMonitor default `when='start'`.

Must be run with Debian's /usr/bin/python3 (Brian2 2.5.1 from python3-brian).
"""
import argparse
import json
import os
import sys
import tempfile
import time
import warnings

import numpy as np

T0 = time.time()

warnings.filterwarnings('ignore', category=FutureWarning)  # pythran vs numpy chatter at import
# Brian2 writes a log file per process into the temp dir and chats on stderr; keep it quiet.
import brian2 as b2  # noqa: E402

b2.BrianLogger.log_level_warn()
b2.prefs.logging.file_log = False
b2.prefs.logging.delete_log_on_exit = True

# Compiler flags for C++ standalone (ENVIRONMENT.md): Brian2's own defaults on x86-64, spelled
# out so that a change of Brian2 default does not silently change the benchmark.
CPP_FLAGS = ['-w', '-O3', '-ffast-math', '-fno-finite-math-only', '-march=native', '-std=c++11']


def parser(description, duration=1.0, device='runtime'):
    p = argparse.ArgumentParser(description=description)
    p.add_argument('--seed', type=int, default=1, help='Brian2 seed (numpy + generated code)')
    p.add_argument('--out', default=None, help='write the JSON results here (default: stdout summary only)')
    p.add_argument('--duration', type=float, default=duration, help='simulated time in seconds (default %(default)s)')
    p.add_argument('--device', choices=['runtime', 'cpp_standalone'], default=device)
    p.add_argument('--build-dir', default=None, help='C++ standalone project directory (default: a fresh temp dir)')
    p.add_argument('--codegen', choices=['numpy', 'cython'], default='numpy',
                   help='runtime code generation target (default numpy: no compile delay)')
    p.add_argument('--dt', type=float, default=None, help='override the time step, in ms (convergence checks)')
    p.add_argument('--no-spike-lists', action='store_true',
                   help='leave the per-spike lists out of the JSON (counts, rates, CV stay)')
    return p


def setup(args, dt_ms):
    """Select the device, seed, time step. Call before creating any Brian2 object."""
    if args.device == 'cpp_standalone':
        b2.set_device('cpp_standalone', build_on_run=False)
        b2.prefs.devices.cpp_standalone.openmp_threads = 0  # single-threaded, no OpenMP
        b2.prefs.codegen.cpp.extra_compile_args_gcc = list(CPP_FLAGS)
    else:
        b2.prefs.codegen.target = args.codegen
    args.dt_s = (args.dt if args.dt is not None else dt_ms) * 1e-3
    b2.defaultclock.dt = args.dt_s * b2.second
    b2.seed(args.seed)


class Recorder:
    """Spike and state monitors per population, named as in the .snn file."""

    def __init__(self):
        self.spike_mons = {}   # pop -> (SpikeMonitor, size)
        self.state_mons = {}   # 'pop.var' -> (StateMonitor, var)
        self.objects = []
        self.synapses = {}

    def spikes(self, name, group):
        m = b2.SpikeMonitor(group, name=f'spikemon_{name}')
        self.spike_mons[name] = (m, len(group))
        self.objects.append(m)
        return m

    def trace(self, name, group, var, indices, every_s):
        m = b2.StateMonitor(group, var, record=list(indices), dt=every_s * b2.second,
                            name=f'statemon_{name}_{var}')
        self.state_mons[f'{name}.{var}'] = (m, var)
        self.objects.append(m)
        return m

    def synapse_count(self, name, syn):
        self.synapses[name] = syn


def cv_isi(i, t, n):
    """Mean over neurons with >= 3 spikes of std(ISI)/mean(ISI); None when no neuron qualifies."""
    if len(t) == 0:
        return None
    order = np.lexsort((t, i))
    i, t = i[order], t[order]
    cvs = []
    bounds = np.flatnonzero(np.diff(i)) + 1
    for ii, tt in zip(np.split(i, bounds), np.split(t, bounds)):
        if len(tt) >= 3:
            isi = np.diff(tt)
            m = isi.mean()
            if m > 0:
                cvs.append(isi.std() / m)
    return float(np.mean(cvs)) if cvs else None


def pop_fano(t, duration, bin_s=1e-3, skip_s=0.1):
    """Fano factor (variance/mean) of the population spike count in 1 ms bins after the first
    100 ms: ~1 for asynchronous irregular activity, >> 1 when the population synchronises."""
    if duration <= skip_s + 10 * bin_s:
        return None
    edges = np.arange(skip_s, duration + bin_s / 2, bin_s)
    counts, _ = np.histogram(t, edges)
    m = counts.mean()
    return float(counts.var() / m) if m > 0 else None


def run_and_collect(args, model, net, rec, extra=None):
    """Run `net` for args.duration on the chosen device, then gather and write the results."""
    duration = args.duration * b2.second
    t_run = time.time()
    net.run(duration, namespace={})  # every name comes from the groups' own namespaces
    if args.device == 'cpp_standalone':
        # net.run only queued the run; now generate + compile, then run the binary.
        d = args.build_dir or tempfile.mkdtemp(prefix=f'brian2_{model}_')
        t_build = time.time()
        b2.device.build(directory=d, compile=True, run=False, with_output=False)
        build_s = time.time() - t_build
        b2.device.run(d, False, [])
        sim_s = float(b2.device._last_run_time)
        setup_s = t_build - t_run
    else:
        wall = time.time() - t_run
        sim_s = float(b2.device._last_run_time)
        build_s = wall - sim_s  # code generation (and cython compilation) in before_run
        setup_s = 0.0

    res = {
        'model': model, 'seed': args.seed, 'device': args.device,
        'codegen': 'cpp' if args.device == 'cpp_standalone' else args.codegen,
        'brian2': b2.__version__, 'dt': args.dt_s, 'duration': args.duration,
        'spikes': {}, 'traces': {}, 'rates_hz': {}, 'cv_isi': {}, 'first_spike_s': {}, 'n_spikes': {},
        'rates_hz_late': {}, 'pop_fano': {},
        'synapses': {k: int(len(s)) for k, s in rec.synapses.items()},
    }
    for name, (m, n) in rec.spike_mons.items():
        i = np.asarray(m.i[:], dtype=np.int64)
        t = np.asarray(m.t[:] / b2.second, dtype=np.float64)
        if not args.no_spike_lists:
            res['spikes'][name] = {'i': i.tolist(), 't': [round(x, 9) for x in t.tolist()]}
        res['n_spikes'][name] = int(len(t))
        res['rates_hz'][name] = len(t) / (n * args.duration)
        res['cv_isi'][name] = cv_isi(i, t, n)
        res['first_spike_s'][name] = round(float(t.min()), 9) if len(t) else None
        half = args.duration / 2
        res['rates_hz_late'][name] = int((t >= half).sum()) / (n * (args.duration - half))
        res['pop_fano'][name] = pop_fano(t, args.duration)
    for key, (m, var) in rec.state_mons.items():
        vals = np.asarray(getattr(m, var + '_'))  # SI, shape (neurons, samples)
        res['traces'][key] = {'t': [round(x, 9) for x in np.asarray(m.t_).tolist()],
                              'values': vals.tolist()}
    res['sim_s'] = sim_s
    res['build_s'] = build_s
    res['setup_s'] = setup_s
    if extra:
        res.update(extra)
    res['wall_s'] = time.time() - T0
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            json.dump(res, f)
    summary = {k: res[k] for k in ('model', 'seed', 'device', 'n_spikes', 'first_spike_s', 'rates_hz',
                                    'cv_isi', 'synapses', 'sim_s', 'build_s', 'wall_s')}
    print(json.dumps(summary))
    return res


def current_step(group, var, times_s, values, args, name='step', initial=0.0):
    """`input x = current_step { target: group.var; times; values }` SETS `var` to values[k]
    from the step at times[k] on (step index round(times[k]/dt)), before that step's state
    update; before times[0] the variable keeps its initial value `initial` (SI; 0 for the
    prelude's I_e). times_s and values are SI floats. Implemented as a TimedArray
    sampled at the simulation dt, read by a run_regularly at 'start' (ahead of the
    StateMonitors, which are also at 'start'), so the run stays one run() call on both devices.
    `group` must have been created with a namespace dict (models.neuron_group does that)."""
    n_steps = int(round(args.duration / args.dt_s)) + 2
    arr = np.full(n_steps, float(initial))
    for t_k, v_k in zip(times_s, values):
        k = int(round(t_k / args.dt_s))
        if k < n_steps:
            arr[k:] = float(v_k)
    unit = b2.get_unit(b2.get_dimensions(getattr(group, var)))
    ta = b2.TimedArray(arr * unit, dt=args.dt_s * b2.second, name=f'{name}_values')
    group.namespace[ta.name] = ta
    return group.run_regularly(f'{var} = {ta.name}(t)', when='start', order=-1, name=f'{name}_set')
