// esbuild options for the browser bundle of the WebGPU backend (dist/webgpu-browser.js, an
// IIFE that defines globalThis.spikeworksWebGPU). plan.ts imports node:fs and node:path for
// edge and event files: in the browser they are stubs that refuse to read.
/** node:fs: every function the engine's file readers name refuses; `constants` exists (io/safe-read.ts reads it when loaded). */
const FS_FUNCTIONS = ['readFileSync', 'writeFileSync', 'openSync', 'closeSync', 'readSync', 'writeSync', 'statSync', 'fstatSync', 'lstatSync', 'realpathSync', 'mkdirSync'];
const FS_STUB = [
  'const no = () => { throw new Error("no file system in the browser"); };',
  ...FS_FUNCTIONS.map((f) => `export const ${f} = no;`),
  'export const existsSync = () => false;',
  'export const constants = { O_RDONLY: 0, O_NONBLOCK: 0, O_NOFOLLOW: 0 };',
  `export default { ${FS_FUNCTIONS.map((f) => `${f}: no`).join(', ')}, existsSync: () => false, constants };`,
].join(' ');

export const NODE_STUBS = {
  name: 'node-stubs',
  setup(build) {
    build.onResolve({ filter: /^node:(fs|path|url)$/ }, (a) => ({ path: a.path, namespace: 'node-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'node-stub' }, (a) => ({
      loader: 'js',
      contents: a.path === 'node:path'
        ? 'export const resolve = (...p) => p.join("/"); export const join = (...p) => p.join("/"); export const dirname = (p) => p.replace(/\\/[^/]*$/, ""); export const isAbsolute = (p) => p.startsWith("/"); export const relative = (a, b) => (b.startsWith(a + "/") ? b.slice(a.length + 1) : b === a ? "" : "../" + b); export const sep = "/"; export default { resolve, join, dirname, isAbsolute, relative, sep };'
        : a.path === 'node:url'
          ? 'export const pathToFileURL = (p) => new URL("file://" + p); export default { pathToFileURL };'
          : FS_STUB,
    }));
  },
};

export const webgpuBrowserOptions = {
  entryPoints: { 'webgpu-browser': 'sim-host/src/webgpu/browser-run.ts' },
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  plugins: [NODE_STUBS],
};
