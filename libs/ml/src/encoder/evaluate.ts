/**
 * Held-out evaluation of a sentence encoder (any TextEmbedder: the in-memory training model or the
 * committed ONNX model): cache-pair separation with and without verification, PAWS, cross-lingual
 * XQuAD, tool retrieval (MetaTool held-out tools, BFCL live_multiple) and few-shot custom categories
 * on CLINC150 intents that training never saw.
 */
import { verifySimilarPair } from '../similarity/verify';
import { toolRelevance } from '../tool-ranking/tool-ranker';
import { toolText } from '../tool-ranking/tool-text';
import type { OpenAiTool } from '../tool-ranking/tool-text';
import { EmbeddingCategoryMatcher } from './category-matcher';
import type { CategoryScoring, TextEmbedder } from './category-matcher';
import { bestThresholdAccuracy, cosine, hitStats, rocAuc, round } from './metrics';
import type { ThresholdStats } from './metrics';
import { OWN_PAIRS, OWN_TOOL_QUERIES, OWN_TOOLS } from './own-eval-data';
import {
  CLINC_HELD_OUT_INTENTS,
  bfclCases,
  clinc,
  clincDomains,
  disflPairs,
  gptCachePairs,
  metaTool,
  pawsTestPairs,
  xquadPairs,
} from './train/data';
import type { LabelledPair } from './train/data';
import { generatedTestPairs } from './train/generated';
import { pick, rng, shuffle, splitPoint } from './train/io';

/** Caches embeddings by text so every eval set embeds each text once. */
class CachedEmbedder {
  private readonly cache = new Map<string, Float32Array>();
  constructor(private readonly inner: TextEmbedder) {}
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const missing = [...new Set(texts.filter((t) => !this.cache.has(t)))];
    for (let i = 0; i < missing.length; i += 512) {
      const chunk = missing.slice(i, i + 512);
      const vs = await this.inner.embed(chunk);
      chunk.forEach((t, k) => this.cache.set(t, vs[k] as Float32Array));
    }
    return texts.map((t) => this.cache.get(t) as Float32Array);
  }
}

async function pairScores(emb: CachedEmbedder, pairs: readonly LabelledPair[]): Promise<number[]> {
  const a = await emb.embed(pairs.map((p) => p.a));
  const b = await emb.embed(pairs.map((p) => p.b));
  return a.map((x, i) => cosine(x, b[i] as Float32Array));
}

export interface PairSetReport {
  readonly pairs: number;
  readonly positives: number;
  readonly auc: number;
  readonly bestAccuracy: number;
  readonly bestThreshold: number;
}

function pairReport(scores: readonly number[], pairs: readonly LabelledPair[]): PairSetReport {
  const labels = pairs.map((p) => p.label);
  const best = bestThresholdAccuracy(scores, labels);
  return {
    pairs: pairs.length,
    positives: labels.filter((l) => l === 1).length,
    auc: round(rocAuc(scores, labels)),
    bestAccuracy: round(best.accuracy),
    bestThreshold: round(best.threshold),
  };
}

export interface CacheReport extends PairSetReport {
  readonly threshold: number;
  readonly embeddingOnly: ThresholdStats;
  readonly withVerification: ThresholdStats;
  /** Per source: share of pairs served (hit) at the threshold with verification. */
  readonly hitRateBySource: Readonly<Record<string, number>>;
}

export function cacheAt(
  scores: readonly number[],
  pairs: readonly LabelledPair[],
  threshold: number,
): { embeddingOnly: ThresholdStats; withVerification: ThresholdStats; hits: boolean[] } {
  const labels = pairs.map((p) => p.label);
  const close = scores.map((s) => s >= threshold);
  const verified = close.map(
    (c, i) => c && verifySimilarPair((pairs[i] as LabelledPair).a, (pairs[i] as LabelledPair).b).ok,
  );
  return {
    embeddingOnly: hitStats(close, labels, threshold),
    withVerification: hitStats(verified, labels, threshold),
    hits: verified,
  };
}

/** Lowest threshold whose verified precision on the calibration pairs reaches `target`. */
function calibrateThreshold(
  scores: readonly number[],
  pairs: readonly LabelledPair[],
  target: number,
): number {
  const ok = pairs.map((p) => verifySimilarPair(p.a, p.b).ok);
  const order = scores.map((s, i) => i).sort((x, y) => (scores[y] as number) - (scores[x] as number));
  let tp = 0;
  let fp = 0;
  let best = 1;
  for (const i of order) {
    if (ok[i] && (pairs[i] as LabelledPair).label === 1) tp++;
    else if (ok[i]) fp++;
    // Require a minimum count so a lucky top few do not set the threshold.
    if (tp + fp >= 20 && tp / (tp + fp) >= target) best = scores[i] as number;
  }
  return round(best, 3);
}

