// What the web extension (browser.ts) answers for the commands it cannot run yet. No VS Code
// types here: test/browser/web-extension.test.ts reads these in Node.

/** What the run commands say in the web extension. */
export const WEB_RUN_MESSAGE =
  'Running a model needs Spikeworks in desktop VS Code or code-server; in this browser version models are checked as you type, but not run yet.';

/** The commands that run models or show their results (package.json), answered with WEB_RUN_MESSAGE. */
export const RUN_COMMANDS = [
  'spikeworks.runSimulation',
  'spikeworks.stopSimulation',
  'spikeworks.runWithBackend',
  'spikeworks.runSweep',
  'spikeworks.emulateOnTarget',
  'spikeworks.describeNeurons',
  'spikeworks.exportNir',
  'spikeworks.importNir',
  'spikeworks.showCircuitReuse',
  'spikeworks.showRaster',
  'spikeworks.showTraces',
  // ONNX models (the runtime and the model's files are read in the desktop's worker).
  'spikeworks.onnx.recordActivations',
  'spikeworks.onnx.describeNeurons',
  'spikeworks.onnx.showCircuitReuse',
];
