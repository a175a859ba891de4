// The status bar item: idle ("Spikeworks", click to run) or the running simulations with their
// progress (click to stop). File names are model text: the text escapes `$(icon)` syntax and
// the tooltip is plain (notify.ts).
import * as vscode from 'vscode';
import { plain, statusText } from '../notify';

export class RunStatusBar implements vscode.Disposable {
  private item = vscode.window.createStatusBarItem('spikeworks.simulation', vscode.StatusBarAlignment.Left, 10);
  private running = new Map<string, { name: string; fraction: number; phase: string }>();
  private last = '';

  constructor() {
    this.item.name = 'Spikeworks Simulation';
    this.render();
    this.item.show();
  }

  setRunning(document: string, name: string, fraction: number, phase = 'simulating'): void {
    this.running.set(document, { name, fraction, phase });
    this.render();
  }

  setIdle(document: string, summary?: string): void {
    this.running.delete(document);
    if (summary) this.last = summary;
    this.render();
  }

  private render(): void {
    if (this.running.size === 0) {
      this.item.text = '$(play) Spikeworks';
      this.item.tooltip = plain(`Spikeworks: idle — click to run the active model${this.last ? `\nLast run: ${this.last}` : ''}`);
      this.item.command = 'spikeworks.runSimulation';
      this.item.backgroundColor = undefined;
      return;
    }
    const runs = [...this.running.values()];
    const first = runs[0];
    const pct = (r: { fraction: number }) => `${Math.floor(r.fraction * 100)}%`;
    this.item.text = `$(sync~spin) ${statusText(`${first.phase === 'simulating' ? `Simulating ${first.name} ${pct(first)}` : `${first.name}: ${first.phase}`}${runs.length > 1 ? ` (+${runs.length - 1})` : ''}`)}`;
    this.item.tooltip = plain(runs.map((r) => `${r.name}: ${r.phase} ${pct(r)}`).join('\n') + '\nClick to stop');
    this.item.command = 'spikeworks.stopSimulation';
  }

  dispose(): void {
    this.item.dispose();
  }
}
