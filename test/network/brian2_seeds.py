"""Runs one Brian2 mirror script (test/engine/brian2/<name>.py) for many seeds in ONE process,
so that Brian2's import and start-up (~4 s) is paid once; used by test/network.test.ts.

Each seed executes the unchanged script as __main__ (runpy) with its own command line
`--seed S --out OUTDIR/<name>-S.json` plus the arguments after `--`; the script seeds Brian2
(common.setup) and builds a fresh network every time, so every seed's output is what
`python3 <script> --seed S ...` alone writes (checked: same spike counts), except its wall_s,
which counts from the driver's `import brian2` (common.T0).

  /usr/bin/python3 test/network/brian2_seeds.py test/engine/brian2/coba.py --seeds 1-40 \
      --out-dir /tmp/b2 -- --duration 0.3
"""
import argparse
import io
import os
import runpy
import sys
import time
from contextlib import redirect_stdout

T0 = time.time()


def seeds_of(text):
    out = []
    for part in text.split(','):
        a, _, b = part.partition('-')
        out += list(range(int(a), int(b or a) + 1))
    return out


argv = sys.argv[1:]
extra = []
if '--' in argv:
    k = argv.index('--')
    argv, extra = argv[:k], argv[k + 1:]
p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('script')
p.add_argument('--seeds', default='1-5', help='e.g. 1-40 or 1,2,7')
p.add_argument('--out-dir', required=True)
args = p.parse_args(argv)

script = os.path.abspath(args.script)
sys.path.insert(0, os.path.dirname(script))
name = os.path.splitext(os.path.basename(script))[0]
os.makedirs(args.out_dir, exist_ok=True)
for seed in seeds_of(args.seeds):
    out = os.path.join(args.out_dir, f'{name}-{seed}.json')
    sys.argv = [script, '--seed', str(seed), '--out', out, *extra]
    import brian2  # noqa: E402  (cached after the first seed)
    brian2.start_scope()
    t = time.time()
    with redirect_stdout(io.StringIO()):  # the script's one-line summary
        runpy.run_path(script, run_name='__main__')
    print(f'{name} seed {seed}: {time.time() - t:.1f} s', file=sys.stderr, flush=True)
print(f'{name}: {len(seeds_of(args.seeds))} seeds in {time.time() - T0:.1f} s', file=sys.stderr)
