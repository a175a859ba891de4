// Event files and edge lists: which files a model reads (in the order the plan reads them) and
// how their bytes parse. No I/O here: the bytes come in the plan's `files` (read beforehand by
// node-files.ts on Node; a browser has none and the plan refuses such models naming the file).
import type { ModelIR } from '../../../protocol/ir';
import { PlanError } from './limits';

/**
 * Spikes of a spike_array or event_file source by step. A periodic array is not expanded: its
 * spikes are kept for one period and looked up by step modulo the period (memory O(one period)
 * whatever the run's length).
 */
export class SpikeSchedule {
  /** Offset step → sources, in the order the input lists them (a source may repeat). */
  private readonly byResidue = new Map<number, { start: number; source: number }[]>();
  /** Sources of each residue once every one of its entries has started. */
  private readonly full = new Map<number, number[]>();
  private readonly latest = new Map<number, number>();

  /** `period` in steps (0: not periodic); spikes at or after `steps` never happen. */
  constructor(readonly period: number, readonly steps: number) {}

  /** Adds a spike of `source` at `start` (and, when periodic, every period after it). */
  add(start: number, source: number): void {
    if (start >= this.steps || start < 0) return;
    const key = this.period ? start % this.period : start;
    let list = this.byResidue.get(key);
    if (!list) {
      this.byResidue.set(key, (list = []));
      this.full.set(key, []);
    }
    list.push({ start, source });
    this.full.get(key)!.push(source);
    this.latest.set(key, Math.max(this.latest.get(key) ?? 0, start));
  }

  /** Sources spiking at `step` (undefined when none); allocates only before a residue's last start. */
  at(step: number): readonly number[] | undefined {
    if (step < 0 || step >= this.steps) return undefined;
    const key = this.period ? step % this.period : step;
    const list = this.byResidue.get(key);
    if (!list) return undefined;
    if (step >= this.latest.get(key)!) return this.full.get(key);
    const some: number[] = [];
    for (const e of list) if (e.start <= step) some.push(e.source);
    return some.length ? some : undefined;
  }

  /** Entries stored (one per listed spike, not per repetition). */
  get size(): number {
    let n = 0;
    for (const l of this.byResidue.values()) n += l.length;
    return n;
  }
}

/** The two kinds of file a run reads. */
export type InputFileKind = 'event file' | 'edge list';

/** A file a run reads, as read before planning. */
export interface InputFile {
  bytes: Uint8Array;
  /** How messages name it (on Node the resolved path). */
  name: string;
}

/**
 * The files `ir` reads, in the order the plan reads them (event files in input order, then edge
 * lists in connection order, once per projection), keyed by the path as the IR writes it.
 */
export function inputFilesOf(ir: ModelIR): { file: string; what: InputFileKind }[] {
  const out: { file: string; what: InputFileKind }[] = [];
  for (const inp of ir.inputs) if (inp.kind === 'event_file') out.push({ file: inp.file, what: 'event file' });
  for (const c of ir.connections) {
    if (c.rule.kind !== 'from_file') continue;
    for (let k = 0; k < c.sources.length * c.targets.length; k++) out.push({ file: c.rule.file, what: 'edge list' });
  }
  return out;
}

/** Text of a file as UTF-8 (a byte-order mark kept, invalid bytes replaced). */
function utf8(data: Uint8Array): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(data);
}

/** Edge list: lines `source,target` (header and # comments allowed), local indices. */
export function parseEdgeList(f: InputFile, ns: number, nt: number): { src: number[]; tgt: number[] } {
  const src: number[] = [];
  const tgt: number[] = [];
  utf8(f.bytes).split(/\r?\n/).forEach((line, k) => {
    const t = line.trim();
    if (!t || t.startsWith('#') || /^[a-z]/i.test(t)) return;
    const [a, b] = t.split(/[,\s]+/).map(Number);
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= ns || b >= nt) throw new PlanError(`${f.name}:${k + 1}: expected 'source,target' indices within 0..${ns - 1} and 0..${nt - 1}`, 'input');
    src.push(a);
    tgt.push(b);
  });
  return { src, tgt };
}

export const EVENT_MAGIC = 'SWEVENT1';

/**
 * Event file: CSV lines `time_s,index` (header and # comments allowed), or the binary form
 * (protocol/results.md): "SWEVENT1", u32 count, then count × (f64 time_s, u32 index), little-endian.
 * Events at or after the run's last step are dropped.
 */
export function parseEventFile(bytes: Uint8Array, file: string, size: number, dt: number, steps: number): SpikeSchedule {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new SpikeSchedule(0, steps);
  const add = (time: number, idx: number, where: string) => {
    if (!Number.isFinite(time) || time < 0 || !Number.isInteger(idx) || idx < 0 || idx >= size) throw new PlanError(`${where}: expected a time ≥ 0 and an index in 0..${size - 1}, got ${time}, ${idx}`, 'input');
    out.add(Math.round(time / dt), idx);
  };
  const magic = bytes.length >= 12 && [...EVENT_MAGIC].every((ch, k) => bytes[k] === ch.charCodeAt(0));
  if (magic) {
    const n = view.getUint32(8, true);
    if (bytes.length < 12 + 12 * n) throw new PlanError(`${file}: the binary event file says ${n} events but holds ${Math.floor((bytes.length - 12) / 12)}`, 'input');
    for (let k = 0; k < n; k++) add(view.getFloat64(12 + 12 * k, true), view.getUint32(20 + 12 * k, true), `${file}: event ${k}`);
    return out;
  }
  utf8(bytes).split(/\r?\n/).forEach((line, k) => {
    const t = line.trim();
    if (!t || t.startsWith('#') || /^[a-z]/i.test(t)) return;
    const [time, idx] = t.split(/[,\s]+/).map(Number);
    add(time, idx, `${file}:${k + 1}`);
  });
  return out;
}
