/**
 * Collects concurrent calls into one batch: flushes when `maxBatch` items are waiting or
 * `maxWaitMs` after the first one arrived, whichever comes first. One model run per batch.
 * `maxWaitMs: 0` flushes at the end of the current event-loop turn (setImmediate): everything
 * submitted in that turn shares a run, and an idle worker adds no wait (setTimeout(0) is ≥ 1 ms).
 */
export class MicroBatcher<I, O> {
  private pending: Array<{ input: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  private timer: { cancel(): void } | undefined;

  constructor(
    private readonly run: (inputs: I[]) => Promise<O[]>,
    private readonly options: { maxBatch: number; maxWaitMs: number } = { maxBatch: 32, maxWaitMs: 2 },
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (this.pending.length >= this.options.maxBatch) this.flush();
      else if (!this.timer) this.timer = this.schedule();
    });
  }

  private schedule(delayMs = this.options.maxWaitMs): { cancel(): void } {
    if (delayMs <= 0) {
      const handle = setImmediate(() => this.flush());
      return { cancel: () => clearImmediate(handle) };
    }
    const handle = setTimeout(() => this.flush(), delayMs);
    return { cancel: () => clearTimeout(handle) };
  }

  private flush(): void {
    this.timer?.cancel();
    this.timer = undefined;
    const batch = this.pending.splice(0, this.options.maxBatch);
    if (batch.length === 0) return;
    if (this.pending.length > 0) this.timer = this.schedule(0);
    this.run(batch.map((b) => b.input)).then(
      (outputs) => {
        if (outputs.length !== batch.length) {
          const err = new Error(`batch run returned ${outputs.length} results for ${batch.length} inputs`);
          for (const b of batch) b.reject(err);
          return;
        }
        batch.forEach((b, i) => b.resolve(outputs[i]!));
      },
      (err: unknown) => {
        for (const b of batch) b.reject(err);
      },
    );
  }
}
