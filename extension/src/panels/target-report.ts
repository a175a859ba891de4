// The Target Report panel's host (webviews/target-report/): one panel per model, sent the report
// (protocol/target-report.ts) when it (re)loads, the report saved as JSON on request, and revived
// after a window reload from the state the page keeps (WebviewPanelSerializer).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isTargetReportRequest, isTargetReportState, TARGET_REPORT_VIEW_TYPE, type TargetReport, type TargetReportMessage } from '../../../protocol/target-report';
import type { Notifier } from '../notify';
import { panelHtml, webviewOptions } from './html';

interface Open {
  panel: vscode.WebviewPanel;
  document: string;
  report?: TargetReport;
}

export class TargetReportPanels implements vscode.Disposable {
  private open: Open[] = [];
  private disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly notify: Notifier,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(TARGET_REPORT_VIEW_TYPE, {
        // The page restores its own report from getState; the host only needs the panel back (for Export).
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const o = this.adopt(panel, isTargetReportState(state) ? state.document : '');
          if (isTargetReportState(state)) o.report = state.report;
        },
      }),
    );
  }

  /** Shows `report` of the model `document` (a URI string) in its panel, opening one beside the editor. */
  show(document: string, report: TargetReport): void {
    let o = this.open.find((x) => x.document === document);
    if (!o) o = this.adopt(vscode.window.createWebviewPanel(TARGET_REPORT_VIEW_TYPE, 'Target Report', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(this.extensionUri)), document);
    else o.panel.reveal(undefined, true);
    o.report = report;
    o.panel.title = `Target Report: ${report.file} on ${report.target.name}`;
    this.post(o);
  }

  private adopt(panel: vscode.WebviewPanel, document: string): Open {
    const o: Open = { panel, document };
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.webview.html = panelHtml(panel.webview, this.extensionUri, 'target-report', 'Target Report');
    panel.onDidDispose(() => (this.open = this.open.filter((x) => x !== o)));
    panel.webview.onDidReceiveMessage((m: unknown) => {
      if (!isTargetReportRequest(m)) return;
      if (m.type === 'ready') this.post(o);
      else if (o.report) void this.saveJson(o.report, o.document);
    });
    this.open.push(o);
    return o;
  }

  private post(o: Open): void {
    if (!o.report) return;
    const m: TargetReportMessage = { type: 'report', document: o.document, report: o.report };
    void o.panel.webview.postMessage(m);
  }

  private async saveJson(report: TargetReport, document: string): Promise<void> {
    const name = `${report.file.replace(/\.snn$/, '')}-${report.target.name}-report.json`;
    const near = document ? vscode.Uri.joinPath(vscode.Uri.parse(document), '..', name) : undefined;
    const target = await vscode.window.showSaveDialog({ ...(near ? { defaultUri: near } : {}), filters: { JSON: ['json'] }, title: 'Export Target Report as JSON' });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(JSON.stringify(report, null, 1) + '\n', 'utf8'));
    this.log.info(`exported ${target.fsPath || target.toString()}`);
    void this.notify.info(`Saved ${path.basename(target.path)}`);
  }

  dispose(): void {
    for (const o of this.open) o.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
