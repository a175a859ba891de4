// What this browser can do, in sentences for the page: WebGPU (navigator.gpu and an adapter, a
// hardware one for `auto`), WebAssembly with SIMD (the engine's code), shared memory (a run is
// stopped between chunks; without it the worker is ended, keeping what was streamed), service
// workers (offline use).

export interface Capabilities {
  webgpu: 'hardware' | 'software' | 'none';
  /** Why runs do not use WebGPU, or undefined when they do. */
  webgpuNote?: string;
  adapter?: string;
  wasmSimd: boolean;
  notes: string[];
}

/** A module with one v128 instruction: validates only where WebAssembly SIMD is supported. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

export async function detect(): Promise<Capabilities> {
  const notes: string[] = [];
  let wasmSimd = false;
  try {
    wasmSimd = typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    wasmSimd = false;
  }
  if (!wasmSimd) notes.push('This browser lacks WebAssembly SIMD: models cannot run here (the editor and its checks still work). Use a current Chrome, Edge, Firefox or Safari.');
  let webgpu: Capabilities['webgpu'] = 'none';
  let webgpuNote: string | undefined;
  let adapter: string | undefined;
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) {
    webgpuNote = globalThis.isSecureContext
      ? 'No WebGPU in this browser (navigator.gpu is missing: not supported or turned off), so runs use WebAssembly on the CPU.'
      : 'No WebGPU here: the page is not a secure context (https or localhost), so runs use WebAssembly on the CPU.';
  } else {
    try {
      const a = (await gpu.requestAdapter()) as { isFallbackAdapter?: boolean; info?: { vendor?: string; architecture?: string } } | null;
      if (!a) webgpuNote = 'WebGPU is present but offers no adapter (no usable GPU or driver), so runs use WebAssembly on the CPU.';
      else {
        adapter = `${a.info?.vendor || 'unknown'} ${a.info?.architecture || ''}`.trim();
        const software = a.isFallbackAdapter || a.info?.architecture === 'swiftshader';
        webgpu = software ? 'software' : 'hardware';
        if (software) webgpuNote = `WebGPU's only adapter is a software one (${adapter}), so "auto" runs use WebAssembly; choose WebGPU to use it anyway.`;
      }
    } catch (e) {
      webgpuNote = `WebGPU failed to give an adapter (${(e as Error).message}), so runs use WebAssembly on the CPU.`;
    }
  }
  if (!(typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated)) {
    notes.push('Cancel ends the engine worker at once (the page is not cross-origin isolated, so it cannot share memory with it); what was computed so far is kept.');
  }
  return { webgpu, webgpuNote, adapter, wasmSimd, notes };
}
