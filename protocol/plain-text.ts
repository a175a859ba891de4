// Text that came from a model or a data file (paths, names, CSV headers), made safe for the
// places that interpret markup: VS Code notifications turn `[label](command:…)` into a clickable
// link, and hovers/completion documentation are Markdown. Every message built from such text
// goes through one of these before it is shown.

/** Longest piece of model/file text a message quotes (longer text is cut with an ellipsis). */
export const MAX_QUOTED = 200;

// C0/C1 controls except tab and newline, bidi overrides and isolates (they can disguise text).
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * For notifications and other plain-text UI that still recognises `[label](target)` links:
 * the link form is broken (`](` → `] (`, and `<http…>` autolinks lose their brackets' meaning),
 * control characters are dropped. The visible text is otherwise unchanged.
 */
export function notificationText(s: string): string {
  return s.replace(CONTROLS, '').replace(/\]\s*\(/g, '] (').replace(/<(?=[a-z][a-z0-9+.-]*:)/gi, '‹');
}

/** For Markdown (hover, completion documentation): every Markdown punctuation is escaped. */
export function escapeMarkdown(s: string): string {
  return s.replace(CONTROLS, '').replace(/[\\`*_{}[\]()<>#+\-.!|~]/g, (c) => `\\${c}`);
}

/** Model/file text quoted in a message: control characters dropped, cut at `max` characters. */
export function quote(s: string, max = MAX_QUOTED): string {
  const t = s.replace(CONTROLS, '');
  return t.length > max ? `${t.slice(0, max)}…` : t;
}
