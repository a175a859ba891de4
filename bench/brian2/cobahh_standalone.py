"""Brian2 C++ standalone benchmark of COBAHH (examples/cobahh.snn; Brette et al. 2007, benchmark 3).

The network is test/engine/brian2/cobahh.py's build(): 4000 Traub-Miles Hodgkin-Huxley neurons
(exprel rates, exponential Euler), 80 % exc, p = 0.02, 6 nS / 67 nS, dt 0.1 ms. Runs
single-threaded (openmp_threads = 0), or with OpenMP on --threads T >= 2, with -O3 -ffast-math
-march=native and a spike counter (SpikeMonitor with record=False) as the only monitor. Prints
one JSON line (standalone.py describes its fields). Only N = 4000 (the benchmark's size; the
.snn fixes it).

  /usr/bin/python3 bench/brian2/cobahh_standalone.py --seed 1 --duration 1 --build-dir /tmp/cobahh
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import standalone  # noqa: E402  (sets up the import path of test/engine/brian2 too)
import cobahh  # noqa: E402

args = standalone.setup(__doc__.splitlines()[0], 4000)
if args.n != 4000:
    sys.exit('cobahh_standalone.py: only --n 4000 (examples/cobahh.snn fixes the size)')
net, rec = cobahh.build(args.n, record_spikes=False)
standalone.run(args, net, net['cobahh'], [rec.synapses['exc->all'], rec.synapses['inh->all']], 'brian2_cobahh_')
