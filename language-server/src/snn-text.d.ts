// The browser bundle imports prelude files as text (esbuild's text loader).
declare module '*.snn' {
  const text: string;
  export default text;
}
