// io/safe-read.ts: what a model names is read only when it is a regular file inside the allowed
// folders and under the size limit; special files are refused without blocking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readFileBounded, readTextBounded, statFile } from '../io/safe-read';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sw-safe-read-'));
}

test('a regular file inside the root is read whole', () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'a.csv'), 'x\n1\n2\n');
  const r = readTextBounded(path.join(dir, 'a.csv'), { maxBytes: 100, roots: [dir], chunkBytes: 4096 });
  assert.ok(r.ok);
  assert.equal(r.text, 'x\n1\n2\n');
  assert.equal(r.size, 6);
});

test('a FIFO is refused at once (opening it does not block)', { skip: process.platform === 'win32' }, () => {
  const dir = tmp();
  const fifo = path.join(dir, 'pipe.csv');
  execFileSync('mkfifo', [fifo]);
  const t0 = Date.now();
  const r = readFileBounded(fifo, { maxBytes: 1e6 });
  assert.ok(!r.ok);
  assert.equal(r.reason, 'not-regular');
  assert.match(r.message, /pipe/);
  assert.ok(Date.now() - t0 < 1000);
  const s = statFile(fifo, { maxBytes: 1e6 });
  assert.ok(!s.ok && s.reason === 'not-regular');
});

test('/dev/zero and a folder are not regular files', { skip: !fs.existsSync('/dev/zero') }, () => {
  const r = readFileBounded('/dev/zero', { maxBytes: 1e9 });
  assert.ok(!r.ok && r.reason === 'not-regular', JSON.stringify(r));
  assert.match(r.message, /device/);
  const d = readFileBounded(tmp(), { maxBytes: 1e9 });
  assert.ok(!d.ok && d.reason === 'not-regular');
});

test('a file over the limit is refused from its size, before reading (sparse 3 GiB file)', () => {
  const dir = tmp();
  const big = path.join(dir, 'big.csv');
  const fd = fs.openSync(big, 'w');
  fs.ftruncateSync(fd, 3 * 2 ** 30);
  fs.closeSync(fd);
  const before = process.memoryUsage().rss;
  const t0 = Date.now();
  const r = readFileBounded(big, { maxBytes: 32 * 2 ** 20 });
  assert.ok(!r.ok && r.reason === 'too-large');
  assert.equal(r.size, 3 * 2 ** 30);
  assert.match(r.message, /3\.00 GiB; files over 32\.0 MiB are not read/);
  assert.ok(Date.now() - t0 < 500);
  assert.ok(process.memoryUsage().rss - before < 64 * 2 ** 20);
  fs.rmSync(big);
});

test('paths and symlinks out of the root are refused; the contents never reach the message', () => {
  const root = tmp();
  const outside = tmp();
  const secret = path.join(outside, 'secret.csv');
  fs.writeFileSync(secret, 'TOKEN=hunter2\n');
  fs.symlinkSync(secret, path.join(root, 'link.csv'));
  for (const p of [path.join(root, 'link.csv'), path.join(root, '..', path.basename(outside), 'secret.csv'), secret]) {
    const r = readFileBounded(p, { maxBytes: 1e6, roots: [root] });
    assert.ok(!r.ok && r.reason === 'outside', `${p}: ${JSON.stringify(r)}`);
    assert.doesNotMatch(r.message, /hunter2/);
  }
  // A link inside the root to a file inside the root is fine.
  fs.writeFileSync(path.join(root, 'in.csv'), 'a\n1\n');
  fs.symlinkSync(path.join(root, 'in.csv'), path.join(root, 'alias.csv'));
  assert.ok(readFileBounded(path.join(root, 'alias.csv'), { maxBytes: 1e6, roots: [root] }).ok);
});

test('a missing file says so; a cancelled read stops between chunks', () => {
  const dir = tmp();
  const r = readFileBounded(path.join(dir, 'nope.csv'), { maxBytes: 10 });
  assert.ok(!r.ok && r.reason === 'missing');
  const f = path.join(dir, 'm.bin');
  fs.writeFileSync(f, Buffer.alloc(64 * 1024));
  let polls = 0;
  const c = readFileBounded(f, { maxBytes: 1e6, chunkBytes: 4096, cancelled: () => ++polls > 3 });
  assert.ok(!c.ok && c.reason === 'cancelled');
  assert.equal(polls, 4);
});
