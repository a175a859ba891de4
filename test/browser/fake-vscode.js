// Browser side of web-extension.test.ts (plain JavaScript, loaded by the test page): the parts of
// the `vscode` API that the web extension (dist/browser.js) and vscode-languageclient/browser use,
// recording what the extension does with them (commands, messages, diagnostics, log lines). API
// the test does not look at is a recursive stand-in whose calls return disposables.

/** A stand-in for any API object: properties are stand-ins, calls return a disposable. */
function standIn(name) {
  const cache = new Map();
  return new Proxy(function () {}, {
    get(_t, key) {
      if (key === 'then' || typeof key === 'symbol') return undefined;
      if (key === 'dispose') return () => {};
      if (!cache.has(key)) cache.set(key, standIn(`${name}.${String(key)}`));
      return cache.get(key);
    },
    apply() {
      return { dispose() {} };
    },
    construct(_t, args) {
      return { standIn: name, args };
    },
  });
}

/** An object whose listed members are real and whose other members are stand-ins. */
function partial(name, real) {
  const rest = standIn(name);
  return new Proxy(real, { get: (t, k) => (k in t ? t[k] : rest[k]) });
}

window.makeVscode = () => {
  const record = { commands: new Map(), messages: [], diagnostics: new Map(), logs: [], contentProviders: new Map() };

  class Disposable {
    constructor(fn) {
      this.fn = fn;
    }
    static from(...ds) {
      return new Disposable(() => ds.forEach((d) => d?.dispose?.()));
    }
    dispose() {
      this.fn?.();
      this.fn = undefined;
    }
  }
  class EventEmitter {
    constructor() {
      this.listeners = new Set();
      this.event = (fn, thisArg, disposables) => {
        const h = thisArg ? fn.bind(thisArg) : fn;
        this.listeners.add(h);
        const d = new Disposable(() => this.listeners.delete(h));
        if (Array.isArray(disposables)) disposables.push(d);
        return d;
      };
    }
    fire(e) {
      for (const h of [...this.listeners]) h(e);
    }
    dispose() {
      this.listeners.clear();
    }
  }
  class Uri {
    constructor(scheme, authority, path, query = '', fragment = '') {
      Object.assign(this, { scheme, authority, path, query, fragment });
    }
    static parse(s) {
      const m = /^([a-z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/i.exec(s);
      if (!m) throw new Error(`bad uri ${s}`);
      return new Uri(m[1], m[2] ?? '', decodeURIComponent(m[3] || '/'), m[4] ?? '', m[5] ?? '');
    }
    static file(p) {
      return new Uri('file', '', p);
    }
    static joinPath(base, ...parts) {
      return base.with({ path: [base.path.replace(/\/$/, ''), ...parts].join('/') });
    }
    get fsPath() {
      return this.path;
    }
    with(c) {
      return new Uri(c.scheme ?? this.scheme, c.authority ?? this.authority, c.path ?? this.path, c.query ?? this.query, c.fragment ?? this.fragment);
    }
    toString() {
      return `${this.scheme}://${this.authority}${this.path}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
    }
    toJSON() {
      return this.toString();
    }
  }
  class Position {
    constructor(line, character) {
      Object.assign(this, { line, character });
    }
  }
  class Range {
    constructor(a, b, c, d) {
      if (typeof a === 'number') [a, b] = [new Position(a, b), new Position(c, d)];
      Object.assign(this, { start: a, end: b });
    }
  }
  class Diagnostic {
    constructor(range, message, severity = 0) {
      Object.assign(this, { range, message, severity });
    }
  }
  class Location {
    constructor(uri, range) {
      Object.assign(this, { uri, range });
    }
  }
  class CancellationTokenSource {
    constructor() {
      const emitter = new EventEmitter();
      this.token = { isCancellationRequested: false, onCancellationRequested: emitter.event };
      this.cancel = () => {
        this.token.isCancellationRequested = true;
        emitter.fire();
      };
      this.dispose = () => emitter.dispose();
    }
  }
  class CancellationError extends Error {}

  const events = {};
  const event = (name) => (events[name] ??= new EventEmitter()).event;
  const logChannel = (name) =>
    partial(`channel ${name}`, {
      name,
      logLevel: 3,
      onDidChangeLogLevel: new EventEmitter().event,
      ...Object.fromEntries(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace'].map((k) => [k, (msg) => record.logs.push(`${k}: ${msg}`)])),
      show() {},
      hide() {},
      clear() {},
      dispose() {},
    });
  const say = (kind) => (message, ...items) => {
    record.messages.push({ kind, message, items });
    return Promise.resolve(undefined);
  };
  const documents = [];

  const vscode = partial('vscode', {
    version: '1.100.3',
    Disposable,
    EventEmitter,
    Uri,
    Position,
    Range,
    Diagnostic,
    Location,
    CancellationTokenSource,
    CancellationError,
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    DiagnosticTag: { Unnecessary: 1, Deprecated: 2 },
    LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    env: partial('env', { language: 'en', appName: 'fake web host', uiKind: 2, openExternal: () => Promise.resolve(true) }),
    commands: partial('commands', {
      registerCommand(id, fn) {
        if (record.commands.has(id)) throw new Error(`command ${id} registered twice`);
        record.commands.set(id, fn);
        return new Disposable(() => record.commands.delete(id));
      },
      executeCommand(id, ...args) {
        const fn = record.commands.get(id);
        return fn ? Promise.resolve(fn(...args)) : Promise.reject(new Error(`command '${id}' not found`));
      },
    }),
    window: partial('window', {
      createOutputChannel: (name) => logChannel(name),
      showInformationMessage: say('info'),
      showWarningMessage: say('warning'),
      showErrorMessage: say('error'),
      activeTextEditor: undefined,
      visibleTextEditors: [],
      onDidChangeActiveTextEditor: event('activeEditor'),
      onDidChangeVisibleTextEditors: event('visibleEditors'),
      tabGroups: partial('tabGroups', { all: [], onDidChangeTabs: event('tabs'), onDidChangeTabGroups: event('tabGroups') }),
    }),
    workspace: partial('workspace', {
      isTrusted: true,
      workspaceFolders: undefined,
      textDocuments: documents,
      notebookDocuments: [],
      getConfiguration: () => ({ get: (_k, d) => d, has: () => false, inspect: () => undefined, update: () => Promise.resolve() }),
      onDidOpenTextDocument: event('open'),
      onDidChangeTextDocument: event('change'),
      onDidCloseTextDocument: event('close'),
      onDidSaveTextDocument: event('save'),
      onWillSaveTextDocument: event('willSave'),
      onDidChangeConfiguration: event('configuration'),
      onDidChangeWorkspaceFolders: event('folders'),
      onDidGrantWorkspaceTrust: event('trust'),
      registerTextDocumentContentProvider(scheme, provider) {
        record.contentProviders.set(scheme, provider);
        return new Disposable(() => record.contentProviders.delete(scheme));
      },
      // The extension's files are served over HTTP, as vscode.dev serves them.
      fs: partial('fs', {
        async readFile(uri) {
          const r = await fetch(uri.toString());
          if (!r.ok) throw new Error(`${uri} not found (${r.status})`);
          return new Uint8Array(await r.arrayBuffer());
        },
      }),
    }),
    languages: partial('languages', {
      match(selector, doc) {
        const list = Array.isArray(selector) ? selector : [selector];
        return list.some((s) => (typeof s === 'string' ? s === doc.languageId : (!s.language || s.language === doc.languageId) && (!s.scheme || s.scheme === doc.uri.scheme))) ? 10 : 0;
      },
      createDiagnosticCollection(name) {
        const map = new Map();
        return partial(`diagnostics ${name}`, {
          name,
          set(uri, diags) {
            if (Array.isArray(uri)) for (const [u, d] of uri) this.set(u, d);
            else {
              map.set(uri.toString(), diags ?? []);
              record.diagnostics.set(uri.toString(), (diags ?? []).map((d) => ({ message: d.message, severity: d.severity, line: d.range.start.line, character: d.range.start.character })));
            }
          },
          get: (uri) => map.get(uri.toString()),
          has: (uri) => map.has(uri.toString()),
          delete(uri) {
            map.delete(uri.toString());
            record.diagnostics.delete(uri.toString());
          },
          clear() {
            map.clear();
            record.diagnostics.clear();
          },
          forEach: (fn) => map.forEach((d, u) => fn(Uri.parse(u), d)),
          dispose() {},
        });
      },
    }),
  });

  /** An open text document as the host would give it to the extension. */
  const openDocument = (uri, languageId, text) => {
    const lines = text.split('\n');
    const doc = {
      uri: Uri.parse(uri),
      fileName: Uri.parse(uri).path,
      languageId,
      version: 1,
      isUntitled: false,
      isDirty: false,
      isClosed: false,
      eol: 1,
      lineCount: lines.length,
      getText: () => text,
    };
    documents.push(doc);
    events.open?.fire(doc);
    return doc;
  };

  return { vscode, record, openDocument };
};

/**
 * Loads the web extension's CommonJS bundle with `vscode` as its only import, activates it with
 * an extension context rooted at `extRoot` (a URL) and returns what the test checks.
 */
window.runWebExtension = async (extRoot, uri, text) => {
  const { vscode, record, openDocument } = window.makeVscode();
  const source = await (await fetch(`${extRoot}/dist/browser.js`)).text();
  const module = { exports: {} };
  const required = [];
  const require = (name) => {
    required.push(name);
    if (name === 'vscode') return vscode;
    throw new Error(`the web extension requires '${name}', which a browser host does not have`);
  };
  new Function('module', 'exports', 'require', source)(module, module.exports, require);
  // A model open before activation (the client sends it when it starts) and one opened after.
  openDocument(uri, 'snn', text);
  const context = { subscriptions: [], extensionUri: vscode.Uri.parse(extRoot), extensionPath: extRoot, globalState: { get: () => undefined, update: () => Promise.resolve() } };
  await module.exports.activate(context);
  const second = uri.replace(/\.snn$/, '-2.snn');
  openDocument(second, 'snn', 'population p = LIF[10] { tau_m = 20 }\n');
  const t0 = performance.now();
  while ((!record.diagnostics.has(uri) || !record.diagnostics.has(second)) && performance.now() - t0 < 15000) await new Promise((r) => setTimeout(r, 25));
  const commandsBefore = [...record.commands.keys()].sort();
  const prelude = record.contentProviders.get('spikeworks-prelude');
  const preludeText = prelude ? await prelude.provideTextDocumentContent(vscode.Uri.parse('spikeworks-prelude:/neurons.snn')) : undefined;
  const preludeBad = prelude ? await prelude.provideTextDocumentContent(vscode.Uri.parse('spikeworks-prelude:/../package.json')) : undefined;
  await vscode.commands.executeCommand('spikeworks.runSimulation');
  await vscode.commands.executeCommand('spikeworks.showRaster');
  const exports = Object.keys(module.exports).sort();
  await module.exports.deactivate();
  return {
    required: [...new Set(required)],
    exports,
    commands: commandsBefore,
    diagnostics: Object.fromEntries(record.diagnostics),
    messages: record.messages,
    logs: record.logs,
    subscriptions: context.subscriptions.length,
    contentProviders: [...record.contentProviders.keys()],
    preludeText,
    preludeBad,
  };
};
