// Diagnostics as the checker produces them: offsets into one file, LSP severities.

export const enum Severity {
  Error = 1,
  Warning = 2,
  Information = 3,
  Hint = 4,
}

/** A machine-readable fix the language server turns into a code action. */
export type Fix =
  | { kind: 'addUnit'; offset: number; unit: string }
  | { kind: 'replace'; start: number; end: number; text: string; title: string };

export interface Diagnostic {
  start: number;
  end: number;
  severity: Severity;
  message: string;
  /** Stable identifier: `syntax`, `unit-mismatch`, `unknown-name`, ... */
  code: string;
  fixes?: Fix[];
  /** `import-errors`: where the error behind it is (`file.snn:line:col: message`), however deep the imports. */
  origin?: string;
}

export const SEVERITY_NAMES = ['', 'error', 'warning', 'information', 'hint'] as const;
