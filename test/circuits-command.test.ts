// Show Circuit Reuse's path without VS Code, on the planted two-task example: the model lowered
// as the command lowers it (extension/src/simulation/model.ts), the tasks it offers, startCircuits
// on the built worker (the command's call), the message the panel is sent checked by the panel's
// own guard, and every component of the result revealed at its definition in the file (a
// population or input by name, a group at its population, a projection at its connect).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { isCircuitsShow } from '../protocol/circuits-panel';
import { circuitTasks, componentPlace, loadModel } from '../extension/src/simulation/model';
import { startCircuits } from '../sim-host/src/host';
import { distPrelude, distWorker, ensureBuilt, repoRoot } from './helpers/build';

const file = join(repoRoot, 'examples', 'two_task_circuits.snn');
const uri = pathToFileURL(file).toString();

describe('Show Circuit Reuse on examples/two_task_circuits.snn', { timeout: 180_000 }, () => {
  it('offers both tasks, finds the planted circuits, and every component has a definition to reveal', async () => {
    ensureBuilt();
    const text = readFileSync(file, 'utf8');
    const loaded = loadModel(uri, text, distPrelude);
    assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.errors.slice(0, 2)));
    assert.deepEqual(circuitTasks(loaded.ir), ['task_a', 'task_b']);
    let progress = 0;
    const result = await startCircuits(loaded.ir, { source: 'two_task_circuits.snn', baseDir: join(repoRoot, 'examples') }, (done, total) => {
      assert.ok(done <= total);
      progress++;
    }, distWorker).result;
    assert.ok(progress > 0, 'progress reported');
    assert.ok(isCircuitsShow({ type: 'circuits', document: uri, result }), 'the panel accepts the message');
    assert.equal(result.cancelled, false);
    // The planted shared part (the file's header): hub, hub_relay, relay in both circuits.
    const shared = new Set(result.reuse[0]?.shared ?? []);
    for (const id of ['pop:hub', 'pop:relay', 'proj:hub_relay']) assert.ok(shared.has(id), `${id} shared`);
    const lines = text.split('\n');
    for (const c of result.components) {
      const p = componentPlace(uri, text, c, distPrelude);
      assert.ok(p, `no definition found for ${c.id}`);
      const line = lines[p.start.line];
      const name = c.kind === 'projection' ? (line.startsWith('connect ') ? line : '') : line;
      assert.match(name, c.kind === 'projection' ? /^connect / : /^(population|input) /, `${c.id} → line ${p.start.line + 1}: ${line}`);
      if (c.kind !== 'projection') assert.equal(line.slice(p.start.character, p.end.character), c.population);
    }
  });
});
