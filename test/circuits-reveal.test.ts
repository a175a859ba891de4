// Reveal from the Circuits panel, without VS Code (extension/src/simulation/model.ts
// componentPlace over the façade's findPopulation / findConnection): a population, a group (its
// population), an input, a named connection, an unnamed one found by its ends, a population
// defined in an imported file, and a component not in the model. Also the panel's protocol checks: requests and
// messages that are not what they claim are refused.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { isCircuitsPanelRequest, isCircuitsPanelMessage } from '../protocol/circuits';
import { componentFor, isCircuitsPanelState, isCircuitsShow } from '../protocol/circuits-panel';
import { componentPlace } from '../extension/src/simulation/model';
import { circuitsFixture } from './helpers/circuits-fixture';

const dir = mkdtempSync(join(tmpdir(), 'spikeworks-reveal-'));
writeFileSync(join(dir, 'parts.snn'), 'population side = LIF[10]\n');
const MODEL = `model reveal
import "parts.snn"

input cue = poisson[20] { rate: 10 Hz }
population in_a = LIF[100]
population hub = LIF[200]
population out = LIF[40]

connect cue -> in_a { rule: all_to_all; weight: 1 pA; target: I_syn }
connect in_a -> out { rule: all_to_all; weight: 1 pA; target: I_syn }
connect in_a -> hub[0..99] { rule: all_to_all; weight: 1 pA; target: I_syn }
connect recurrent: hub -> hub { rule: random(p = 0.1); weight: 1 pA; target: I_syn }
connect hub -> out { rule: all_to_all; weight: 1 pA; target: I_syn }
`;
const uri = pathToFileURL(join(dir, 'reveal.snn')).toString();
const place = (c: Parameters<typeof componentPlace>[2]) => componentPlace(uri, MODEL, c);

describe('Circuits panel: reveal a component’s definition', () => {
  it('a population: its name on its line', () => {
    const p = place({ kind: 'population', label: 'hub', population: 'hub' });
    assert.deepEqual(p, { uri, start: { line: 5, character: 11 }, end: { line: 5, character: 14 } });
  });
  it('a group: the population it slices', () => {
    assert.equal(place({ kind: 'group', label: 'hub[0..99]', population: 'hub' })?.start.line, 5);
  });
  it('a named connection: its name; an unnamed one: the connect whose ends match', () => {
    assert.deepEqual(place({ kind: 'projection', label: 'recurrent', population: 'hub', target: 'hub' }), { uri, start: { line: 11, character: 8 }, end: { line: 11, character: 17 } });
    const unnamed = place({ kind: 'projection', label: 'hub->out', population: 'hub', target: 'out' });
    assert.deepEqual(unnamed, { uri, start: { line: 12, character: 0 }, end: { line: 12, character: 18 } });
    assert.equal(MODEL.split('\n')[12].slice(0, 18), 'connect hub -> out');
    // Same source, other targets: the one to `hub` (a range on the target still matches).
    assert.equal(place({ kind: 'projection', label: 'in_a->hub', population: 'in_a', target: 'hub' })?.start.line, 10);
    assert.equal(place({ kind: 'projection', label: 'in_a->out', population: 'in_a', target: 'out' })?.start.line, 9);
  });
  it('an input (a spike source is a component too): its name; a projection from it: its connect', () => {
    assert.deepEqual(place({ kind: 'population', label: 'cue', population: 'cue' }), { uri, start: { line: 3, character: 6 }, end: { line: 3, character: 9 } });
    assert.equal(place({ kind: 'projection', label: 'cue->in_a', population: 'cue', target: 'in_a' })?.start.line, 8);
  });
  it('a population of an imported file: that file', () => {
    const p = place({ kind: 'population', label: 'side', population: 'side' });
    assert.equal(p?.uri, pathToFileURL(join(dir, 'parts.snn')).toString());
    assert.equal(p?.start.line, 0);
  });
  it('a component the model does not define: none', () => {
    assert.equal(place({ kind: 'population', label: 'gone', population: 'gone' }), undefined);
    assert.equal(place({ kind: 'projection', label: 'out->in_a', population: 'out', target: 'in_a' }), undefined);
  });
  it('the component a reveal request names: the result’s entry, else what its id says', () => {
    const r = circuitsFixture();
    assert.deepEqual(componentFor(r, 'proj:recurrent'), r.components.find((c) => c.id === 'proj:recurrent'));
    assert.deepEqual(componentFor(r, 'pop:elsewhere'), { kind: 'population', label: 'elsewhere', population: 'elsewhere' });
    assert.deepEqual(componentFor(r, 'group:exc[0..49]'), { kind: 'group', label: 'exc[0..49]', population: 'exc' });
    assert.equal(componentFor(r, 'proj:unknown'), undefined);
  });
});

describe('Circuits panel: protocol checks', () => {
  it('requests: the four kinds pass, junk is refused', () => {
    for (const ok of [{ type: 'ready' }, { type: 'reveal', component: 'pop:a' }, { type: 'export', format: 'json' }, { type: 'export', format: 'svg', data: '<svg/>' }, { type: 'export', format: 'png', data: 'data:image/png;base64,AA==' }]) assert.ok(isCircuitsPanelRequest(ok), JSON.stringify(ok));
    const junk: unknown[] = [null, undefined, 1, 'ready', [], {}, { type: 'reveal' }, { type: 'reveal', component: 3 }, { type: 'export' }, { type: 'export', format: 'csv', data: 'x' }, { type: 'export', format: 'svg' }, { type: 'export', format: 'png', data: 7 }, { type: 'run' }];
    for (const m of junk) assert.equal(isCircuitsPanelRequest(m), false, JSON.stringify(m));
  });
  it('messages and state: a real result passes; a broken one, a missing document, a wrong selection do not', () => {
    const result = circuitsFixture();
    assert.ok(isCircuitsPanelMessage({ type: 'circuits', result }));
    assert.ok(isCircuitsShow({ type: 'circuits', document: 'file:///m.snn', result }));
    assert.equal(isCircuitsShow({ type: 'circuits', result }), false);
    assert.equal(isCircuitsShow({ type: 'circuits', document: 'x', result: { ...result, tasks: [{ task: 'a' }] } }), false);
    assert.equal(isCircuitsShow({ type: 'circuits', document: 'x', result: { ...result, seed: Number.NaN } }), false);
    assert.ok(isCircuitsPanelState({ document: 'x', result, selected: 'pop:hub' }));
    assert.equal(isCircuitsPanelState({ document: 'x', result, selected: 3 }), false);
    assert.equal(isCircuitsPanelState({ document: 1, result }), false);
    assert.equal(isCircuitsPanelState(null), false);
  });
});
