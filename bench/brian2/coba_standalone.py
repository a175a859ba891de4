"""Brian2 C++ standalone benchmark of the COBA network (examples/coba.snn at size N).

The network is test/engine/brian2/coba.py's build(): N CobaLIF neurons (80 % exc), random
connectivity with mean in-degree 80 (p = 0.02 * 4000 / N), 6 nS / 67 nS, exponential Euler,
dt 0.1 ms. Runs single-threaded (openmp_threads = 0), or with OpenMP on --threads T >= 2, with
-O3 -ffast-math -march=native and a spike counter (SpikeMonitor with record=False) as the only
monitor. Prints one JSON line (standalone.py describes its fields).

  /usr/bin/python3 bench/brian2/coba_standalone.py --n 4000 --seed 1 --duration 1 --build-dir /tmp/coba4k
  /usr/bin/python3 bench/brian2/coba_standalone.py --n 40000 --threads 2 --build-dir /tmp/coba40k_omp2

Reusing a --build-dir whose code did not change still regenerates and re-runs `make`, which
then has little to compile: build_s is smaller on a second run in the same directory.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import standalone  # noqa: E402  (sets up the import path of test/engine/brian2 too)
import coba  # noqa: E402

args = standalone.setup(__doc__.splitlines()[0], 4000)
net, _, (P, s_e, s_i) = coba.build(args.n, record_v=False, record_spikes=False)
standalone.run(args, net, P, [s_e, s_i], 'brian2_coba_')
