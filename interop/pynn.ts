// The checked model IR → a PyNN script (`spikeworks export FILE --to pynn`).
import type { ModelIR } from '../protocol/ir';
import type { ExportResult } from './refusal';

export type PyNNBackend = 'brian2' | 'nest' | 'spinnaker';

export function toPyNN(ir: ModelIR, _o: { backend: PyNNBackend; source?: string }): ExportResult {
  return { ok: false, refusals: [{ where: { kind: 'simulate' }, message: 'PyNN export: not written yet' }], warnings: [] };
}
