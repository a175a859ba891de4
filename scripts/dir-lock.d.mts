/** Runs `fn` holding the lock directory `lock`; throws when it stays held for `staleMs`. */
export declare function withDirLock<T>(lock: string, staleMs: number, what: string, fn: () => T): T;
/** withDirLock for asynchronous work: waits without blocking the event loop. */
export declare function withDirLockAsync<T>(lock: string, staleMs: number, what: string, fn: () => Promise<T>): Promise<T>;
