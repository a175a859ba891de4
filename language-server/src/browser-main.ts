// Browser (Web Worker) entry of the language server: the same server over postMessage, with
// the prelude embedded in the bundle and only open documents readable. It also answers
// `spikeworks/lowerModel` (browser-requests.ts): the IR of a text, for a page that runs models
// (the playground) without a second copy of the language.
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import neurons from '../prelude/neurons.snn';
import synapses from '../prelude/synapses.snn';
import { LOWER_MODEL, type LowerModelParams, type LowerModelResult } from './browser-requests';
import { lowerModel, type Host } from './ide';
import { Program } from './program';
import { startServer } from './server';

declare const self: DedicatedWorkerGlobalScope;

const reader = new BrowserMessageReader(self);
const writer = new BrowserMessageWriter(self);
const connection = createConnection(reader, writer);
const prelude = [
  { uri: 'spikeworks-prelude:/neurons.snn', text: neurons },
  { uri: 'spikeworks-prelude:/synapses.snn', text: synapses },
];
/** No file system: only open documents and the prelude exist. */
const host: Host = { readFile: () => undefined };
startServer(connection, { program: new Program(host, prelude) });
const lowerText = (p: LowerModelParams): LowerModelResult => lowerModel({ uri: p.uri, text: p.text }, { host, prelude });
connection.onRequest(LOWER_MODEL, (p: LowerModelParams): unknown => lowerText(p));
