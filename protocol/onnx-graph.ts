// An ONNX model as plain data (sim-host/src/onnx/inspect.ts): what `spikeworks onnx inspect`
// prints, the .onnx editor shows and the readout checker reads. No runtime needed to produce it.
//
// Threads: the ONNX runtime (onnxruntime-web, WASM) runs single-threaded by default. In Node (CLI,
// extension host, simulation worker) `numThreads` > 1 may be asked for (runtime.ts `OnnxOptions`);
// in a browser page or webview it is 1 unless the page is `crossOriginIsolated` (SharedArrayBuffer
// needs it; VS Code webviews are not), so pages always pass the .wasm bytes and one thread.

/** A dimension: a size, or a symbolic name such as "N" (or "?" when the file leaves it blank). */
export type OnnxDim = number | string;

/** A graph input or output. `shape` is absent when the file declares none (outputs: and none was inferred). */
export interface OnnxValueInfo {
  name: string;
  /** "float32", "int64", … ("unknown" when not declared). */
  elemType: string;
  shape?: OnnxDim[];
}

/** A stored weight tensor. */
export interface OnnxInitializerInfo {
  name: string;
  elemType: string;
  shape: number[];
  /** Number of elements (the product of the shape), whatever the type. */
  parameters: number;
}

export interface OnnxNodeInfo {
  /** The node's name, or `opType_k` (k counts from 0 per op type) for unnamed nodes. */
  name: string;
  opType: string;
  /** "" for the default ONNX domain. */
  domain: string;
  inputs: string[];
  outputs: string[];
  /** Attributes as short plain strings ("[1, 1]", "0.5", "tensor float32 [3]"). */
  attributes: Record<string, string>;
  /** Elements of the (non-int64) initializers this node reads. */
  parameters: number;
}

export interface OnnxGraphInfo {
  /** The file (or label) the bytes came from. */
  source: string;
  irVersion: number;
  producer: string;
  graphName: string;
  /** Operator sets imported ("" = the default domain). */
  opsets: { domain: string; version: number }[];
  /** Real inputs (initializers that are also listed as inputs are left out). */
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers: OnnxInitializerInfo[];
  nodes: OnnxNodeInfo[];
  /** Known shapes by value name: declared, or inferred for common operators (never guessed). */
  shapes: Record<string, OnnxDim[]>;
  /** Sum of the initializers' elements, int64 ones (shapes, indices) left out. */
  parameters: number;
  /** Nodes per operator type, most frequent first. */
  ops: { opType: string; count: number }[];
}