/** The held-out cache pair set: true paraphrases vs same-topic and minimal-edit negatives. */
export function cachePairs(seed: number): LabelledPair[] {
  const rand = rng(seed);
  const disfl = disflPairs().test;
  const pos = shuffle(
    disfl.filter((p) => p.label === 1),
    rand,
  ).slice(0, 600);
  const neg = shuffle(
    disfl.filter((p) => p.label === 0),
    rand,
  ).slice(0, 600);
  // CLINC test: requests from different intents of the same domain ("what's my balance" vs "what's my credit limit").
  const domains = clincDomains();
  const byDomain = new Map<string, Array<[string, string]>>();
  for (const [t, i] of clinc().test) {
    const d = domains.get(i);
    if (d) byDomain.set(d, [...(byDomain.get(d) ?? []), [t, i]]);
  }
  const clincNeg: LabelledPair[] = [];
  const domainRows = [...byDomain.values()];
  while (clincNeg.length < 600) {
    const rows = pick(domainRows, rand);
    const [a, ia] = pick(rows, rand);
    const [b, ib] = pick(rows, rand);
    if (ia !== ib) clincNeg.push({ a, b, label: 0, source: 'clinc-other-intent' });
  }
  return [...gptCachePairs().test, ...pos, ...neg, ...clincNeg, ...generatedTestPairs(seed), ...OWN_PAIRS];
}

export interface ToolReport {
  readonly queries: number;
  readonly candidates: string;
  readonly recallAt1: number;
  readonly recallAt3: number;
  readonly recallAt5: number;
}

function recallAt(ranked: readonly string[], gold: readonly string[], k: number): number {
  const top = new Set(ranked.slice(0, k));
  return gold.filter((g) => top.has(g)).length / Math.max(1, gold.length);
}

/** Ranked as ToolRanker ranks: the encoder cosine blended with the lexical score (toolRelevance). */
async function rankTools(
  emb: CachedEmbedder,
  query: string,
  tools: ReadonlyArray<{ name: string; text: string; fn: OpenAiTool['function'] }>,
): Promise<string[]> {
  const [q] = await emb.embed([query]);
  const vs = await emb.embed(tools.map((t) => t.text));
  return tools
    .map((t, i) => ({
      name: t.name,
      s: toolRelevance(query, t.fn, cosine(q as Float32Array, vs[i] as Float32Array)),
    }))
    .sort((x, y) => y.s - x.s)
    .map((x) => x.name);
}

async function toolReport(
  emb: CachedEmbedder,
  cases: ReadonlyArray<{
    query: string;
    gold: string[];
    tools: ReadonlyArray<{ name: string; text: string; fn: OpenAiTool['function'] }>;
  }>,
  candidates: string,
): Promise<ToolReport> {
  let r1 = 0;
  let r3 = 0;
  let r5 = 0;
  await emb.embed(cases.flatMap((c) => [c.query, ...c.tools.map((t) => t.text)]));
  for (const c of cases) {
    const ranked = await rankTools(emb, c.query, c.tools);
    r1 += recallAt(ranked, c.gold, 1);
    r3 += recallAt(ranked, c.gold, 3);
    r5 += recallAt(ranked, c.gold, 5);
  }
  const n = Math.max(1, cases.length);
  return {
    queries: cases.length,
    candidates,
    recallAt1: round(r1 / n),
    recallAt3: round(r3 / n),
    recallAt5: round(r5 / n),
  };
}

export interface CategoryReport {
  readonly intents: readonly string[];
  readonly examplesPerIntent: number;
  readonly scoring: CategoryScoring;
  readonly threshold: number;
  /** In-scope test utterances labelled correctly (matched, right label). */
  readonly accuracy: number;
  /** Best label right, ignoring the threshold. */
  readonly accuracyNoThreshold: number;
  /** Out-of-scope test utterances with no match. */
  readonly oosRejection: number;
  readonly inScope: number;
  readonly outOfScope: number;
}

