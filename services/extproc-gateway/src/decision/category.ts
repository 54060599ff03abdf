import type { CategoryConfig, ClassifyReply, RouterConfig, Signal } from '@sr/shared';

export interface CategoryMatch {
  category: CategoryConfig;
  signal: 'custom' | 'domain' | 'intent';
  label: string;
  score: number;
}

/** Label a classifier reports when it is not confident; routes to the default model. */
export const UNKNOWN_LABEL = 'unknown';

/**
 * Picks the category from the classifier's signals: the first signal in `routing.signalPriority`
 * whose label maps to a configured category of that signal wins. A custom signal's label is the
 * category name; domain/intent labels map through `labels` (default: the category name).
 */
export function selectCategory(
  config: Pick<RouterConfig, 'categories' | 'routing'>,
  signals: Pick<ClassifyReply, 'domain' | 'intent' | 'custom'> | undefined,
): CategoryMatch | null {
  if (!signals) return null;
  for (const kind of config.routing.signalPriority) {
    const signal: Signal | null = signals[kind];
    if (!signal || signal.label === UNKNOWN_LABEL) continue;
    const category = config.categories.find(
      (c) => c.signal === kind && (c.labels ?? [c.name]).includes(signal.label),
    );
    if (category) return { category, signal: kind, label: signal.label, score: signal.score };
  }
  return null;
}
