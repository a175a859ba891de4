/// <reference types="@webgpu/types" />
// Finds a WebGPU adapter: `navigator.gpu` in a browser or webview, the `webgpu` npm package
// (Dawn) in Node. Software adapters work (SwiftShader through Vulkan; see
// shared/design/ENVIRONMENT.md): Node must be started with
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium
// (the Vulkan loader is found at process start; it cannot be pointed at later).

export interface Gpu {
  adapter: GPUAdapter;
  device: GPUDevice;
  /** "vendor architecture (fallback)" of the adapter, for reports. */
  name: string;
  limits: { maxStorageBufferBindingSize: number; maxBufferSize: number; maxStorageBuffersPerShaderStage: number; maxComputeWorkgroupsPerDimension: number };
}

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
export const SOFTWARE_HINT = `for a software adapter in Node start it with VK_ICD_FILENAMES=${SWIFTSHADER_ICD} LD_LIBRARY_PATH=/usr/lib/chromium (apt package chromium)`;

let cached: Promise<Gpu | string> | undefined;
let cachedInstance: Promise<GPU | string> | undefined;
/** Dawn's instance: kept referenced for the life of the process (collected, it takes its device down). */
let instance: GPU | undefined;

/** The adapter and a device with its largest buffer limits, or why there is none. Cached. */
export function getGpu(): Promise<Gpu | string> {
  cached ??= newGpu();
  return cached;
}

/** A new adapter and device of their own (not shared with getGpu's), or why there is none. */
export async function newGpu(): Promise<Gpu | string> {
  cachedInstance ??= gpuInstance();
  const gpu = await cachedInstance;
  return typeof gpu === 'string' ? gpu : openDevice(gpu);
}

async function gpuInstance(): Promise<GPU | string> {
  let gpu: GPU | undefined = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu && typeof process !== 'undefined' && process.versions?.node) {
    // Dawn reaches adapters through Vulkan on Linux: without a Vulkan loader it finds none and
    // prints a warning on every run, so it is not loaded at all.
    const loader = await vulkanLoader();
    if (loader === false) return `no Vulkan loader (libvulkan.so.1) on this machine (${SOFTWARE_HINT})`;
    try {
      // An absolute file URL: under tsx and in the CommonJS bundle a bare dynamic import of the
      // (ESM-only) package does not resolve.
      const { pathToFileURL } = await import('node:url');
      const where = typeof require === 'function' ? pathToFileURL(require.resolve('webgpu')).href : 'webgpu';
      const mod = (await import(where)) as { create: (o: string[]) => GPU; globals: object };
      Object.assign(globalThis, mod.globals);
      gpu = mod.create(['backend=vulkan']);
    } catch (e) {
      return `the webgpu package (Dawn) could not be loaded: ${(e as Error).message}`;
    }
  }
  if (!gpu) return 'this runtime has no WebGPU (navigator.gpu)';
  instance = gpu;
  return gpu;
}

async function openDevice(gpu: GPU): Promise<Gpu | string> {
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (e) {
    return `requestAdapter failed: ${(e as Error).message}`;
  }
  if (!adapter) return `no WebGPU adapter found (${SOFTWARE_HINT})`;
  const al = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: al.maxStorageBufferBindingSize,
      maxBufferSize: al.maxBufferSize,
      maxStorageBuffersPerShaderStage: al.maxStorageBuffersPerShaderStage,
    },
  });
  const info = (adapter as { info?: GPUAdapterInfo }).info;
  const fallback = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter || info?.architecture === 'swiftshader';
  return {
    adapter, device,
    name: `${info?.vendor || 'unknown'} ${info?.architecture || info?.device || ''}`.trim() + (fallback ? ' (software)' : ''),
    limits: {
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      maxBufferSize: device.limits.maxBufferSize,
      maxStorageBuffersPerShaderStage: device.limits.maxStorageBuffersPerShaderStage,
      maxComputeWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
    },
  };
}

/** Linux: whether libvulkan.so.1 is in LD_LIBRARY_PATH or a standard library folder (else undefined: not Linux). */
async function vulkanLoader(): Promise<boolean | undefined> {
  if (process.platform !== 'linux') return undefined;
  const fs = await import('node:fs');
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib', '/lib/x86_64-linux-gnu'];
  return dirs.some((d) => fs.existsSync(`${d}/libvulkan.so.1`));
}

/** Writes the generated WGSL to `file` (SPIKEWORKS_WGSL_DUMP, Node only: loaded lazily, never in a browser). */
export async function dumpWgsl(file: string, code: string): Promise<void> {
  const fs = await import('node:fs');
  fs.writeFileSync(file, code);
}
