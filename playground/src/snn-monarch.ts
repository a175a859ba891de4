// The .snn language for Monaco: a Monarch grammar kept in step with the TextMate grammar
// (syntaxes/snn.tmLanguage.json) by test/playground-page.test.ts, which compares these word
// lists with the grammar's; the server's semantic tokens refine it (names by what they are).
// Plain data, no Monaco import: the test reads it in Node.

/** Top-level keywords (TextMate: keyword.other.snn, keyword.other.<kind>.snn, keyword.control.import.snn). */
export const TOP_LEVEL_KEYWORDS = ['model', 'import', 'neuron', 'synapse', 'population', 'connect', 'input', 'readout', 'probe', 'task', 'concept', 'target', 'simulate'];
/** Section keywords (keyword.other.section.snn). */
export const SECTION_KEYWORDS = ['parameters', 'state', 'equations', 'method', 'spike', 'when', 'reset', 'refractory', 'holding', 'on_pre', 'on_post', 'summed', 'compartments', 'couple', 'every', 'at', 'window'];
/** Integration methods (support.constant.method.snn). */
export const METHODS = ['exact', 'euler', 'rk2', 'rk4'];
/** Built-in functions, distributions, connection rules, layouts (support.function.builtin.snn). */
export const FUNCTIONS = ['exp', 'exprel', 'log', 'sqrt', 'abs', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'heaviside', 'min', 'max', 'clip', 'rand', 'randn', 'normal', 'uniform', 'lognormal', 'exponential', 'random', 'all_to_all', 'one_to_one', 'fixed_indegree', 'fixed_outdegree', 'distance', 'ring_kernel', 'from_file', 'linked', 'where', 'grid'];
/** Built-in variables (variable.language.snn). */
export const BUILTIN_VARIABLES = ['t', 'dt', 'i', 'N', 'xi', 'pre', 'post', 'mod', 'target'];
/** constant.language.boolean.snn */
export const BOOLEANS = ['true', 'false'];
/** Word operators (keyword.operator.logical.snn). */
export const WORD_OPERATORS = ['and', 'or', 'not'];
/** Unit prefixes and symbols (the grammar's unit pattern). */
export const UNIT_PREFIXES = 'fpnumckMG';
export const UNIT_BASES = ['Hz', 'Ohm', 'ohm', 'mol', 's', 'V', 'A', 'S', 'F', 'C', 'm', 'g', 'l', 'L', 'M'];
export const UNIT_WORDS = ['kg', 'K', 'cd', 'rad', 'percent', 'weight'];

const unit = `(?:[${UNIT_PREFIXES}]?(?:${UNIT_BASES.join('|')})|${UNIT_WORDS.join('|')})(?:\\^-?[0-9]+)?`;
const units = `${unit}(?:[/*]${unit})*(?![A-Za-z0-9_])`;
const number = '(?:[0-9]+(?:\\.(?!\\.)[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?';

/** The Monarch definition (monaco.languages.IMonarchLanguage, as plain data). */
export const snnMonarch = {
  defaultToken: '',
  tokenPostfix: '.snn',
  topLevel: TOP_LEVEL_KEYWORDS,
  sections: SECTION_KEYWORDS,
  methods: METHODS,
  functions: FUNCTIONS,
  builtins: BUILTIN_VARIABLES,
  booleans: BOOLEANS,
  wordOperators: WORD_OPERATORS,
  tokenizer: {
    root: [
      [/\/\/\/(?!\/).*$/, 'comment.doc'],
      [/\/\/.*$/, 'comment'],
      [/\/\*/, 'comment', '@comment'],
      [/"/, 'string', '@string'],
      // dv/dt = … : the head of an equation
      [/d[A-Za-z_][A-Za-z0-9_]*\s*\/\s*dt\b(?=\s*=(?!=))/, 'entity.name.function'],
      [new RegExp(`(${number})(\\s*)(${units})`), ['number', 'white', 'type.unit']],
      [new RegExp(`(${number})(\\s*)(/${units})`), ['number', 'white', 'type.unit']],
      [new RegExp(number), 'number'],
      [/[A-Za-z_][A-Za-z0-9_]*(?=\s*:(?!:))/, { cases: { '@topLevel': 'keyword', '@sections': 'keyword', '@default': 'variable.property' } }],
      [/[A-Za-z_][A-Za-z0-9_]*/, {
        cases: {
          '@topLevel': 'keyword', '@sections': 'keyword', '@methods': 'constant.method', '@functions': 'support.function',
          '@builtins': 'variable.language', '@booleans': 'constant.language', '@wordOperators': 'keyword.operator', '@default': 'identifier',
        },
      }],
      [/->|\.\.|\+=|-=|\*=|\/=|<=|>=|==|!=|&&|\|\||[<>=!+\-*/%^]/, 'operator'],
      [/[{}()[\]]/, '@brackets'],
      [/[,;:.]/, 'delimiter'],
      [/\s+/, 'white'],
    ],
    comment: [
      [/[^*]+/, 'comment'],
      [/\*\//, 'comment', '@pop'],
      [/\*/, 'comment'],
    ],
    string: [
      [/[^\\"]+$/, 'string', '@pop'],
      [/[^\\"]+/, 'string'],
      [/\\./, 'string.escape'],
      [/"/, 'string', '@pop'],
    ],
  },
};
