import type { TextEmbedder } from '../category-matcher';
import { round } from '../metrics';
import { calibrateToolThreshold } from '../../tool-ranking/tool-ranker';
import { readJson } from './io';

/**
 * Tool relevance threshold: the 10th percentile of the ranker's score (encoder cosine blended with
 * word overlap, what the classifier worker compares with the threshold) for query ↔ right tool on
 * MetaTool's two-tool queries (a file neither training nor the eval reads), so ~90% of right tools
 * clear it.
 */
export async function toolThreshold(embedder: TextEmbedder, _seed: number): Promise<number> {
  const desc = readJson<Record<string, string>>('d_tools/metatool/dataset/plugin_des.json');
  const rows = readJson<Array<{ query: string; tool: string[] }>>(
    'd_tools/metatool/dataset/data/multi_tool_query_golden.json',
  );
  const pairs = rows.flatMap((r) =>
    r.tool
      .filter((t) => desc[t] !== undefined)
      .map((t) => ({ query: r.query, tool: { name: t, description: desc[t] } })),
  );
  return round(await calibrateToolThreshold(embedder, pairs, 0.1), 3);
}
