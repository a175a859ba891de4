// Writes the ONNX example models and their input sets into examples/onnx/ (`npm run build:onnx-examples`).
// Every file is a pure function of the code: test/onnx-cnn.test.ts rebuilds them and compares bytes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { npyHeader } from '../sim-host/src/npy';
import { buildConceptCnn, INPUT_IMAGES, INPUT_SEED } from '../sim-host/src/onnx/build/cnn';
import { conceptsCsv, makeImages } from '../sim-host/src/onnx/build/images';
import { buildTwoTaskTransformer, SET_SIZE, T, twoTaskSet, V } from '../sim-host/src/onnx/build/transformer';

export interface ExampleFile {
  /** Relative to examples/onnx/. */
  name: string;
  bytes: Uint8Array;
}

/** The concept CNN and its input set (protocol/onnx-inputs.md: .npy + sidecar CSV). */
export function conceptCnnFiles(): ExampleFile[] {
  const { bytes } = buildConceptCnn();
  const set = makeImages(INPUT_IMAGES, INPUT_SEED);
  const npy = Buffer.concat([npyHeader(set.data, [set.count, 3, 16, 16]), Buffer.from(set.data.buffer, set.data.byteOffset, set.data.byteLength)]);
  return [
    { name: 'concept_cnn.onnx', bytes },
    { name: 'concept_cnn.inputs.npy', bytes: npy },
    { name: 'concept_cnn.inputs.csv', bytes: new TextEncoder().encode(conceptsCsv(set.concepts)) },
  ];
}

const npyBytes = (data: Float32Array, shape: number[]) => new Uint8Array(Buffer.concat([npyHeader(data, shape), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));

/** The two-task transformer and its task sets (protocol/onnx-task-sets.md: labels are logit indices). */
export function twoTaskTransformerFiles(): ExampleFile[] {
  const sets = (['copy', 'match'] as const).flatMap((task) => {
    const s = twoTaskSet(task, SET_SIZE);
    const csv = `index,label\n${Array.from(s.labels, (v, i) => `${i},${v}`).join('\n')}\n`;
    return [{ name: `two_task/${task}.npy`, bytes: npyBytes(s.tokens, [s.n, T, V]) }, { name: `two_task/${task}.csv`, bytes: new TextEncoder().encode(csv) }];
  });
  return [{ name: 'two_task_transformer.onnx', bytes: buildTwoTaskTransformer() }, ...sets];
}

/** Every example's builder, one line each. */
export const BUILDERS: Record<string, () => ExampleFile[]> = {
  concept_cnn: conceptCnnFiles,
  two_task_transformer: twoTaskTransformerFiles,
};

export const EXAMPLES_DIR = path.join(__dirname, '..', 'examples', 'onnx');

if (require.main === module) {
  fs.mkdirSync(EXAMPLES_DIR, { recursive: true });
  for (const build of Object.values(BUILDERS)) {
    for (const f of build()) {
      fs.mkdirSync(path.dirname(path.join(EXAMPLES_DIR, f.name)), { recursive: true });
      fs.writeFileSync(path.join(EXAMPLES_DIR, f.name), f.bytes);
      process.stdout.write(`wrote examples/onnx/${f.name} (${f.bytes.length} bytes)\n`);
    }
  }
}
