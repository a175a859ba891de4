// Browser (Web Worker) entry of the language server: the same server over postMessage, with
// the prelude embedded in the bundle and only open documents readable.
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import neurons from '../prelude/neurons.snn';
import synapses from '../prelude/synapses.snn';
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
startServer(connection, { program: new Program({ readFile: () => undefined }, prelude) });
