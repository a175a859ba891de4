// A lock between processes that share a checkout (parallel test files building dist/ or
// packaging the VSIX): a directory made atomically by mkdir, removed when the work is done;
// one older than `staleMs` is taken to be left by a killed process and removed.
import { mkdirSync, rmSync, statSync } from 'node:fs';

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `fn` holding the lock directory `lock`; throws when it stays held for `staleMs`. */
export function withDirLock(lock, staleMs, what, fn) {
  const deadline = Date.now() + staleMs;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > staleMs) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone already */
      }
      if (Date.now() > deadline) throw new Error(`${what} lock ${lock} held for too long`);
      sleep(200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
