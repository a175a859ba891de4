// Links from diagnostics and hovers to the language reference (LANGUAGE.md). The link is ours:
// `base` is the reference's own URI (the server's copy, dist/LANGUAGE.md, as a file: URI — the
// installed extension's file, always the version that produced the diagnostic, and readable
// offline), and the anchor is the section heading's slug as Markdown previews make it (GitHub's
// rule: lower case, punctuation dropped, spaces → '-'). No user text ever goes into a link.

/** The sections of LANGUAGE.md that diagnostics and hovers link to (their headings). */
export const REFERENCE_SECTIONS = {
  lexical: 'Lexical',
  units: 'Quantities and units',
  expressions: 'Expressions',
  definitions: 'Definitions',
  network: 'Network',
  prelude: 'Built-in library (the prelude)',
  semantics: 'What a model means (run-time semantics)',
} as const;

export type ReferenceSection = keyof typeof REFERENCE_SECTIONS;

/** A heading's anchor as Markdown previews (VS Code, GitHub) make it. */
export function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** The section that explains a diagnostic code, where one does. */
const CODE_SECTIONS: Record<string, ReferenceSection> = {
  'syntax': 'lexical',
  'unit-mismatch': 'units', 'unknown-unit': 'units', 'missing-unit': 'units', 'unit-as-name': 'units',
  'bad-expression': 'expressions', 'not-boolean': 'expressions', 'not-value': 'expressions', 'division-by-zero': 'expressions',
  'not-finite': 'expressions', 'bad-arguments': 'expressions', 'not-constant': 'expressions',
  'missing-parameter': 'definitions', 'bad-method': 'definitions', 'no-spike': 'definitions', 'not-assignable': 'definitions', 'import-cycle': 'definitions', 'import-errors': 'definitions', 'bad-hold': 'definitions', 'not-time': 'definitions',
  'size-mismatch': 'network', 'not-multiple-of-dt': 'network', 'missing-property': 'network', 'missing-layout': 'network', 'wrong-kind': 'network', 'missing-file': 'network', 'bad-data': 'network', 'bad-model': 'network', 'shape-mismatch': 'network',
  'not-linkable': 'network', 'link-self': 'network', 'link-chain': 'network', 'link-conflict': 'network',
  'dt-too-coarse': 'semantics', 'poisson-rate': 'semantics', 'short-delays': 'semantics',
};

const DEFINITION_WORDS = ['neuron', 'synapse', 'parameters', 'state', 'equations', 'spike', 'reset', 'refractory', 'holding', 'method', 'on_pre', 'on_post', 'summed', 'import', 'model'];
const NETWORK_WORDS = ['population', 'connect', 'input', 'probe', 'simulate', 'task', 'concept', 'target', 'readout', 'segments', 'every', 'at', 'linked'];

/** The section a keyword, property, function, distribution or rule is explained in. */
export function sectionForWord(word: string, kind: 'keyword' | 'property' | 'function' | 'rule'): ReferenceSection {
  if (kind === 'function') return 'expressions';
  if (kind === 'rule' || kind === 'property') return 'network';
  if (DEFINITION_WORDS.includes(word)) return 'definitions';
  if (NETWORK_WORDS.includes(word)) return 'network';
  return 'expressions';
}

export function sectionForCode(code: string | undefined): ReferenceSection | undefined {
  return code === undefined ? undefined : CODE_SECTIONS[code];
}

/** The URI of a section of the reference at `base` (a URI without a fragment). */
export function referenceHref(base: string, section: ReferenceSection): string {
  return `${base}#${slug(REFERENCE_SECTIONS[section])}`;
}

/** A Markdown link to a section: our own fixed text and URI (parentheses and spaces encoded). */
export function referenceLink(base: string, section: ReferenceSection): string {
  const href = referenceHref(base, section).replace(/[()<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[LANGUAGE.md: ${REFERENCE_SECTIONS[section]}](${href})`;
}
