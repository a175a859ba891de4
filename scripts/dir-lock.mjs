// A lock between processes that share a checkout (parallel test files building dist/ or
// packaging the VSIX): a directory made atomically by mkdir, removed when the work is done;
// one older than `staleMs` is taken to be left by a killed process and removed.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** One try at taking the lock: true when taken; removes a stale one; throws past `deadline`. */
function tryLock(lock, staleMs, what, deadline) {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    try {
      if (Date.now() - statSync(lock).mtimeMs > staleMs) rmSync(lock, { recursive: true, force: true });
    } catch {
      /* gone already */
    }
    if (Date.now() > deadline) throw new Error(`${what} lock ${lock} held for too long`);
    return false;
  }
}

/** Runs `fn` holding the lock directory `lock`; throws when it stays held for `staleMs`. */
export function withDirLock(lock, staleMs, what, fn) {
  const deadline = Date.now() + staleMs;
  while (!tryLock(lock, staleMs, what, deadline)) sleep(200);
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** withDirLock for asynchronous work: waits without blocking the event loop. */
export async function withDirLockAsync(lock, staleMs, what, fn) {
  const deadline = Date.now() + staleMs;
  while (!tryLock(lock, staleMs, what, deadline)) await delay(200);
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
