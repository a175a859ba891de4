// Modules the playground's build provides (scripts/build-playground.mjs).
declare module 'playground:examples' {
  const examples: { name: string; text: string }[];
  export default examples;
}
/** Monaco's editor contributions, imported for their side effects (registration) only. */
declare module 'monaco-editor/esm/*';
