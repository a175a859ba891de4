// ONNX model files on disk for the CLI and the extension: regular files only, size checked against
// MAX_ONNX_BYTES (512 MiB) before a byte is read (io/safe-read.ts); every refusal is an OnnxError
// naming the file.
import { readFileBounded } from './safe-read';
import { MAX_ONNX_BYTES, OnnxError } from '../sim-host/src/onnx/errors';

export interface OnnxReadOptions {
  /** Read only inside these folders (default: anywhere). */
  roots?: readonly string[];
  /** Polled between chunks; true stops the read. */
  cancelled?: () => boolean;
}

/** The model's bytes, or an OnnxError (missing, not a regular file, over the bound, outside the roots). */
export function readOnnxFile(file: string, o: OnnxReadOptions = {}): Uint8Array {
  const r = readFileBounded(file, { maxBytes: MAX_ONNX_BYTES, roots: o.roots, cancelled: o.cancelled });
  if (!r.ok) throw new OnnxError(file, r.message.startsWith(file) ? r.message.slice(file.length).replace(/^[:\s]+/, '') : r.message);
  return r.bytes;
}
