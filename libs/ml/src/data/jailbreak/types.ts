export const JAILBREAK_LABELS = ['benign', 'jailbreak'] as const;
export type JbLabel = (typeof JAILBREAK_LABELS)[number];

/**
 * One labelled text. `group` decides the split: every example of a group lands on the same side,
 * so a template's generated variants (or one goal's attacks against several target models) never
 * straddle train and test.
 */
export interface JbExample {
  text: string;
  label: JbLabel;
  /** Dataset (or generator) the text came from, e.g. `deepset`, `gen:override`. */
  source: string;
  /** Split key; defaults to the normalised text. */
  group: string;
  /** Attack shape or benign kind, for per-kind recall/FPR in the eval. */
  kind: string;
}

export type JbSplit = 'train' | 'valid' | 'test';
