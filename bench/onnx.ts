// `npm run bench:onnx`: Record Activations of 10,000 images through the concept CNN
// (examples/onnx/concept_cnn.onnx) with onnxruntime-web's WASM backend (one thread), every node's
// output kept, against a peer measured in the same run: the numpy forward pass of the tests
// (test/onnx/reference_forward.py, float64, conv by kernel taps) on the same inputs. Prints the
// time per input and the ratio; ends with one JSON line.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { npyHeader } from '../sim-host/src/npy';
import { makeImages } from '../sim-host/src/onnx/build/images';
import { recordActivations } from '../sim-host/src/onnx/record';

const N = Number(process.env.BENCH_ONNX_INPUTS ?? 10_000);
const root = path.join(__dirname, '..');
const model = path.join(root, 'examples', 'onnx', 'concept_cnn.onnx');

async function main(): Promise<void> {
  const bytes = new Uint8Array(fs.readFileSync(model));
  const images = makeImages(N, 7);
  const set = { count: N, shape: [3, 16, 16], data: images.data, labels: [], concepts: [], source: 'bench' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-onnx-'));
  const npy = path.join(dir, 'inputs.npy');
  fs.writeFileSync(npy, Buffer.concat([npyHeader(images.data, [N, 3, 16, 16]), Buffer.from(images.data.buffer)]));

  // Warm-up (runtime load, session creation), then the timed runs.
  await recordActivations(bytes, { ...set, count: 64, data: images.data.subarray(0, 64 * 768) });
  const t0 = performance.now();
  const all = await recordActivations(bytes, set, { batch: 256 });
  const allMs = performance.now() - t0;
  const t1 = performance.now();
  await recordActivations(bytes, set, { batch: 256, nodes: ['fc2'] });
  const logitsMs = performance.now() - t1;

  const t2 = performance.now();
  const r = spawnSync('/usr/bin/python3', [path.join(root, 'test', 'onnx', 'reference_forward.py'), model, npy, '-'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const peerWallMs = performance.now() - t2;
  fs.rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`the numpy peer failed: ${r.stderr}`);
  const peerMs = (JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number }).seconds * 1000;

  const us = (ms: number) => (1000 * ms) / N;
  console.log(`${N} inputs [3, 16, 16], ${all.nodes.length} nodes recorded (${all.nodes.reduce((a, n) => a + n.data.length, 0) * 4 / 2 ** 20 | 0} MiB of activations)`);
  console.log(`onnxruntime-web (wasm, 1 thread), every node: ${allMs.toFixed(0)} ms, ${us(allMs).toFixed(1)} µs per input`);
  console.log(`onnxruntime-web, logits only:                 ${logitsMs.toFixed(0)} ms, ${us(logitsMs).toFixed(1)} µs per input`);
  console.log(`numpy reference forward pass, every node:     ${peerMs.toFixed(0)} ms, ${us(peerMs).toFixed(1)} µs per input (process ${peerWallMs.toFixed(0)} ms)`);
  console.log(`ratio ours / numpy (every node): ${(allMs / peerMs).toFixed(2)}`);
  console.log(JSON.stringify({ bench: 'onnx', inputs: N, nodes: all.nodes.length, record_ms: Math.round(allMs), us_per_input: +us(allMs).toFixed(2), logits_ms: Math.round(logitsMs), peer: 'numpy', peer_ms: Math.round(peerMs), ratio: +(allMs / peerMs).toFixed(3) }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
