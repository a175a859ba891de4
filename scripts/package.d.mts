// Types for package.mjs, so TypeScript tests can import it.

export interface ZipEntry {
  path: string;
  /** Uncompressed bytes. */
  size: number;
  compressed?: number;
}

export declare const repoRoot: string;
/** The VSIX size budget (compressed bytes). */
export declare const SIZE_BUDGET_BYTES: number;
/** Files the code loads at run time that package.json does not name. */
export declare const RUNTIME_FILES: string[];
/** Every file path package.json refers to (relative to the extension's root). */
export declare function manifestFiles(manifest: Record<string, unknown>): string[];
/** The prelude files (dist/prelude) and New Model templates the extension needs. */
export declare function repoRuntimeFiles(root?: string): string[];
/** Everything that must be in the package (besides package.json, README, CHANGELOG, LICENSE). */
export declare function requiredFiles(manifest: Record<string, unknown>, root?: string): string[];
/** Entries under extension/, without that prefix. */
export declare function extensionPaths(entries: ZipEntry[]): ZipEntry[];
/** The problems of a package's contents (empty: good). */
export declare function checkPackage(
  entries: ZipEntry[],
  options: { manifest: Record<string, unknown>; vsixBytes?: number; target?: string; budget?: number; root?: string },
): string[];
/** Entries of a zip file from its central directory. */
export declare function listZip(file: string): ZipEntry[];
export declare function zipDirectory(buf: Buffer, file?: string): (ZipEntry & { compressed: number; method: number; local: number })[];
export declare function formatBytes(n: number): string;
export declare function readManifest(root?: string): Record<string, any>;
export declare function defaultVsixPath(manifest?: Record<string, unknown>, target?: string): string;
/** vsce target → folder of node_modules/webgpu/dist holding that platform's Dawn. */
export declare const DAWN_TARGETS: Record<string, string>;
/** Budget of a platform VSIX (compressed bytes). */
export declare const TARGET_SIZE_BUDGET_BYTES: number;
/** The webgpu package's files a platform VSIX carries. Throws for a target without Dawn. */
export declare function dawnFiles(target: string, root?: string): string[];
/** Runs vsce package into `out`. */
export declare function runVsce(out: string, options?: { target?: string }): void;
/** Lists a VSIX, prints a summary, returns its problems. */
export declare function inspectVsix(
  file: string,
  options?: { manifest?: Record<string, unknown>; target?: string; budget?: number; print?: (line: string) => void },
): { entries: ZipEntry[]; vsixBytes: number; problems: string[] };
/** Hash of the files the VSIX is made from. */
export declare function inputsHash(root?: string): string;
/** A checked VSIX of the current dist/ (cached by inputs hash); dist/ must be built. */
export declare function ensureVsix(): string;
