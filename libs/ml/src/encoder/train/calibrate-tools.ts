import type { TextEmbedder } from '../category-matcher';
import { cosine, round } from '../metrics';
import { toolText } from '../../tool-ranking/tool-text';
import { readJson } from './io';

/**
 * Tool relevance threshold: the 10th percentile of query ↔ right-tool cosine on MetaTool's
 * two-tool queries (a file neither training nor the eval reads), so ~90% of right tools clear it.
 */
export async function toolThreshold(embedder: TextEmbedder, _seed: number): Promise<number> {
  const desc = readJson<Record<string, string>>('d_tools/metatool/dataset/plugin_des.json');
  const rows = readJson<Array<{ query: string; tool: string[] }>>(
    'd_tools/metatool/dataset/data/multi_tool_query_golden.json',
  );
  const pairs = rows.flatMap((r) =>
    r.tool
      .filter((t) => desc[t] !== undefined)
      .map((t) => [r.query, toolText({ name: t, description: desc[t] })] as const),
  );
  const q = await embedder.embed(pairs.map((p) => p[0]));
  const t = await embedder.embed(pairs.map((p) => p[1]));
  const sims = q.map((v, i) => cosine(v, t[i] as Float32Array)).sort((a, b) => a - b);
  return round(sims[Math.floor(sims.length * 0.1)] ?? 0, 3);
}
