import type { ModelConfig, RouterConfig } from '@sr/shared';
import { findModel, type RankedModel } from './models';

/** True when `model` may receive every type in `types`. */
export function allowsPii(model: Pick<ModelConfig, 'piiPolicy'>, types: readonly string[]): boolean {
  const allow = model.piiPolicy.allow;
  if (allow.includes('*')) return true;
  return types.every((t) => allow.includes(t));
}

export type PiiDecision =
  | { action: 'none' }
  | { action: 'allowed'; model: ModelConfig }
  | { action: 'route'; model: ModelConfig; from: string }
  | { action: 'redact'; model: ModelConfig; restore: boolean }
  | { action: 'block'; from: string; reason: string };

/**
 * Applies the chosen model's PII policy. `route` moves to the next best model of the category
 * that allows every detected type, then the default model; `redact` keeps the model and masks
 * the values; `block` refuses. No types detected: nothing to do.
 */
export function decidePii(options: {
  config: Pick<RouterConfig, 'models' | 'defaultModel'>;
  chosen: ModelConfig;
  ranked: readonly RankedModel[];
  types: readonly string[];
}): PiiDecision {
  const { config, chosen, ranked, types } = options;
  if (types.length === 0) return { action: 'none' };
  if (allowsPii(chosen, types)) return { action: 'allowed', model: chosen };
  const policy = chosen.piiPolicy;
  if (policy.action === 'redact')
    return { action: 'redact', model: chosen, restore: policy.restoreInResponse };
  if (policy.action === 'block')
    return {
      action: 'block',
      from: chosen.name,
      reason: `${chosen.name} may not receive ${types.join(', ')}`,
    };
  for (const r of ranked) {
    if (r.model.name !== chosen.name && allowsPii(r.model, types))
      return { action: 'route', model: r.model, from: chosen.name };
  }
  const fallback = findModel(config, config.defaultModel);
  if (fallback && fallback.name !== chosen.name && allowsPii(fallback, types))
    return { action: 'route', model: fallback, from: chosen.name };
  return { action: 'block', from: chosen.name, reason: `no eligible model may receive ${types.join(', ')}` };
}
