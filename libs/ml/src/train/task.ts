/** A labelled text as loaded from a dataset (or generated). */
export interface LabeledText {
  readonly text: string;
  readonly label: string;
  /** Dataset or generator name, kept for per-source reporting. */
  readonly source: string;
  /**
   * Text whose hash decides the split; defaults to `text`. Generated variants of a dataset item
   * use the item's text, so a variant never lands on the other side of its original.
   */
  readonly splitKey?: string;
  /** Only ever used for training (generated data), never evaluated. */
  readonly trainOnly?: boolean;
  readonly weight?: number;
}

export interface TrainRunOptions {
  /** Where to write the model directory (default `models/<task>`). */
  readonly outDir?: string;
  /** Override the seed (default: the task's). */
  readonly seed?: number;
  /** Fewer epochs, for smoke tests. */
  readonly quick?: boolean;
}

/** A trainable task; register it in `tasks.ts`. */
export interface TrainTask {
  readonly name: string;
  readonly description: string;
  run(options: TrainRunOptions): Promise<void>;
}
