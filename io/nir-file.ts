// NIR files on disk: the graph of interop/nir.ts read and written in the reference library's HDF5
// layout (nir/serialization.py) through h5wasm. h5wasm is loaded only when a NIR file is read or
// written: from `h5wasm.mjs` beside the running bundle (dist/, built by esbuild.mjs, shipped in the
// VSIX, so the extension needs no node_modules), else from the h5wasm package (sources under tsx).
// A file that is not HDF5, is cut short, is too large or is not a NIR graph is refused with a
// message naming the file (and the node, where one is at fault).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { NirImportError, type NirArray, type NirGraph, type NirValue } from '../interop/nir';

/** The largest NIR file read (the whole file goes into h5wasm's memory). */
export const MAX_NIR_BYTES = 256 * 1024 * 1024;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type H5 = any;

let loaded: Promise<H5> | undefined;

async function load(): Promise<H5> {
  const bundled = typeof __dirname === 'string' ? path.join(__dirname, 'h5wasm.mjs') : undefined;
  let mod: unknown;
  try {
    mod = bundled && fs.existsSync(bundled) ? await import(pathToFileURL(bundled).href) : await import('h5wasm/node');
  } catch (e) {
    throw new NirImportError(`NIR files need h5wasm: neither dist/h5wasm.mjs nor the h5wasm package could be loaded (${(e as Error).message})`);
  }
  const h = (mod as { default?: H5 }).default ?? mod;
  await h.ready;
  return h;
}

function h5(): Promise<H5> {
  loaded ??= load().catch((e) => {
    loaded = undefined;
    throw e;
  });
  return loaded;
}

function writeValue(g: H5, name: string, v: NirValue): void {
  if (typeof v === 'string') g.create_dataset({ name, data: v });
  else g.create_dataset({ name, data: new Float64Array(v.data), shape: v.shape, dtype: '<d' });
}

/** Writes `graph` as the reference NIR library does (nir/serialization.py). */
export async function writeNir(file: string, graph: NirGraph): Promise<void> {
  const h = await h5();
  const f = new h.File(path.resolve(file), 'w');
  try {
    f.create_dataset({ name: 'version', data: graph.version });
    const root = f.create_group('node');
    root.create_dataset({ name: 'type', data: 'NIRGraph' });
    const nodes = root.create_group('nodes');
    for (const [name, n] of Object.entries(graph.nodes)) {
      const g = nodes.create_group(name);
      g.create_dataset({ name: 'type', data: n.type });
      for (const [k, v] of Object.entries(n.fields)) writeValue(g, k, v);
    }
    root.create_dataset({ name: 'edges', data: graph.edges.length ? graph.edges.flat() : [''], shape: graph.edges.length ? [graph.edges.length, 2] : [1] });
    const md = root.create_group('metadata');
    for (const [k, v] of Object.entries(graph.metadata)) writeValue(md, k, v);
  } finally {
    f.close();
  }
}

function readValue(d: H5): NirValue {
  const v = d.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return { data: [Number(v)], shape: [] };
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(',');
  return { data: Array.from(v as ArrayLike<number | bigint>, Number), shape: d.shape ?? [] } as NirArray;
}

/** Reads a NIR file; throws NirImportError with a message naming the file or node. */
export async function readNir(file: string): Promise<NirGraph> {
  const abs = path.resolve(file);
  const st = fs.statSync(abs, { throwIfNoEntry: false });
  if (!st || !st.isFile()) throw new NirImportError(`${file}: not a file`);
  if (st.size > MAX_NIR_BYTES) throw new NirImportError(`${file} is ${(st.size / 2 ** 20).toFixed(0)} MiB; NIR files over ${MAX_NIR_BYTES / 2 ** 20} MiB are not read`);
  const head = Buffer.alloc(8);
  const fd = fs.openSync(abs, 'r');
  fs.readSync(fd, head, 0, 8, 0);
  fs.closeSync(fd);
  if (head.toString('latin1') !== '\x89HDF\r\n\x1a\n') throw new NirImportError(`${file}: not an HDF5 file (a NIR file is HDF5)`);
  const h = await h5();
  let f: H5;
  try {
    f = new h.File(abs, 'r');
  } catch (e) {
    throw new NirImportError(`${file}: the HDF5 file cannot be read (truncated or corrupt): ${(e as Error).message}`);
  }
  try {
    if (f.file_id !== undefined && f.file_id < 0) throw new NirImportError(`${file}: the HDF5 file cannot be read (truncated or corrupt)`);
    const get = (p: string) => {
      try {
        return f.get(p);
      } catch {
        return null;
      }
    };
    const root = get('node');
    if (!root) throw new NirImportError(`${file}: no 'node' group: not a NIR file`);
    const version = get('version')?.value;
    const nodesG = get('node/nodes');
    if (!nodesG) throw new NirImportError(`${file}: no 'node/nodes' group: not a NIR graph`);
    const nodes: NirGraph['nodes'] = {};
    for (const name of nodesG.keys() as string[]) {
      const g = get(`node/nodes/${name}`);
      const type = get(`node/nodes/${name}/type`)?.value;
      if (typeof type !== 'string') throw new NirImportError(`${file}: node ${name} has no type (truncated or not a NIR file)`);
      const fields: Record<string, NirValue> = {};
      for (const k of g.keys() as string[]) {
        if (k === 'type') continue;
        const d = get(`node/nodes/${name}/${k}`);
        if (!d || d.value === undefined) throw new NirImportError(`${file}: node ${name}: field ${k} cannot be read (truncated?)`);
        fields[k] = readValue(d);
      }
      nodes[name] = { type, fields };
    }
    const e = get('node/edges');
    const flat: string[] = e ? (e.value as string[]) : [];
    const edges: [string, string][] = [];
    for (let k = 0; k + 1 < flat.length; k += 2) edges.push([flat[k], flat[k + 1]]);
    const metadata: Record<string, NirValue> = {};
    const md = get('node/metadata');
    if (md) for (const k of md.keys() as string[]) metadata[k] = readValue(get(`node/metadata/${k}`));
    return { version: typeof version === 'string' ? version : '?', nodes, edges, metadata };
  } finally {
    f.close();
  }
}
