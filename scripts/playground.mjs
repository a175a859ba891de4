// The folder `npm start` opens: a scratch copy of examples/ (by default .spikeworks/playground/),
// so experiments, auto-saved edits and exports never touch the repository's tracked examples.
// Copied once, on the first start; later starts open it as the user left it (edits, new files,
// deletions kept). Delete the folder to get fresh copies of the examples.
import { cpSync, existsSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';

/** Whether `inner` is `outer` or a folder below it (after symlinks, where they exist). */
function within(inner, outer) {
  const real = (p) => (existsSync(p) ? realpathSync(p) : resolve(p));
  const rel = relative(real(outer), real(inner));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Makes sure `playground` holds a copy of `examples` and returns what was done. Throws when the
 * playground would be the examples folder itself or inside it (the tracked files would be opened).
 */
export function preparePlayground({ examples, playground }) {
  const folder = resolve(playground);
  if (within(folder, examples)) throw new Error(`the playground ${folder} must not be the examples folder or inside it`);
  if (existsSync(folder)) return { folder, created: false };
  mkdirSync(dirname(folder), { recursive: true });
  cpSync(resolve(examples), folder, { recursive: true, errorOnExist: true, force: false });
  return { folder, created: true };
}

/** The default places: <repo>/examples → <repo>/.spikeworks/playground. */
export function defaultPlayground(repoRoot) {
  return { examples: join(repoRoot, 'examples'), playground: join(repoRoot, '.spikeworks', 'playground') };
}
