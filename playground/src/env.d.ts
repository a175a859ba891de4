// Modules the playground's build provides (scripts/build-playground.mjs).
declare module 'playground:examples' {
  const examples: { name: string; text: string }[];
  export default examples;
}
