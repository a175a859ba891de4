// CodeLens above each `simulate` block: run / stop, run with a chosen backend, the panels.
import * as vscode from 'vscode';
import { simulateBlocks } from './model';
import type { Runner } from './runner';

export class SimulateCodeLens implements vscode.CodeLensProvider {
  private changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly runner: Runner) {
    runner.onDidChangeRunning(() => this.changed.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const running = this.runner.isRunning(doc.uri.toString());
    return simulateBlocks(doc.getText()).flatMap((b) => {
      const range = new vscode.Range(doc.positionAt(b.start), doc.positionAt(b.keywordEnd));
      const args = [doc.uri];
      return [
        running
          ? new vscode.CodeLens(range, { title: '$(debug-stop) Stop Simulation', command: 'spikeworks.stopSimulation', arguments: args })
          : new vscode.CodeLens(range, { title: '$(play) Run Simulation', command: 'spikeworks.runSimulation', arguments: args }),
        new vscode.CodeLens(range, { title: 'Run with Backend…', command: 'spikeworks.runWithBackend', arguments: args }),
        new vscode.CodeLens(range, { title: 'Spike Raster', command: 'spikeworks.showRaster', arguments: args }),
        new vscode.CodeLens(range, { title: 'Traces', command: 'spikeworks.showTraces', arguments: args }),
      ];
    });
  }
}
