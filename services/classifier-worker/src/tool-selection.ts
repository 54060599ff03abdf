import type { ClassifyReply, RouterConfig, ToolChoice, ToolDefinition } from '@sr/shared';

export type ToolsResult = NonNullable<ClassifyReply['tools']>;

/** Whether tools are ranked for this `tool_choice`: absent, `auto`, or a named function. */
export function shouldRank(toolChoice: ToolChoice | undefined): boolean {
  return toolChoice === undefined || toolChoice === 'auto' || typeof toolChoice === 'object';
}

/**
 * Picks the tools to forward from cosine scores (query vs tool text): the `topK` best at or
 * above the threshold, best first. The tool `tool_choice` names is always kept. With none
 * relevant, the original list is kept or emptied per `tools.whenNoneRelevant`. `none` and
 * `required` leave the list alone (`skipped`): the model either ignores tools or must use one
 * the client chose to offer.
 */
export function selectTools(
  tools: readonly ToolDefinition[],
  toolChoice: ToolChoice | undefined,
  scores: readonly number[],
  config: RouterConfig['tools'] & { similarityThreshold: number },
): ToolsResult {
  const names = tools.map((t) => t.function.name);
  const byName: Record<string, number> = {};
  names.forEach((n, i) => (byName[n] = round(scores[i] ?? 0)));
  if (!shouldRank(toolChoice)) return { selected: names, scores: byName, reason: 'skipped' };
  const named = typeof toolChoice === 'object' ? toolChoice.function.name : undefined;
  const ranked = names
    .map((name, i) => ({ name, i, score: scores[i] ?? 0 }))
    .sort((a, b) => b.score - a.score || a.i - b.i);
  const relevant = ranked.filter((r) => r.score >= config.similarityThreshold).slice(0, config.topK);
  const selected = relevant.map((r) => r.name);
  if (named && names.includes(named) && !selected.includes(named)) selected.unshift(named);
  if (relevant.length > 0) return { selected: dedupe(selected), scores: byName, reason: 'ranked' };
  if (config.whenNoneRelevant === 'keep')
    return { selected: names, scores: byName, reason: 'none-relevant-kept' };
  return { selected: named ? [named] : [], scores: byName, reason: 'none-relevant-dropped' };
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
