// Types for code-server.mjs, so TypeScript tests can import it.

/** Repository root. */
export declare const repoRoot: string;
/** The exact code-server version installed. */
export declare const CODE_SERVER_VERSION: string;

/** Full path of an executable on PATH, or undefined. */
export declare function which(name: string): string | undefined;
/** A free TCP port on 127.0.0.1. */
export declare function freePort(): Promise<number>;

/** Installs code-server into <repo>/.spikeworks/code-server once; returns the binary's path. */
export declare function ensureCodeServer(): Promise<string>;

/** Links the repo into `extDir` as `<publisher>.<name>-<version>`; returns the link's path. */
export declare function installExtension(extDir: string): string;

/**
 * Installs a VSIX with `code-server --install-extension` into `runDir`/ext (user data `runDir`/ud,
 * as launchCodeServer uses them); throws with code-server's output when refused. Returns the
 * installed extension's folder.
 */
export declare function installVsix(runDir: string, vsixFile: string): string;
/** `code-server --install-extension FILE --force` for `runDir`, outcome not judged. */
export declare function installVsixRaw(runDir: string, vsixFile: string): { status: number | null; signal: NodeJS.Signals | null; output: string };

export interface CodeServer {
  /** `http://127.0.0.1:PORT/?folder=<abs workspace>` */
  url: string;
  port: number;
  pid: number;
  /** code-server's stdout and stderr. */
  logFile: string;
  /** Settles with the exit code (or signal) when the process ends. */
  exited: Promise<number | string | null>;
  /** Kills the process group and waits for it. */
  stop(): Promise<void>;
}

/** Starts code-server detached on 127.0.0.1 and resolves once it listens. */
export declare function launchCodeServer(options: {
  workspace: string;
  port?: number | string;
  runDir: string;
  /** Workspace trust on (Restricted Mode until trusted), as users have it; default off. */
  trust?: boolean;
}): Promise<CodeServer>;
