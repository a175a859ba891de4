"""What bench/brian2/*_standalone.py share: the command line, Brian2's C++ standalone device set
up single-threaded (test/engine/brian2/common.py setup), and the build, run and one JSON line.

The JSON line: {"n", "seed", "duration", "sim_s": device._last_run_time (time stepping only,
CPU clock), "build_s": code generation + compilation wall time, "run_s": wall time of the binary
(includes connectivity generation and result writing), "total_s": whole script wall time,
"spikes", "rate_hz", "synapses", "synaptic_events_per_s": spikes * mean out-degree / sim_s,
"threads", "flags", "brian2"}.
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
    """Parses --n --seed --duration --build-dir and selects the standalone device (dt 0.1 ms)."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument('--n', type=int, default=n_default)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--duration', type=float, default=1.0, help='seconds')
    p.add_argument('--build-dir', default=None, help='C++ project directory (default: a fresh temp dir)')
    args = p.parse_args()
    # common.setup reads these attributes
    args.device, args.codegen, args.dt = 'cpp_standalone', 'numpy', None
    common.setup(args, dt_ms=0.1)
    return args


def run(args, net, group, synapses, prefix):
    """Adds a spike counter on `group`, runs, builds, executes; prints the JSON line."""
    counter = b2.SpikeMonitor(group, record=False, name='spike_counter')
    net.add(counter)
    net.run(args.duration * b2.second, namespace={})
    d = args.build_dir or tempfile.mkdtemp(prefix=prefix)
    t = time.time()
    b2.device.build(directory=d, compile=True, run=False, with_output=False)
    build_s = time.time() - t
    t = time.time()
    b2.device.run(d, False, [])
    run_s = time.time() - t
    sim_s = float(b2.device._last_run_time)
    spikes = int(counter.num_spikes)
    n_syn = int(sum(len(s) for s in synapses))
    print(json.dumps({
        'n': args.n, 'seed': args.seed, 'duration': args.duration,
        'sim_s': sim_s, 'build_s': build_s, 'run_s': run_s, 'total_s': time.time() - T0,
        'spikes': spikes, 'rate_hz': spikes / (args.n * args.duration), 'synapses': n_syn,
        'synaptic_events_per_s': spikes * (n_syn / args.n) / sim_s if sim_s > 0 else None,
        'threads': 1, 'flags': ' '.join(common.CPP_FLAGS), 'brian2': b2.__version__,
    }))
