// Registers the .snn language with Monaco: the Monarch grammar (snn-monarch.ts), the language
// configuration the extension uses (syntaxes/language-configuration.json: comments, brackets,
// auto-closing, indentation), the prelude as read-only models (definitions in it open in a peek
// view), and light and dark themes that colour the server's semantic tokens too.
import neurons from '../../language-server/prelude/neurons.snn';
import synapses from '../../language-server/prelude/synapses.snn';
import configuration from '../../syntaxes/language-configuration.json';
import { LANGUAGE_ID } from './lsp-bridge';
import { monaco } from './monaco';
import { snnMonarch } from './snn-monarch';

const re = (s: string) => new RegExp(s);

export function themeName(theme: 'light' | 'dark'): string {
  return `spikeworks-${theme}`;
}

export function registerSnn(): void {
  monaco.languages.register({ id: LANGUAGE_ID, extensions: ['.snn'], aliases: ['Spikeworks SNN', 'snn'] });
  monaco.languages.setMonarchTokensProvider(LANGUAGE_ID, snnMonarch as unknown as monaco.languages.IMonarchLanguage);
  const c = configuration;
  monaco.languages.setLanguageConfiguration(LANGUAGE_ID, {
    comments: { lineComment: c.comments.lineComment, blockComment: c.comments.blockComment as [string, string] },
    brackets: c.brackets as [string, string][],
    autoClosingPairs: c.autoClosingPairs,
    autoCloseBefore: c.autoCloseBefore,
    surroundingPairs: c.surroundingPairs.map(([open, close]) => ({ open, close })),
    folding: { markers: { start: re(c.folding.markers.start), end: re(c.folding.markers.end) } },
    indentationRules: { increaseIndentPattern: re(c.indentationRules.increaseIndentPattern), decreaseIndentPattern: re(c.indentationRules.decreaseIndentPattern) },
    wordPattern: re(c.wordPattern),
  });
  for (const [name, text] of [['neurons.snn', neurons], ['synapses.snn', synapses]] as const) {
    monaco.editor.createModel(text, LANGUAGE_ID, monaco.Uri.parse(`spikeworks-prelude:/${name}`));
  }
  const rules = (dark: boolean): monaco.editor.ITokenThemeRule[] => [
    { token: 'keyword', foreground: dark ? 'C586C0' : 'AF00DB' },
    { token: 'type.unit', foreground: dark ? '4EC9B0' : '267F99' },
    { token: 'number', foreground: dark ? 'B5CEA8' : '098658' },
    { token: 'comment.doc', foreground: dark ? '6A9955' : '008000', fontStyle: 'italic' },
    { token: 'variable.property', foreground: dark ? '9CDCFE' : '001080' },
    { token: 'support.function', foreground: dark ? 'DCDCAA' : '795E26' },
    { token: 'constant.method', foreground: dark ? '4FC1FF' : '0070C1' },
    { token: 'variable.language', foreground: dark ? '569CD6' : '0000FF' },
    { token: 'entity.name.function', foreground: dark ? 'DCDCAA' : '795E26' },
    // Semantic tokens (language-server/src/features/tokens.ts)
    { token: 'type', foreground: dark ? '4EC9B0' : '267F99' },
    { token: 'parameter', foreground: dark ? '4FC1FF' : '0070C1' },
    { token: 'variable', foreground: dark ? '9CDCFE' : '001080' },
    { token: 'property', foreground: dark ? '9CDCFE' : '001080' },
    { token: 'function', foreground: dark ? 'DCDCAA' : '795E26' },
    { token: 'enumMember', foreground: dark ? '4FC1FF' : '0070C1' },
  ];
  monaco.editor.defineTheme(themeName('dark'), { base: 'vs-dark', inherit: true, rules: rules(true), colors: {} });
  monaco.editor.defineTheme(themeName('light'), { base: 'vs', inherit: true, rules: rules(false), colors: {} });
}
