// The one error type of the ONNX backend: a plain message that names the file and, where known,
// the node (and its operator) or the byte offset where a file stops making sense.

export interface OnnxErrorWhere {
  node?: string;
  op?: string;
  offset?: number;
}

export class OnnxError extends Error {
  readonly node?: string;
  readonly op?: string;
  readonly offset?: number;

  constructor(readonly source: string, detail: string, where: OnnxErrorWhere = {}) {
    // the node is named once: in front, unless the detail already names it
    const named = where.node !== undefined && detail.includes(`node ${where.node}`);
    const at = [where.node !== undefined && !named ? `node ${where.node}${where.op ? ` (${where.op})` : ''}` : '', where.offset !== undefined ? `byte ${where.offset}` : ''].filter(Boolean).join(', ');
    super(`${source}: ${at ? `${at}: ` : ''}${detail}`);
    this.name = 'OnnxError';
    this.node = where.node;
    this.op = where.op;
    this.offset = where.offset;
  }
}

/** Largest model file read (bigger files are refused before reading). */
export const MAX_ONNX_BYTES = 512 * 1024 * 1024;
