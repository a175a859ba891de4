// The first thing the page runs (main.ts imports it before Monaco): the language server's worker
// starts loading and compiling on its own thread while the page sets up the editor.
performance.mark('spikeworks:script');
export const languageServerWorker = new Worker('ls-worker.js', { name: 'spikeworks-language-server' });
