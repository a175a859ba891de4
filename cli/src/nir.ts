// `spikeworks nir export FILE.snn --out X.nir` / `spikeworks nir import X.nir --out Y.snn`: the
// NIR graph of interop/nir.ts, read and written by io/nir-file.ts (HDF5 through h5wasm).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nirToSnn, NirImportError, toNir } from '../../interop/nir';
import { readNir, writeNir } from '../../io/nir-file';
import { refusalPlace } from './export';
import { loadModel } from './load';

export async function nirCommand(rest: string[], usage: (m: string) => never): Promise<number> {
  const [sub, ...args] = rest;
  const o = args.indexOf('--out');
  const out = o >= 0 ? args[o + 1] : undefined;
  if (o >= 0 && (!out || out.startsWith('--'))) usage('--out needs a file name');
  const files = args.filter((a, k) => !a.startsWith('-') && args[k - 1] !== '--out');
  const bad = args.find((a) => a.startsWith('-') && a !== '--out');
  if (bad) usage(`unknown option '${bad}'`);
  if (files.length !== 1) usage(`nir ${sub ?? ''} needs exactly one file`);
  if (!out) usage(`nir ${sub} needs --out FILE`);
  if (sub === 'export') {
    const ir = loadModel(files[0], 'nothing exported');
    if (!ir) return 1;
    const r = toNir(ir);
    for (const w of r.warnings) process.stderr.write(`${refusalPlace(files[0], w)}: warning: ${w.message}\n`);
    if (!r.ok) {
      for (const e of r.refusals) process.stderr.write(`${refusalPlace(files[0], e)}: error: ${e.message}\n`);
      process.stderr.write('spikeworks: the model cannot be said in NIR as it is; nothing written\n');
      return 1;
    }
    try {
      await writeNir(out, r.graph);
    } catch (e) {
      process.stderr.write(`spikeworks: ${out}: ${(e as Error).message}\n`);
      return 1;
    }
    process.stderr.write(`wrote ${out}: ${Object.keys(r.graph.nodes).length} nodes, ${r.graph.edges.length} edges\n`);
    return 0;
  }
  if (sub === 'import') {
    try {
      const g = await readNir(files[0]);
      const text = nirToSnn(g, path.basename(files[0]));
      fs.writeFileSync(out, text);
      process.stderr.write(`wrote ${out} from ${Object.keys(g.nodes).length} NIR nodes\n`);
      return 0;
    } catch (e) {
      if (!(e instanceof NirImportError)) throw e;
      process.stderr.write(`spikeworks: ${e.message.startsWith(files[0]) ? '' : `${files[0]}: `}${e.message}\n`);
      return 1;
    }
  }
  return usage(`nir needs 'export' or 'import', got '${sub ?? ''}'`);
}
