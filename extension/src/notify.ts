// The one way the extension shows text to the user outside an editor: notifications, progress
// notifications, quick picks, status bar text and tooltips. Messages quote model and file text
// (paths, population names, CSV headers, engine errors that quote them), and VS Code renders
// `[label](command:…)` in a notification as a clickable command link: everything shown here
// goes through notificationText first (protocol/plain-text.ts), so a call site cannot forget it.
// No runtime `vscode` import: the window is passed in (commands.ts passes vscode.window), so the
// module is unit-tested in Node (test/notify.test.ts). A test also checks that no other file
// under extension/src calls vscode.window.show*Message, withProgress or showQuickPick itself.
import type { CancellationToken, Progress, ProgressOptions, QuickPickItem, QuickPickOptions } from 'vscode';
import { notificationText } from '../../protocol/plain-text';

/** What a progress notification reports (VS Code's shape). */
export interface ProgressStep {
  message?: string;
  increment?: number;
}

/** The parts of `vscode.window` that show text (vscode.window itself satisfies it). */
export interface MessageWindow {
  showInformationMessage(message: string, ...items: string[]): Thenable<string | undefined>;
  showWarningMessage(message: string, ...items: string[]): Thenable<string | undefined>;
  showErrorMessage(message: string, ...items: string[]): Thenable<string | undefined>;
  withProgress<R>(options: ProgressOptions, task: (progress: Progress<ProgressStep>, token: CancellationToken) => Thenable<R>): Thenable<R>;
  showQuickPick<T extends QuickPickItem>(items: readonly T[], options?: QuickPickOptions): Thenable<T | undefined>;
}

/** Text that may quote a model or a file, made safe for any notification-like surface. */
export function plain(text: string): string {
  return notificationText(text);
}

/**
 * Status bar text: plain, and `$(name)` icon syntax from a file or population name is escaped
 * (`\$(…)`), so a model named `$(alert).snn` shows that text, not an icon.
 */
export function statusText(text: string): string {
  return plain(text).replace(/(\\)?\$\(/g, (m, escaped: string | undefined) => (escaped ? m : '\\$('));
}

export class Notifier {
  constructor(private readonly window: MessageWindow) {}

  info(message: string, ...items: string[]): Thenable<string | undefined> {
    return this.show('showInformationMessage', message, items);
  }

  warn(message: string, ...items: string[]): Thenable<string | undefined> {
    return this.show('showWarningMessage', message, items);
  }

  error(message: string, ...items: string[]): Thenable<string | undefined> {
    return this.show('showErrorMessage', message, items);
  }

  /** A progress notification: its title and every reported message are plain text. */
  progress<R>(options: ProgressOptions, task: (progress: Progress<ProgressStep>, token: CancellationToken) => Thenable<R>): Thenable<R> {
    const safe: ProgressOptions = { ...options, title: options.title === undefined ? undefined : plain(options.title) };
    return this.window.withProgress(safe, (progress, token) =>
      task({ report: (step) => progress.report(step.message === undefined ? step : { ...step, message: plain(step.message) }) }, token),
    );
  }

  /** A quick pick whose labels, descriptions and details are plain text; resolves with the item given. */
  async pick<T extends QuickPickItem>(items: readonly T[], options?: QuickPickOptions): Promise<T | undefined> {
    const { shown, safeOptions } = this.plainPick(items, options);
    const chosen = await this.window.showQuickPick(shown, safeOptions);
    return chosen === undefined ? undefined : items[shown.indexOf(chosen)];
  }

  /** The same with several items ticked (canPickMany); resolves with the items given. */
  async pickMany<T extends QuickPickItem>(items: readonly T[], options?: QuickPickOptions): Promise<T[] | undefined> {
    const { shown, safeOptions } = this.plainPick(items, options);
    const chosen = (await this.window.showQuickPick(shown, { ...safeOptions, canPickMany: true })) as unknown as T[] | undefined;
    return chosen?.map((c) => items[shown.indexOf(c)]);
  }

  private plainPick<T extends QuickPickItem>(items: readonly T[], options?: QuickPickOptions): { shown: T[]; safeOptions: QuickPickOptions | undefined } {
    const shown = items.map((it) => ({
      ...it,
      label: statusText(it.label),
      description: it.description === undefined ? undefined : statusText(it.description),
      detail: it.detail === undefined ? undefined : statusText(it.detail),
    }));
    const safeOptions = options && { ...options, title: options.title === undefined ? undefined : plain(options.title), placeHolder: options.placeHolder === undefined ? undefined : plain(options.placeHolder) };
    return { shown, safeOptions };
  }

  /** Shows `message` with buttons; resolves with the button as given (labels are shown plain). */
  private async show(kind: 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage', message: string, items: string[]): Promise<string | undefined> {
    const shown = items.map(plain);
    const chosen = await this.window[kind](plain(message), ...shown);
    const k = chosen === undefined ? -1 : shown.indexOf(chosen);
    return k >= 0 ? items[k] : undefined;
  }
}
