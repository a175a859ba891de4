// Ctrl-C for a long CLI job: the first asks the work to stop (it keeps what it has), a worker
// that does not answer within 2 s (deep in a build step that cannot poll) is ended; the second
// quits at once (exit 130).

export interface Stoppable {
  cancel(): void;
  terminate(): unknown;
}

/** Installs the SIGINT handler for `job`; call the returned function when the job has ended. */
export function stopOnCtrlC(job: Stoppable, what: string): () => void {
  let interrupted = 0;
  let grace: NodeJS.Timeout | undefined;
  const onSigint = () => {
    interrupted++;
    if (interrupted === 1) {
      process.stderr.write(`\nstopping ${what} (Ctrl-C again to quit at once)…\n`);
      job.cancel();
      grace = setTimeout(() => void job.terminate(), 2000);
    } else process.exit(130);
  };
  process.on('SIGINT', onSigint);
  return () => {
    process.off('SIGINT', onSigint);
    clearTimeout(grace);
  };
}
