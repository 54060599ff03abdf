import type { CategoryConfig, ModelConfig, RouterConfig } from '@sr/shared';

export interface RankedModel {
  model: ModelConfig;
  score: number;
  useReasoning: boolean;
  reasoningEffort: 'low' | 'medium' | 'high' | undefined;
}

/** Finds a configured model by name. */
export function findModel(config: Pick<RouterConfig, 'models'>, name: string): ModelConfig | undefined {
  return config.models.find((m) => m.name === name);
}

/**
 * The category's models best first (ties keep config order), skipping names that are not
 * configured models. Without a category, or with no usable score, the default model alone.
 */
export function rankModels(
  config: Pick<RouterConfig, 'models' | 'defaultModel'>,
  category: CategoryConfig | null,
): RankedModel[] {
  const ranked: RankedModel[] = [];
  for (const s of category?.modelScores ?? []) {
    const model = findModel(config, s.model);
    if (!model || ranked.some((r) => r.model.name === model.name)) continue;
    ranked.push({ model, score: s.score, useReasoning: s.useReasoning, reasoningEffort: s.reasoningEffort });
  }
  ranked.sort((a, b) => b.score - a.score);
  if (ranked.length > 0) return ranked;
  const fallback = findModel(config, config.defaultModel);
  return fallback ? [{ model: fallback, score: 0, useReasoning: false, reasoningEffort: undefined }] : [];
}

/** The models to try after `chosen` when it fails before answering: the rest of the ranking, then the default. */
export function fallbackModels(
  config: Pick<RouterConfig, 'defaultModel'>,
  ranked: readonly RankedModel[],
  chosen: string,
  eligible: (name: string) => boolean = () => true,
): string[] {
  const names = ranked.map((r) => r.model.name);
  if (!names.includes(config.defaultModel)) names.push(config.defaultModel);
  return names.filter((n) => n !== chosen && eligible(n));
}
