// Browser side of server-worker.test.ts (plain JavaScript, loaded by the test page): starts
// the language server bundle as a Web Worker and speaks JSON-RPC to it over postMessage.
window.runClient = async () => {
    const worker = new Worker('/server.js');
    let id = 0;
    const pending = new Map();
    const notes = [];
    worker.onmessage = (e) => {
      const m = e.data;
      if (m.id !== undefined && pending.has(m.id)) {
        pending.get(m.id)(m.result ?? m.error);
        pending.delete(m.id);
      } else if (m.method) notes.push(m);
      if (m.id !== undefined && m.method) worker.postMessage({ jsonrpc: '2.0', id: m.id, result: null }); // server → client requests
    };
    const request = (method, params) =>
      new Promise((resolve) => {
        const k = ++id;
        pending.set(k, resolve);
        worker.postMessage({ jsonrpc: '2.0', id: k, method, params });
      });
    const notify = (method, params) => worker.postMessage({ jsonrpc: '2.0', method, params });
    const init = await request('initialize', { processId: null, rootUri: null, capabilities: {} });
    notify('initialized', {});
    const uri = 'inmemory:///model.snn';
    const text = 'population exc = CobaLIF[100] {\n  v = -65\n  \n}\nsimulate { dt: 0.1 ms; duration: 100 ms }\n';
    notify('textDocument/didOpen', { textDocument: { uri, languageId: 'snn', version: 1, text } });
    const t0 = performance.now();
    while (!notes.some((n) => n.method === 'textDocument/publishDiagnostics') && performance.now() - t0 < 10000) await new Promise((r) => setTimeout(r, 20));
    const diags = notes.find((n) => n.method === 'textDocument/publishDiagnostics')?.params;
    const completion = await request('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 2 } });
    const hover = await request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 20 } });
    worker.terminate();
    return { caps: Object.keys(init.capabilities), diags, labels: completion.map((c) => c.label), hover: hover?.contents?.value };
};
