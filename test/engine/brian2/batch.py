"""Runs several Brian2 mirror scripts (test/engine/brian2/<name>.py) one after another in ONE
process, so that Brian2's import and start-up (~4 s of CPU) is paid once; used by
test/brian2.test.ts, which reads each result while the next script runs.

Each job `name:seed` executes the unchanged script as __main__ (runpy) with the command line
`--seed SEED --out OUTDIR/<name>-<seed>.json`, as test/network/brian2_seeds.py does for seeds:
every mirror sets the codegen target, the time step and the seed itself (common.setup) and
builds its own Network, so its output is what `python3 <name>.py --seed SEED` alone writes
(checked on lif_step, ou_noise and gap_junctions: identical JSON but for the timings).

stdout, one line per job: `start NAME SEED`, then `ok NAME SEED` or `failed NAME SEED "<the
traceback as a JSON string>"` (also on stderr); a failed job does not stop the others.

  /usr/bin/python3 test/engine/brian2/batch.py --out-dir /tmp/b2 lif_step:1 ou_noise:1
"""
import argparse
import io
import json
import os
import runpy
import sys
import time
import traceback
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--out-dir', required=True)
p.add_argument('jobs', nargs='+', help='NAME:SEED')
args = p.parse_args()

sys.path.insert(0, HERE)
os.makedirs(args.out_dir, exist_ok=True)
for job in args.jobs:
    name, _, seed = job.partition(':')
    seed = seed or '1'
    script = os.path.join(HERE, f'{name}.py')
    out = os.path.join(args.out_dir, f'{name}-{seed}.json')
    print(f'start {name} {seed}', flush=True)
    t = time.time()
    try:
        sys.argv = [script, '--seed', seed, '--out', out]
        import brian2  # noqa: E402  (cached after the first job)
        brian2.start_scope()
        with redirect_stdout(io.StringIO()):  # the script's one-line summary
            runpy.run_path(script, run_name='__main__')
        print(f'ok {name} {seed}', flush=True)
    except SystemExit as e:  # argparse, or a script that ends itself
        if e.code in (0, None):
            print(f'ok {name} {seed}', flush=True)
        else:
            print(f'failed {name} {seed} {json.dumps(f"exit {e.code}")}', flush=True)
    except BaseException:  # noqa: B036
        text = traceback.format_exc()
        sys.stderr.write(text)
        sys.stderr.flush()
        print(f'failed {name} {seed} {json.dumps(text)}', flush=True)
    print(f'{name} seed {seed}: {time.time() - t:.1f} s', file=sys.stderr, flush=True)
