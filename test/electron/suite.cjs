// Integration suite run inside the VS Code extension host by test/electron/run.mjs
// (@vscode/test-electron). Same contract as test/e2e/vscode.e2e.test.ts, through the API:
// coba.snn is clean, a volt/siemens mix-up is an error, completion in a population block
// offers CobaLIF's parameters; and the simulation flow of test/e2e/simulation.e2e.test.ts:
// "Run Simulation" gives the CLI's spike count for the same seed and opens the raster panel, a
// long run stops within 200 ms of "Stop Simulation". Throws on the first failure.
const assert = require('node:assert/strict');
const vscode = require('vscode');

const EXTENSION_ID = 'spikeworks.spikeworks';

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

/** Polls `probe` until it returns something truthy. */
async function waitFor(what, probe, timeoutMs = 30000) {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

/** Waits until the diagnostics of `uri` have not changed for `quietMs` (at most `maxMs`). */
async function settledDiagnostics(uri, quietMs = 3000, maxMs = 20000) {
  let last = Date.now();
  const sub = vscode.languages.onDidChangeDiagnostics((e) => {
    if (e.uris.some((u) => u.toString() === uri.toString())) last = Date.now();
  });
  const start = Date.now();
  try {
    while (Date.now() - last < quietMs && Date.now() - start < maxMs) await sleep(200);
  } finally {
    sub.dispose();
  }
  return vscode.languages.getDiagnostics(uri);
}

const errorsOf = (uri) =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
const listDiagnostics = (diags) => diags.map((d) => `  line ${d.range.start.line + 1}: ${d.message}`).join('\n');

/** Reverts the active editor (coba.snn) to its saved text. */
async function revert() {
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

exports.run = async () => {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  const uri = vscode.Uri.joinPath(folder.uri, 'coba.snn');
  const doc = await vscode.workspace.openTextDocument(uri);
  assert.equal(doc.languageId, 'snn', 'coba.snn is not recognised as an snn file');
  await vscode.window.showTextDocument(doc);

  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
  await extension.activate();
  await waitFor('the extension to activate', () => extension.isActive);
  const lines = doc.getText().split(/\r?\n/);

  // a. The example is clean.
  console.log('a. coba.snn has no errors');
  await settledDiagnostics(uri);
  assert.equal(listDiagnostics(errorsOf(uri)), '', 'coba.snn has errors');

  // b. V_th in siemens: either change coba.snn's own `V_th = -50 mV`, or override CobaLIF's
  //    V_th in the exc population. `v > V_th` then compares volt with siemens.
  console.log('b. a volt/siemens mix-up is an error');
  const populationLine = lines.findIndex((l) => /population\s+exc\s*=\s*CobaLIF\s*\[/.test(l));
  assert.ok(populationLine >= 0, 'coba.snn has no `population exc = CobaLIF[...]` line');
  const vthLine = lines.findIndex((l) => /\bV_th\s*=\s*-50\s*mV\b/.test(l));
  const edit = new vscode.WorkspaceEdit();
  if (vthLine >= 0) {
    const col = lines[vthLine].search(/-50\s*mV/);
    const len = /-50\s*mV/.exec(lines[vthLine])[0].length;
    edit.replace(uri, new vscode.Range(vthLine, col, vthLine, col + len), '-50 nS');
  } else {
    edit.insert(uri, new vscode.Position(populationLine, lines[populationLine].length), '\n  V_th = -50 nS');
  }
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
  const unitErrors = await waitFor('an error that mentions volt', () => {
    const found = errorsOf(uri).filter((d) => /volt/i.test(d.message));
    return found.length ? found : undefined;
  });
  assert.ok(
    unitErrors.some((d) => /siemens/i.test(d.message)),
    `the unit error does not name siemens:\n${listDiagnostics(unitErrors)}`,
  );
  await revert();
  await waitFor('the unit error to disappear after revert', () => errorsOf(uri).length === 0);

  // c. Completion on a new line inside the population block lists CobaLIF's parameters.
  console.log('c. completion in a population block offers C_m');
  const newLine = new vscode.WorkspaceEdit();
  newLine.insert(uri, new vscode.Position(populationLine, lines[populationLine].length), '\n  ');
  assert.ok(await vscode.workspace.applyEdit(newLine), 'the edit was not applied');
  const at = new vscode.Position(populationLine + 1, 2);
  let labels = [];
  await waitFor('C_m among the completion items', async () => {
    const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', uri, at);
    labels = (list?.items ?? []).map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    return labels.includes('C_m');
  }, 15000).catch((err) => {
    throw new Error(`${err.message}; got: ${labels.join(', ') || '(nothing)'}`);
  });
  await revert();

  // d. Run Simulation: same spike count as the CLI for the same seed; the raster panel opens.
  console.log('d. Run Simulation matches the CLI and opens the raster');
  await vscode.workspace.getConfiguration('spikeworks').update('simulation.seed', Number(process.env.SPIKEWORKS_SEED), vscode.ConfigurationTarget.Global);
  const summary = await vscode.commands.executeCommand('spikeworks.runSimulation', uri);
  assert.ok(summary, 'Run Simulation returned nothing');
  assert.equal(summary.status, 'done', `run status: ${summary.status} ${summary.message ?? ''}`);
  assert.equal(summary.spikes, Number(process.env.SPIKEWORKS_CLI_SPIKES), 'the extension and the CLI disagree on the spike count');
  const rasterTab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('spikeworks.raster'));
  await waitFor('the raster panel tab', () => rasterTab());

  // e. A long run stops within 200 ms of Stop Simulation.
  console.log('e. a long run stops when asked');
  const longUri = vscode.Uri.joinPath(folder.uri, 'coba_long.snn');
  await vscode.workspace.fs.writeFile(longUri, Buffer.from(doc.getText().replace(/duration:\s*1 s/, 'duration: 200 s')));
  const longRun = vscode.commands.executeCommand('spikeworks.runSimulation', longUri);
  await sleep(3000);
  const t0 = Date.now();
  await vscode.commands.executeCommand('spikeworks.stopSimulation', longUri);
  const stopped = await longRun;
  const ms = Date.now() - t0;
  assert.equal(stopped.status, 'cancelled');
  assert.ok(stopped.stepsDone < 2000000 && stopped.spikes > 0, `stopped at step ${stopped.stepsDone} with ${stopped.spikes} spikes`);
  assert.ok(ms < 200, `stopping took ${ms} ms`);
  console.log('all Spikeworks integration checks passed');
};