export async function categoryReport(
  embedder: TextEmbedder,
  seed: number,
  fixed?: { threshold: number; scoring: CategoryScoring },
): Promise<CategoryReport> {
  const data = clinc();
  const rand = rng(seed);
  const intents = new Set<string>(CLINC_HELD_OUT_INTENTS);
  // 10 examples per intent define the categories; the intent's other training utterances (never
  // trained on: these intents are held out) calibrate with the validation split.
  const pools = CLINC_HELD_OUT_INTENTS.map((name) =>
    shuffle(
      data.train.filter(([, i]) => i === name),
      rand,
    ),
  );
  const defs = CLINC_HELD_OUT_INTENTS.map((name, k) => ({
    name,
    examples: (pools[k] as Array<[string, string]>).slice(0, 10).map(([t]) => t),
  }));
  const val = [...data.val.filter(([, i]) => intents.has(i)), ...pools.flatMap((p) => p.slice(10))];
  const oosVal = [...data.oos_train, ...data.oos_val];
  const test = data.test.filter(([, i]) => intents.has(i));
  const evalOn = async (
    threshold: number,
    scoring: CategoryScoring,
    inScope: ReadonlyArray<[string, string]>,
    oos: ReadonlyArray<[string, string]>,
  ): Promise<{ acc: number; accNo: number; rej: number }> => {
    const m = await EmbeddingCategoryMatcher.create(embedder, defs, { threshold, scoring });
    const ins = await m.match(inScope.map(([t]) => t));
    const outs = await m.match(oos.map(([t]) => t));
    const acc =
      ins.filter((r, i) => r.matched && r.label === (inScope[i] as [string, string])[1]).length /
      inScope.length;
    const accNo =
      ins.filter((r, i) => (r.matched ? r.label : r.nearest?.label) === (inScope[i] as [string, string])[1])
        .length / inScope.length;
    const rej = outs.filter((r) => !r.matched).length / oos.length;
    return { acc, accNo, rej };
  };
  let chosen = fixed;
  if (!chosen) {
    // Calibrate on the validation split + unused training utterances (1,100 in scope, 200
    // out-of-scope): the threshold and scoring that maximise accuracy + rejection.
    let best = { score: -1, threshold: 0.5, scoring: 'topk' as CategoryScoring };
    for (const scoring of ['max', 'topk', 'centroid'] as const) {
      for (let t = 0.2; t <= 0.9; t += 0.02) {
        const r = await evalOn(t, scoring, val, oosVal);
        const score = Math.min(r.acc, r.rej) + r.acc + r.rej;
        if (score > best.score) best = { score, threshold: round(t, 2), scoring };
      }
    }
    chosen = { threshold: best.threshold, scoring: best.scoring };
  }
  const r = await evalOn(chosen.threshold, chosen.scoring, test, data.oos_test);
  return {
    intents: [...CLINC_HELD_OUT_INTENTS],
    examplesPerIntent: 10,
    scoring: chosen.scoring,
    threshold: chosen.threshold,
    accuracy: round(r.acc),
    accuracyNoThreshold: round(r.accNo),
    oosRejection: round(r.rej),
    inScope: test.length,
    outOfScope: data.oos_test.length,
  };
}

export interface EncoderEvalReport {
  readonly cache: CacheReport;
  readonly cacheBySource: Readonly<Record<string, PairSetReport>>;
  readonly paws: PairSetReport & {
    readonly falseHitRate: { readonly embeddingOnly: number; readonly withVerification: number };
  };
  readonly xquadCrossLingual: PairSetReport;
  readonly own: PairSetReport & { readonly precision: number; readonly recall: number };
  readonly tools: {
    readonly metatoolAll: ToolReport;
    readonly metatoolHeldOut: ToolReport;
    readonly metatoolHeldOutOf10: ToolReport;
    readonly bfclLiveMultiple: ToolReport;
    readonly own: ToolReport;
  };
  readonly categories: CategoryReport;
}

export interface EvaluateOptions {
  readonly seed: number;
  /** Shipped cache threshold; calibrated on half of the cache pairs when absent. */
  readonly cacheThreshold?: number;
  readonly category?: { threshold: number; scoring: CategoryScoring };
}

