"""Brian2 C++ standalone benchmark of the COBA network (examples/coba.snn at size N).

The network is test/engine/brian2/coba.py's build(): N CobaLIF neurons (80 % exc), random
connectivity with mean in-degree 80 (p = 0.02 * 4000 / N), 6 nS / 67 nS, exponential Euler,
dt 0.1 ms. Runs single-threaded (openmp_threads = 0) with -O3 -ffast-math -march=native and a
spike counter (SpikeMonitor with record=False) as the only monitor. Prints one JSON line:

  {"n", "seed", "duration", "sim_s": device._last_run_time (time stepping only, CPU clock),
   "build_s": code generation + compilation wall time, "run_s": wall time of the binary
   (includes connectivity generation and result writing), "total_s": whole script wall time,
   "spikes", "rate_hz", "synapses", "synaptic_events_per_s": spikes * mean out-degree / sim_s}

  /usr/bin/python3 bench/brian2/coba_standalone.py --n 4000 --seed 1 --duration 1 --build-dir /tmp/coba4k

Reusing a --build-dir whose code did not change still regenerates and re-runs `make`, which
then has little to compile: build_s is smaller on a second run in the same directory.
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
import coba  # noqa: E402

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--n', type=int, default=4000)
p.add_argument('--seed', type=int, default=1)
p.add_argument('--duration', type=float, default=1.0, help='seconds')
p.add_argument('--build-dir', default=None, help='C++ project directory (default: a fresh temp dir)')
args = p.parse_args()

# common.setup reads these attributes
args.device, args.codegen, args.dt = 'cpp_standalone', 'numpy', None
common.setup(args, dt_ms=0.1)

net, _, (P, s_e, s_i) = coba.build(args.n, record_v=False, record_spikes=False)
counter = b2.SpikeMonitor(P, record=False, name='spike_counter')
net.add(counter)
net.run(args.duration * b2.second, namespace={})

d = args.build_dir or tempfile.mkdtemp(prefix='brian2_coba_')
t = time.time()
b2.device.build(directory=d, compile=True, run=False, with_output=False)
build_s = time.time() - t
t = time.time()
b2.device.run(d, False, [])
run_s = time.time() - t
sim_s = float(b2.device._last_run_time)

spikes = int(counter.num_spikes)
synapses = int(len(s_e) + len(s_i))
print(json.dumps({
    'n': args.n, 'seed': args.seed, 'duration': args.duration,
    'sim_s': sim_s, 'build_s': build_s, 'run_s': run_s, 'total_s': time.time() - T0,
    'spikes': spikes, 'rate_hz': spikes / (args.n * args.duration), 'synapses': synapses,
    'synaptic_events_per_s': spikes * (synapses / args.n) / sim_s if sim_s > 0 else None,
    'threads': 1, 'flags': ' '.join(common.CPP_FLAGS), 'brian2': b2.__version__,
}))
