// The `spikeworks.simulation.*` and `spikeworks.circuits.*` settings (and the shared memory limit), read per document.
import * as vscode from 'vscode';
import type { Intervention } from '../../../protocol/circuits';
import { threadsSetting } from './threads';

export type Backend = 'auto' | 'wasm' | 'webgpu';
export const BACKENDS: Backend[] = ['auto', 'wasm', 'webgpu'];

export interface RunSettings {
  /** undefined: the model's `simulate { backend: … }`. */
  backend?: Backend;
  memoryLimitBytes: number;
  /** Seconds, for models whose simulate block has no duration. */
  defaultDuration: number;
  /** Replaces the model's seed (undefined: the model's). */
  seed?: number;
  /** RunOptions.threads: `spikeworks.simulation.threads` when > 0 (undefined: the model's `threads:`, else the cores). */
  threads?: number;
}

export function runSettings(scope: vscode.Uri): RunSettings {
  const cfg = vscode.workspace.getConfiguration('spikeworks', scope);
  const backend = cfg.get<string>('simulation.backend', 'model');
  const mb = cfg.get<number>('memoryLimitMB', 8192);
  const duration = cfg.get<number>('simulation.defaultDuration', 1);
  const seed = cfg.get<number | null>('simulation.seed', null);
  return {
    backend: (BACKENDS as string[]).includes(backend) ? (backend as Backend) : undefined,
    memoryLimitBytes: (Number.isFinite(mb) && mb > 0 ? mb : 8192) * 2 ** 20,
    defaultDuration: Number.isFinite(duration) && duration > 0 ? duration : 1,
    seed: typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32 ? seed : undefined,
    threads: threadsSetting(cfg.get<unknown>('simulation.threads', 0)),
  };
}

const INTERVENTIONS: Intervention[] = ['silence', 'mean', 'resample', 'patch'];

/** Show Circuit Reuse's intervention and threshold (undefined: the analysis's defaults). */
export function circuitSettings(scope: vscode.Uri): { intervention?: Intervention; threshold?: number } {
  const cfg = vscode.workspace.getConfiguration('spikeworks', scope);
  const intervention = cfg.get<string>('circuits.intervention', 'silence');
  const threshold = cfg.get<number>('circuits.threshold', 0.05);
  return {
    ...((INTERVENTIONS as string[]).includes(intervention) ? { intervention: intervention as Intervention } : {}),
    ...(typeof threshold === 'number' && threshold > 0 && threshold <= 1 ? { threshold } : {}),
  };
}
