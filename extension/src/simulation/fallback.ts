// What the user reads when a run asked for WebGPU ran on WASM: one plain sentence
// ("coba.snn ran on WASM: no WebGPU adapter on this machine"). The engine's note is written for
// developers — nested reasons ("WebGPU unavailable (no WebGPU adapter found (for a software
// adapter in Node start it with VK_ICD_FILENAMES=…))); ran on WASM") — and goes to the output
// channel as it is; the notification gets the reason in user words. No VS Code types: unit-tested.

const NO_ADAPTER = 'no WebGPU adapter on this machine';

/** Known reasons (the engine's wording, sim-host/src/webgpu/device.ts and core/select.ts) → user words. */
const KNOWN: [RegExp, string][] = [
  [/no WebGPU adapter found|no Vulkan loader|requestAdapter failed|has no WebGPU|could not be loaded/i, NO_ADAPTER],
  [/only WebGPU adapter is a software one/i, 'the only WebGPU adapter here is a software one'],
];

/** Removes every parenthesised part (nested too): hints, adapter names, file names of libraries. */
function withoutParentheses(text: string): string {
  let out = '';
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

/** The reason of an engine fallback note, in user words, without developer detail. */
export function fallbackReason(note: string): string {
  for (const [re, words] of KNOWN) if (re.test(note)) return words;
  const reason = withoutParentheses(note)
    .replace(/;?\s*ran on WASM\.?\s*$/i, '')
    .replace(/^\s*(auto|webgpu):\s*/i, '')
    // Environment variable names and assignments are for developers (the log has them).
    .replace(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b(=\S*)?/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s+([,;:.])/g, '$1')
    .trim()
    .replace(/[;:,]$/, '');
  return reason || 'WebGPU could not run this model';
}

/** "coba.snn ran on WASM: no WebGPU adapter on this machine". */
export function fallbackMessage(fileName: string, note: string): string {
  return `${fileName} ran on WASM: ${fallbackReason(note)}`;
}
