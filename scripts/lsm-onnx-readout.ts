// Rebuilds examples/lsm_onnx_readout.onnx: runs examples/lsm_onnx_readout.snn (its seed, wasm),
// fits ridge weights on readout r's windows (task train, every window, alpha 1) and writes them as
// a linear classifier (sim-host/src/onnx/linear-model.ts: MatMul + Add). Deterministic: the same
// bytes every time (test/onnx-readout.test.ts checks the committed file against a rebuild).
// `npm run example:onnx-readout [-- --check]` (node --import tsx scripts/lsm-onnx-readout.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lowerModel } from '../language-server/src/ide';
import { nodeHost, preludeAt } from '../language-server/src/ide-node';
import { Simulation } from '../sim-host/src/engine';
import { fittedReadoutAsOnnx } from '../sim-host/src/onnx/linear-model';

export const EXAMPLE = path.resolve(__dirname, '..', 'examples', 'lsm_onnx_readout.snn');
export const EXAMPLE_MODEL = EXAMPLE.replace(/\.snn$/, '.onnx');

/** The example's ONNX model bytes, rebuilt. */
export function buildExampleModel(): Uint8Array {
  const r = lowerModel({ file: EXAMPLE }, { host: nodeHost, prelude: preludeAt(path.resolve(__dirname, '..', 'language-server')) });
  if (!r.ok) throw new Error(`${EXAMPLE}: ${r.diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`).join('; ')}`);
  const run = new Simulation(r.ir, { baseDir: path.dirname(EXAMPLE) }).run();
  if (run.error) throw new Error(run.error);
  return fittedReadoutAsOnnx(r.ir, 'r', run);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const bytes = buildExampleModel();
  if (process.argv.includes('--check')) {
    const same = fs.existsSync(EXAMPLE_MODEL) && Buffer.compare(fs.readFileSync(EXAMPLE_MODEL), Buffer.from(bytes)) === 0;
    console.log(same ? `${EXAMPLE_MODEL} is up to date` : `${EXAMPLE_MODEL} differs from a rebuild`);
    process.exit(same ? 0 : 1);
  }
  fs.writeFileSync(EXAMPLE_MODEL, bytes);
  console.log(`wrote ${EXAMPLE_MODEL} (${bytes.length} bytes)`);
}
