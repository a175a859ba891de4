// The Target Report panel's host (webviews/target-report/): one panel per model, sent the report
// (protocol/target-report.ts) when it (re)loads, the report saved as JSON on request, and revived
// after a window reload from the state the page keeps (model-panels.ts).
import type * as vscode from 'vscode';
import { isTargetReportRequest, isTargetReportState, TARGET_REPORT_VIEW_TYPE, type TargetReport, type TargetReportMessage } from '../../../protocol/target-report';
import type { Notifier } from '../notify';
import { ModelPanels, type ModelPanel } from './model-panels';

export class TargetReportPanels extends ModelPanels<TargetReport> {
  constructor(extensionUri: vscode.Uri, log: vscode.LogOutputChannel, notify: Notifier) {
    super(extensionUri, log, notify, { viewType: TARGET_REPORT_VIEW_TYPE, bundle: 'target-report', title: 'Target Report' });
  }

  /** Shows `report` of the model `document` (a URI string) in its panel, opening one beside the editor. */
  show(document: string, report: TargetReport): void {
    this.showData(document, report, `Target Report: ${report.file} on ${report.target.name}`);
  }

  protected restore(state: unknown): { document: string; data: TargetReport } | undefined {
    return isTargetReportState(state) ? { document: state.document, data: state.report } : undefined;
  }

  protected message(document: string, report: TargetReport): TargetReportMessage {
    return { type: 'report', document, report };
  }

  protected async onRequest(o: ModelPanel<TargetReport>, m: unknown): Promise<void> {
    if (!isTargetReportRequest(m) || m.type !== 'export-json' || !o.data) return;
    const name = `${o.data.file.replace(/\.snn$/, '')}-${o.data.target.name}-report.json`;
    await this.saveNear(o, name, 'json', 'Export Target Report as JSON', Buffer.from(JSON.stringify(o.data, null, 1) + '\n', 'utf8'));
  }
}
