// test/helpers/brian-batch.ts, the one background process that runs the Brian2 mirrors of
// test/brian2.test.ts, driven here by a stand-in driver that speaks batch.py's protocol without
// Brian2 (a job sleeps, fails or writes its file as its name says): results arrive by name, a
// failure carries the traceback, and a job past its time limit fails alone — the jobs after it
// run in a new process.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { BrianBatch } from './helpers/brian-batch';
import { PY } from './helpers/python';

const DRIVER = `
import argparse, json, os, sys, time
p = argparse.ArgumentParser(); p.add_argument('--out-dir'); p.add_argument('jobs', nargs='+')
a = p.parse_args()
print('pid', os.getpid(), flush=True)
for job in a.jobs:
    name, _, seed = job.partition(':')
    print(f'start {name} {seed}', flush=True)
    if name.startswith('slow'):
        time.sleep(30)
    if name.startswith('bad'):
        print(f'failed {name} {seed} {json.dumps("Traceback: " + name + " raised ValueError")}', flush=True)
        continue
    with open(os.path.join(a.out_dir, f'{name}-{seed}.json'), 'w') as f:
        json.dump({'name': name, 'seed': int(seed), 'pid': os.getpid()}, f)
    print(f'ok {name} {seed}', flush=True)
`;

describe('Brian2 mirrors in one background process (test/helpers/brian-batch.ts)', { skip: fs.existsSync(PY) ? false : `${PY} not found` }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swk-batch-test-'));
  const driver = path.join(dir, 'driver.py');
  fs.writeFileSync(driver, DRIVER);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const read = async (p: Promise<string>) => JSON.parse(fs.readFileSync(await p, 'utf8')) as { name: string; seed: number; pid: number };

  it('gives each job its own file, a failed job its traceback, and fails only the job past its limit', async () => {
    const batch = new BrianBatch([['a', 1, 10_000], ['bad', 1, 10_000], ['b', 2, 10_000], ['slow', 1, 1500], ['c', 3, 10_000]], driver);
    try {
      const a = await read(batch.result('a'));
      assert.deepEqual([a.name, a.seed], ['a', 1]);
      await assert.rejects(batch.result('bad'), /Brian2 bad:1 failed:\n[^]*bad raised ValueError/);
      const b = await read(batch.result('b', 2));
      assert.equal(b.pid, a.pid, 'one process for the jobs before the slow one');
      await assert.rejects(batch.result('slow'), /Brian2 slow:1 ran longer than 1500 ms/);
      const c = await read(batch.result('c', 3));
      assert.deepEqual([c.name, c.seed], ['c', 3]);
      assert.notEqual(c.pid, a.pid, 'the job after the slow one ran in a new process');
      assert.throws(() => batch.result('d'), /d:1 is not in this file's Brian2 batch/);
    } finally {
      batch.stop();
    }
  });

  it('stop() ends the process: the jobs not done fail, and no new process starts', async () => {
    const batch = new BrianBatch([['slow', 1, 60_000], ['a', 1, 60_000]], driver);
    const slow = batch.result('slow');
    const a = batch.result('a');
    await new Promise((r) => setTimeout(r, 300));
    batch.stop();
    // (a loaded machine may not have started the slow job yet)
    await assert.rejects(slow, /ended \(exit SIGKILL\) (while it ran|before it)/);
    await assert.rejects(a, /ended \(exit SIGKILL\) before it/);
  });
});
