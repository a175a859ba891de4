/** Runs `fn` holding the lock directory `lock`; throws when it stays held for `staleMs`. */
export declare function withDirLock<T>(lock: string, staleMs: number, what: string, fn: () => T): T;
