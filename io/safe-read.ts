// Reading a file that a model names, without trusting the name: only regular files (never a
// FIFO, device, socket or directory — /dev/zero or a pipe would grow memory or block the
// thread), opened with O_NONBLOCK so that opening a FIFO cannot block, the size taken from the
// open file before a byte is read and refused above a limit, read in chunks with a cancellation
// check between them, and — when roots are given — only inside those folders after symlinks are
// resolved. Messages name the path and the reason, never the file's contents.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type ReadRefusal = 'missing' | 'not-regular' | 'too-large' | 'outside' | 'unreadable' | 'cancelled';

export interface FileFacts {
  /** The path with symlinks resolved. */
  real: string;
  size: number;
  mtimeMs: number;
}

export type Refused = { ok: false; reason: ReadRefusal; message: string; size?: number };
export type StatResult = ({ ok: true } & FileFacts) | Refused;
export type ReadResult = ({ ok: true; bytes: Buffer } & FileFacts) | Refused;
export type TextResult = ({ ok: true; text: string } & FileFacts) | Refused;

export interface ReadOptions {
  /** Files larger than this are refused before reading. */
  maxBytes: number;
  /** When given, the file's real path must lie inside one of these folders. */
  roots?: readonly string[];
  /** Polled between chunks; true stops the read with reason 'cancelled'. */
  cancelled?: () => boolean;
  /** Bytes per read call (default 1 MiB). */
  chunkBytes?: number;
}

const MiB = 2 ** 20;

/** "12.3 MiB", "512 B": a size in words for messages. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < MiB) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 2 ** 30) return `${(n / MiB).toFixed(1)} MiB`;
  return `${(n / 2 ** 30).toFixed(2)} GiB`;
}

function realOf(p: string): string | undefined {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return undefined;
  }
}

/** Whether `file` (already real) lies inside `root` (resolved here), or is it. */
export function isInside(root: string, file: string): boolean {
  const r = realOf(root) ?? path.resolve(root);
  const rel = path.relative(r, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function refuse(reason: ReadRefusal, message: string, size?: number): Refused {
  return size === undefined ? { ok: false, reason, message } : { ok: false, reason, message, size };
}

function resolveChecked(file: string, roots: readonly string[] | undefined): { real: string } | Refused {
  const real = realOf(file);
  if (real === undefined) {
    if (!fs.existsSync(path.dirname(file)) || !lexists(file)) return refuse('missing', `${file}: no such file`);
    return refuse('unreadable', `${file}: cannot be resolved (a broken link?)`);
  }
  if (roots && !roots.some((r) => isInside(r, real))) {
    return refuse('outside', `${file} is outside the workspace; only files inside it are read`);
  }
  return { real };
}

function lexists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a pipe (FIFO)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function errnoRefusal(file: string, e: unknown): Refused {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return refuse('missing', `${file}: no such file`);
  if (code === 'EACCES' || code === 'EPERM') return refuse('unreadable', `${file}: permission denied`);
  if (code === 'EISDIR') return refuse('not-regular', `${file} is a folder, not a file`);
  return refuse('unreadable', `${file}: cannot be read (${code ?? 'error'})`);
}

const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

/** Size and mtime of a regular file (for cache keys), with the same checks as a read. */
export function statFile(file: string, opts: Pick<ReadOptions, 'maxBytes' | 'roots'>): StatResult {
  const at = resolveChecked(file, opts.roots);
  if (!('real' in at)) return at;
  let st: fs.Stats;
  try {
    st = fs.statSync(at.real);
  } catch (e) {
    return errnoRefusal(file, e);
  }
  if (!st.isFile()) return refuse('not-regular', `${file} is ${kindOf(st)}; only regular files are read`);
  if (st.size > opts.maxBytes) return refuse('too-large', `${file} is ${formatBytes(st.size)}; files over ${formatBytes(opts.maxBytes)} are not read`, st.size);
  return { ok: true, real: at.real, size: st.size, mtimeMs: st.mtimeMs };
}

/** The bytes of a regular file of at most maxBytes, or why not. Never blocks on a special file. */
export function readFileBounded(file: string, opts: ReadOptions): ReadResult {
  const at = resolveChecked(file, opts.roots);
  if (!('real' in at)) return at;
  let fd: number;
  try {
    fd = fs.openSync(at.real, OPEN_FLAGS);
  } catch (e) {
    return errnoRefusal(file, e);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return refuse('not-regular', `${file} is ${kindOf(st)}; only regular files are read`);
    if (st.size > opts.maxBytes) return refuse('too-large', `${file} is ${formatBytes(st.size)}; files over ${formatBytes(opts.maxBytes)} are not read`, st.size);
    const bytes = Buffer.allocUnsafe(st.size);
    const chunk = Math.max(4096, opts.chunkBytes ?? MiB);
    let got = 0;
    while (got < st.size) {
      if (opts.cancelled?.()) return refuse('cancelled', `reading ${file} was cancelled`);
      const n = fs.readSync(fd, bytes, got, Math.min(chunk, st.size - got), got);
      if (n === 0) break; // the file shrank while being read: keep what is there
      got += n;
    }
    return { ok: true, bytes: got === st.size ? bytes : bytes.subarray(0, got), real: at.real, size: got, mtimeMs: st.mtimeMs };
  } catch (e) {
    return errnoRefusal(file, e);
  } finally {
    fs.closeSync(fd);
  }
}

/** readFileBounded as UTF-8 text. */
export function readTextBounded(file: string, opts: ReadOptions): TextResult {
  const r = readFileBounded(file, opts);
  if (!r.ok) return r;
  return { ok: true, text: r.bytes.toString('utf8'), real: r.real, size: r.size, mtimeMs: r.mtimeMs };
}
