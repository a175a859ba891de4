"""What bench/brian2/*_standalone.py share: the command line, Brian2's C++ standalone device
(test/engine/brian2/common.py setup), single-threaded or with OpenMP (--threads), and the build,
run and one JSON line.

--threads 1 (default): openmp_threads = 0, no OpenMP in the generated code (the single-threaded
benchmark). --threads T >= 2: openmp_threads = T; Brian2 then adds -fopenmp to the makefile's
compile and link flags itself and fixes the thread count (omp_set_dynamic(0); omp_set_num_threads).

--repeat R runs the built binary R times (the same network and seed each time: only the timing
varies); sim_s and run_s are then the medians and sim_s_all lists every sim_s.

--omp-wait-policy P[,P...] (with OpenMP): the binary is run R times under each OMP_WAIT_POLICY
(default: unset, libgomp spins a while at each barrier and then sleeps; active: spins; passive:
sleeps at once), in the order given; sim_s is the smallest of the medians, omp_wait_policy
names it and sim_s_by_policy gives every median. A policy whose first run takes over twice the
best median before it is not repeated, and a run of a later policy is stopped (`timeout`) at
twice that median + 5 s: policy_stopped_s names the policies stopped so and when (neither
could be the best; this bounds the bench's time). On a machine with more runnable threads than cores a
spinning thread holds its core while the thread it waits for is descheduled: there the
default policy can be ten times slower than passive (measured here: COBA-4000, 2 threads, load
average 25-50: 22-32 s default, 1.8-3.0 s passive).

The JSON line: {"n", "seed", "duration", "sim_s": device._last_run_time (time stepping only),
"clock": how sim_s was measured ("cpu": std::clock of the one thread without OpenMP; "wall":
omp_get_wtime with OpenMP: Brian2's network.cpp picks it), "build_s": code generation +
compilation wall time, "run_s": wall time of the binary (includes connectivity generation and
result writing), "total_s": whole script wall time, "spikes", "rate_hz", "synapses",
"synaptic_events_per_s": spikes * mean out-degree / sim_s, "sim_s_all", "omp_wait_policy",
"sim_s_by_policy", "policy_stopped_s", "threads", "flags", "brian2"}.
"""
import argparse
import json
import os
import sys
import tempfile
import time

T0 = time.time()
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'test', 'engine', 'brian2'))
import common  # noqa: E402
from common import b2  # noqa: E402


def setup(description, n_default):
    """Parses --n --seed --duration --build-dir --threads --repeat --omp-wait-policy and selects the standalone device (dt 0.1 ms)."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument('--n', type=int, default=n_default)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--duration', type=float, default=1.0, help='seconds')
    p.add_argument('--build-dir', default=None, help='C++ project directory (default: a fresh temp dir)')
    p.add_argument('--threads', type=int, default=1, help='1: no OpenMP (default); T >= 2: OpenMP with T threads')
    p.add_argument('--repeat', type=int, default=1, help='run the built binary this many times (sim_s, run_s: medians)')
    p.add_argument('--omp-wait-policy', default='default',
                   help='with --threads >= 2: OMP_WAIT_POLICY values to run the binary under, comma-separated '
                        '(default, active, passive); sim_s is the best median of them')
    args = p.parse_args()
    if args.threads < 1:
        p.error(f'--threads must be 1 or more, got {args.threads}')
    if args.repeat < 1:
        p.error(f'--repeat must be 1 or more, got {args.repeat}')
    args.policies = args.omp_wait_policy.split(',') if args.threads > 1 else ['default']
    for k in args.policies:
        if k not in ('default', 'active', 'passive'):
            p.error(f'--omp-wait-policy: {k!r} is not default, active or passive')
    # common.setup reads these attributes
    args.device, args.codegen, args.dt = 'cpp_standalone', 'numpy', None
    common.setup(args, dt_ms=0.1)
    if args.threads > 1:
        b2.prefs.devices.cpp_standalone.openmp_threads = args.threads
    return args


def median(xs):
    s = sorted(xs)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


def run(args, net, group, synapses, prefix):
    """Adds a spike counter on `group`, runs, builds, executes; prints the JSON line."""
    counter = b2.SpikeMonitor(group, record=False, name='spike_counter')
    net.add(counter)
    net.run(args.duration * b2.second, namespace={})
    d = args.build_dir or tempfile.mkdtemp(prefix=prefix)
    t = time.time()
    b2.device.build(directory=d, compile=True, run=False, with_output=False)
    build_s = time.time() - t
    by_policy, runs, counts, capped = {}, [], set(), {}
    for policy in args.policies:
        # the binary inherits the environment: OMP_WAIT_POLICY is read by libgomp at its start
        if policy == 'default':
            os.environ.pop('OMP_WAIT_POLICY', None)
        else:
            os.environ['OMP_WAIT_POLICY'] = policy
        sims = by_policy.setdefault(policy, [])
        best_so_far = min((median(v) for k, v in by_policy.items() if k != policy and v), default=None)
        # after the first policy, a run is stopped at twice the best median so far (+ 5 s for the
        # binary's set-up): it could not be the best, and a spinning run can take minutes
        cap = None if best_so_far is None else 2 * best_so_far + 5
        b2.prefs.devices.cpp_standalone.run_cmd_unix = './main' if cap is None else ['timeout', f'{cap:.1f}', './main']
        for _ in range(args.repeat):
            t = time.time()
            try:
                b2.device.run(d, False, [])
            except RuntimeError:
                if cap is None:
                    raise
                capped[policy] = cap
                break
            runs.append(time.time() - t)
            sims.append(float(b2.device._last_run_time))
            counts.add(int(counter.num_spikes))  # read back from this run's result files
            if best_so_far is not None and sims[0] > 2 * best_so_far:
                break  # this policy's first run took over twice the best median: not repeated
    if len(counts) > 1:
        sys.exit(f'{prefix}: the repeated runs of one binary gave different spike counts {sorted(counts)}')
    b2.prefs.devices.cpp_standalone.run_cmd_unix = './main'
    by_policy = {k: v for k, v in by_policy.items() if v}
    best = min(by_policy, key=lambda k: median(by_policy[k]))
    sim_s, run_s = median(by_policy[best]), median(runs)
    spikes = counts.pop()
    n_syn = int(sum(len(s) for s in synapses))
    print(json.dumps({
        'n': args.n, 'seed': args.seed, 'duration': args.duration,
        'sim_s': sim_s, 'sim_s_all': by_policy[best], 'omp_wait_policy': best if args.threads > 1 else None,
        'sim_s_by_policy': {k: median(v) for k, v in by_policy.items()} if args.threads > 1 else None,
        'policy_stopped_s': capped or None,
        'build_s': build_s, 'run_s': run_s, 'total_s': time.time() - T0,
        'spikes': spikes, 'rate_hz': spikes / (args.n * args.duration), 'synapses': n_syn,
        'synaptic_events_per_s': spikes * (n_syn / args.n) / sim_s if sim_s > 0 else None,
        'clock': 'wall' if args.threads > 1 else 'cpu',
        'threads': args.threads, 'flags': ' '.join(common.CPP_FLAGS + (['-fopenmp'] if args.threads > 1 else [])),
        'brian2': b2.__version__,
    }))
