// "Spikeworks: New Model…" and the walkthrough (issue 13): every template checks clean — no
// diagnostic of any severity — and runs with spikes; new files never overwrite; the command and
// the walkthrough's steps are contributed and each step's page exists.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { freeFileName, templateById, TEMPLATES } from '../extension/src/templates';
import { distCli, ensureBuilt, repoRoot } from './helpers/build';

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  ensureBuilt();
  return spawnSync(process.execPath, [distCli, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
}

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string; title: string }[];
    walkthroughs: { id: string; steps: { id: string; description: string; media: { markdown?: string } }[] }[];
  };
};

describe('model templates (extension/src/templates.ts)', () => {
  it('offers the three templates, each a file of its own under extension/templates/', () => {
    assert.deepEqual(TEMPLATES.map((t) => t.id), ['lif_step', 'coba_ei', 'poisson_stdp']);
    assert.equal(new Set(TEMPLATES.map((t) => t.fileName)).size, TEMPLATES.length);
    const files = fs.readdirSync(path.join(repoRoot, 'extension', 'templates')).sort();
    assert.deepEqual(files, TEMPLATES.map((t) => path.basename(t.file)).sort(), 'every template file is offered');
    assert.equal(templateById('coba_ei')?.fileName, 'ei_network.snn');
    assert.equal(templateById(42), undefined);
  });

  for (const t of TEMPLATES) {
    it(`${t.id}: checks clean with zero diagnostics and runs with spikes`, () => {
      const file = path.join(repoRoot, t.file);
      const check = cli(['check', file, '--format', 'json']);
      assert.equal(check.status, 0, check.stdout + check.stderr);
      const report = JSON.parse(check.stdout) as { files: { diagnostics: unknown[] }[] };
      assert.equal(report.files.length, 1);
      assert.deepEqual(report.files[0].diagnostics, [], `${t.file} has diagnostics`);
      const run = cli(['run', file, '--duration', '0.3', '--format', 'json']);
      assert.equal(run.status, 0, run.stderr);
      const summary = JSON.parse(run.stdout.trim().split('\n').pop()!) as { populations: { name: string; spikes: number }[] };
      // The modelled neurons fire (not only the inputs): a first model shows a raster.
      const neurons = summary.populations.filter((p) => p.name !== 'ext');
      assert.ok(neurons.length > 0 && neurons.every((p) => p.spikes > 0), `${t.id}: ${JSON.stringify(summary.populations)}`);
    });
  }

  it('a new file never takes a name that exists', async () => {
    const existing = new Set(['first_neuron.snn', 'first_neuron_2.snn']);
    assert.equal(await freeFileName('first_neuron.snn', async (n) => existing.has(n)), 'first_neuron_3.snn');
    assert.equal(await freeFileName('ei_network.snn', async (n) => existing.has(n)), 'ei_network.snn');
  });
});

describe('package.json: New Model… and the walkthrough', () => {
  it('contributes spikeworks.newModel as "New Model…"', () => {
    assert.ok(pkg.contributes.commands.some((c) => c.command === 'spikeworks.newModel' && c.title === 'New Model…'));
  });

  it('the walkthrough goes: open an example, run it, read the raster, fix a unit, write a model', () => {
    const w = pkg.contributes.walkthroughs.find((x) => x.id === 'firstHour');
    assert.ok(w, 'walkthrough firstHour');
    assert.deepEqual(w.steps.map((s) => s.id), ['openExample', 'run', 'raster', 'unitFix', 'newModel']);
    for (const s of w.steps) {
      assert.ok(s.media.markdown && fs.existsSync(path.join(repoRoot, s.media.markdown)), `${s.id}: ${s.media.markdown} exists`);
      assert.match(s.description, /\]\(command:[\w.]+/, `${s.id} has a button`);
    }
    assert.match(w.steps[4].description, /command:spikeworks\.newModel/);
  });
});