export async function evaluateEncoder(
  embedder: TextEmbedder,
  options: EvaluateOptions,
): Promise<EncoderEvalReport> {
  const emb = new CachedEmbedder(embedder);
  const all = cachePairs(options.seed);
  // Half the pairs calibrate the threshold, the other half report (split by a hash of the pair).
  const calib = all.filter((p) => splitPoint(`${p.a}\u0001${p.b}`, 'cache-calib') < 0.5);
  const test = all.filter((p) => splitPoint(`${p.a}\u0001${p.b}`, 'cache-calib') >= 0.5);
  const threshold = options.cacheThreshold ?? calibrateThreshold(await pairScores(emb, calib), calib, 0.99);
  const testScores = await pairScores(emb, test);
  const at = cacheAt(testScores, test, threshold);
  const bySource = new Map<string, { n: number; hit: number }>();
  test.forEach((p, i) => {
    const s = bySource.get(p.source) ?? { n: 0, hit: 0 };
    s.n++;
    if (at.hits[i]) s.hit++;
    bySource.set(p.source, s);
  });
  const allScores = await pairScores(emb, all);
  const cacheBySource: Record<string, PairSetReport> = {};
  for (const src of ['gptcache', 'disfl-qa', 'generated', 'own']) {
    const idx = all.map((p, i) => i).filter((i) => (all[i] as LabelledPair).source.startsWith(src));
    const ps = idx.map((i) => all[i] as LabelledPair);
    // Sources with positives only are paired with every negative for an AUC.
    const negIdx = ps.some((p) => p.label === 0)
      ? []
      : all.map((_, i) => i).filter((i) => (all[i] as LabelledPair).label === 0);
    const ids = [...idx, ...negIdx];
    cacheBySource[src] = pairReport(
      ids.map((i) => allScores[i] as number),
      ids.map((i) => all[i] as LabelledPair),
    );
  }

  const paws = pawsTestPairs();
  const pawsScores = await pairScores(emb, paws);
  const pawsAt = cacheAt(pawsScores, paws, threshold);

  const xq = xquadPairs(options.seed).test;
  const xqScores = await pairScores(emb, xq);

  const own = all.filter((p) => p.source === 'own');
  const ownAt = cacheAt(await pairScores(emb, own), own, threshold);

  const mt = metaTool(options.seed);
  const allTools = [...mt.tools.entries()].map(([name, d]) => ({
    name,
    text: toolText({ name, description: d }),
    fn: { name, description: d },
  }));
  const heldTools = allTools.filter((t) => mt.heldOutTools.has(t.name));
  const mtCases = mt.test.map((q) => ({ query: q.query, gold: [q.tool], tools: allTools }));
  const mtHeldCases = mt.test.map((q) => ({ query: q.query, gold: [q.tool], tools: heldTools }));
  // A request usually carries a handful of tools: the right one plus 9 others drawn at random.
  const drawRand = rng(options.seed + 3);
  const mtTenCases = mt.test.map((q) => {
    const others = shuffle(
      allTools.filter((t) => t.name !== q.tool),
      drawRand,
    ).slice(0, 9);
    return {
      query: q.query,
      gold: [q.tool],
      tools: shuffle([...others, ...allTools.filter((t) => t.name === q.tool)], drawRand),
    };
  });
  const bfcl = bfclCases('live_multiple').map((c) => ({
    query: c.query,
    gold: c.gold,
    tools: c.tools.map((t) => ({ name: t.function.name, text: toolText(t.function), fn: t.function })),
  }));
  const ownTools = OWN_TOOLS.map((t) => ({
    name: t.function.name,
    text: toolText(t.function),
    fn: t.function,
  }));
  const ownToolCases = OWN_TOOL_QUERIES.map((q) => ({ query: q.text, gold: [q.tool], tools: ownTools }));

  return {
    cache: {
      ...pairReport(testScores, test),
      threshold,
      embeddingOnly: at.embeddingOnly,
      withVerification: at.withVerification,
      hitRateBySource: Object.fromEntries([...bySource].map(([k, v]) => [k, round(v.hit / v.n)])),
    },
    cacheBySource,
    paws: {
      ...pairReport(pawsScores, paws),
      falseHitRate: {
        embeddingOnly: round(pawsAt.embeddingOnly.falseHitRate),
        withVerification: round(pawsAt.withVerification.falseHitRate),
      },
    },
    xquadCrossLingual: pairReport(xqScores, xq),
    own: {
      ...pairReport(await pairScores(emb, own), own),
      precision: round(ownAt.withVerification.precision),
      recall: round(ownAt.withVerification.recall),
    },
    tools: {
      metatoolAll: await toolReport(emb, mtCases, `all ${allTools.length} MetaTool tools`),
      metatoolHeldOut: await toolReport(emb, mtHeldCases, `the ${heldTools.length} held-out tools`),
      metatoolHeldOutOf10: await toolReport(emb, mtTenCases, 'the right tool + 9 random others'),
      bfclLiveMultiple: await toolReport(emb, bfcl, 'the case’s own functions (avg 4)'),
      own: await toolReport(emb, ownToolCases, `${ownTools.length} hand-written tools`),
    },
    categories: await categoryReport(emb, options.seed, options.category),
  };
}
