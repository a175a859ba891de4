// Share links: the model's text in the URL's fragment (never sent to a server), deflated and
// base64url-encoded: `#model=1.<data>` (1: the format's version), with the file name and seed
// beside it. Bounded both ways: a link longer than MAX_LINK_CHARS is not made nor read, a text
// that inflates beyond MAX_MODEL_BYTES is stopped while inflating (a small link cannot expand into
// a huge model). Errors are sentences for the page to show; the page keeps working.

export const MAX_LINK_CHARS = 256 * 1024;
export const MAX_MODEL_BYTES = 256 * 1024;
const FORMAT = '1';

export interface Shared {
  text: string;
  name?: string;
  seed?: number;
}

export type ShareRead = { ok: true; shared: Shared } | { ok: false; message: string } | { ok: true; shared: undefined };

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let k = 0; k < bytes.length; k += 0x8000) s += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return undefined;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
    const out = new Uint8Array(bin.length);
    for (let k = 0; k < bin.length; k++) out[k] = bin.charCodeAt(k);
    return out;
  } catch {
    return undefined;
  }
}

async function pump(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | 'too-large'> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      return 'too-large';
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const through = (bytes: Uint8Array, t: CompressionStream | DecompressionStream): ReadableStream<Uint8Array> =>
  new Blob([bytes as BlobPart]).stream().pipeThrough(t as unknown as ReadableWritablePair<Uint8Array, Uint8Array>);

const kib = (n: number) => `${Math.round(n / 1024)} KB`;

/** The fragment for `shared` (without '#'), or a sentence saying why the model cannot be shared. */
export async function makeFragment(shared: Shared): Promise<{ ok: true; fragment: string } | { ok: false; message: string }> {
  const bytes = new TextEncoder().encode(shared.text);
  if (bytes.length > MAX_MODEL_BYTES) return { ok: false, message: `The model is ${kib(bytes.length)}; share links carry models up to ${kib(MAX_MODEL_BYTES)}.` };
  const packed = await pump(through(bytes, new CompressionStream('deflate-raw')), MAX_LINK_CHARS);
  if (packed === 'too-large') return { ok: false, message: `The model does not fit in a share link (${kib(MAX_LINK_CHARS)} at most).` };
  const params = new URLSearchParams();
  if (shared.name) params.set('name', shared.name);
  if (shared.seed !== undefined) params.set('seed', String(shared.seed));
  params.set('model', `${FORMAT}.${toBase64Url(packed)}`);
  const fragment = params.toString();
  if (fragment.length > MAX_LINK_CHARS) return { ok: false, message: `The model does not fit in a share link (${kib(MAX_LINK_CHARS)} at most).` };
  return { ok: true, fragment };
}

/** A safe file name for a shared model: letters, digits, _ - . only, ending in .snn. */
export function safeName(name: string | null | undefined): string | undefined {
  if (!name) return undefined;
  const base = name.replace(/[^\w.-]+/g, '_').slice(0, 80);
  return base ? (base.endsWith('.snn') ? base : `${base}.snn`) : undefined;
}

/** Reads a fragment (with or without '#'): no model in it → { shared: undefined }; a bad one → a sentence. */
export async function readFragment(hash: string): Promise<ShareRead> {
  const h = hash.replace(/^#/, '');
  if (!h) return { ok: true, shared: undefined };
  if (h.length > MAX_LINK_CHARS) return { ok: false, message: `This share link is ${kib(h.length)} long; links up to ${kib(MAX_LINK_CHARS)} are read. An example opened instead.` };
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(h);
  } catch {
    return { ok: false, message: 'This share link could not be read (not a Spikeworks link). An example opened instead.' };
  }
  const model = params.get('model');
  if (model === null) return { ok: true, shared: undefined };
  const dot = model.indexOf('.');
  if (dot < 0 || model.slice(0, dot) !== FORMAT) return { ok: false, message: 'This share link was not made by this playground (unknown format). An example opened instead.' };
  const bytes = fromBase64Url(model.slice(dot + 1));
  if (!bytes || !bytes.length) return { ok: false, message: 'This share link is damaged (its model is not valid base64url). An example opened instead.' };
  let inflated: Uint8Array | 'too-large';
  try {
    inflated = await pump(through(bytes, new DecompressionStream('deflate-raw')), MAX_MODEL_BYTES);
  } catch {
    return { ok: false, message: 'This share link is damaged (its model does not decompress). An example opened instead.' };
  }
  if (inflated === 'too-large') return { ok: false, message: `This share link holds a model over ${kib(MAX_MODEL_BYTES)}; models up to ${kib(MAX_MODEL_BYTES)} are opened. An example opened instead.` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    return { ok: false, message: 'This share link is damaged (its model is not UTF-8 text). An example opened instead.' };
  }
  const seedText = params.get('seed');
  const seed = seedText !== null && /^\d{1,10}$/.test(seedText) ? Number(seedText) : undefined;
  return { ok: true, shared: { text, name: safeName(params.get('name')), seed } };
}
