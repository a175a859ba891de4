// Writes examples/onnx/two_task_transformer.onnx and its task sets (examples/onnx/two_task/
// copy.npy|csv, match.npy|csv). `node --import tsx scripts/build-two-task-transformer.ts [DIR]`;
// the output is deterministic (test/onnx-transformer.test.ts rebuilds it and compares bytes).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildTwoTaskTransformer, SET_SIZE, T, twoTaskSet, V } from '../sim-host/src/onnx/build/transformer';
import { writeTaskSet } from '../sim-host/src/onnx-task-set';

export function writeTwoTaskExample(dir: string): void {
  fs.mkdirSync(path.join(dir, 'two_task'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'two_task_transformer.onnx'), buildTwoTaskTransformer());
  for (const task of ['copy', 'match'] as const) {
    const s = twoTaskSet(task, SET_SIZE);
    writeTaskSet(path.join(dir, 'two_task', task), { data: s.tokens, dims: [s.n, T, V] }, s.labels);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) writeTwoTaskExample(process.argv[2] ?? path.join(__dirname, '..', 'examples', 'onnx'));
