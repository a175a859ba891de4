// The Python peers' interpreter (Debian's /usr/bin/python3) and whether it has the modules a
// test file needs: found by importlib's find_spec, without importing them (Brian2's import
// alone costs ~4 s of CPU, once per file that asks).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PY = '/usr/bin/python3';

/** Whether /usr/bin/python3 exists and every one of `modules` is installed for it. */
export function pythonHas(...modules: string[]): boolean {
  if (!existsSync(PY)) return false;
  const code = `import importlib.util, sys; sys.exit(0 if all(importlib.util.find_spec(m) for m in sys.argv[1:]) else 1)`;
  return spawnSync(PY, ['-c', code, ...modules], { encoding: 'utf8' }).status === 0;
}
