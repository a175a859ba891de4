// The engine's file reader on Node (plan.ts ReadInputFile) over io/safe-read.ts: event files
// and edge lists are regular files only (a FIFO or device is refused without blocking), their
// size is checked before a byte is read (above the limit: refused as over the memory limit),
// they are read in chunks that a cancel stops, and only inside the run's allowed folders.
// Node-only: the browser bundle of the WebGPU backend never imports this file.
import { formatBytes, readFileBounded } from '../../io/safe-read';
import { PlanError, type ReadInputFile } from './plan';

export const nodeReadInputFile: ReadInputFile = (file, what, opts) => {
  const r = readFileBounded(file, { maxBytes: opts.maxBytes, roots: opts.roots, cancelled: opts.cancelled });
  if (r.ok) return r.bytes;
  if (r.reason === 'too-large') {
    throw new PlanError(`cannot read the ${what} ${file}: it is ${formatBytes(r.size ?? 0)}, more than the ${formatBytes(opts.maxBytes)} left for input files (at most 256 MiB, and within the run's memory limit: spikeworks.memoryLimitMB / --memory-limit)`, 'memory');
  }
  if (r.reason === 'cancelled') throw new PlanError(`stopped while reading the ${what} ${file}`, 'cancelled');
  if (r.reason === 'outside') {
    throw new PlanError(`cannot read the ${what} ${file}: it is outside the folders a run may read (${(opts.roots ?? []).join(', ')}); move it there, or allow its folder (spikeworks run --allow-read DIR)`, 'input');
  }
  throw new PlanError(`cannot read the ${what}: ${r.message}`, 'input');
};
