/**
 * The encoder's part of `npm run eval`: every held-out number of evaluateEncoder at the shipped
 * thresholds (from the manifest), the targets of issues 4, 6 and 7 as gates, and a Markdown body.
 */
import type { EvalSection, Gate, SectionResult, SummaryRow } from '../eval/section';
import { modelDir } from '../train/paths';
import { evaluateEncoder } from './evaluate';
import type { EncoderEvalReport, ToolReport } from './evaluate';
import { SentenceEncoder } from './sentence-encoder';
import { DEFAULT_TRAIN_OPTIONS } from './train/trainer';

const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '–');

export function encoderGates(r: EncoderEvalReport): Gate[] {
  return [
    {
      name: 'encoder: cache precision (with verification)',
      value: r.cache.withVerification.precision,
      threshold: 0.98,
      direction: 'min',
    },
    {
      name: 'encoder: cache recall on true paraphrases',
      value: r.cache.withVerification.recall,
      threshold: 0.7,
      direction: 'min',
    },
    {
      name: 'encoder: cache false-hit rate',
      value: r.cache.withVerification.falseHitRate,
      threshold: 0.02,
      direction: 'max',
    },
    {
      name: 'encoder: MetaTool held-out tools recall@3 (vs all 199 tools)',
      value: r.tools.metatoolAll.recallAt3,
      threshold: 0.9,
      direction: 'min',
    },
    {
      name: 'encoder: BFCL live_multiple recall@3',
      value: r.tools.bfclLiveMultiple.recallAt3,
      threshold: 0.9,
      direction: 'min',
    },
    {
      name: 'encoder: custom categories accuracy (CLINC150, 10-shot)',
      value: r.categories.accuracy,
      threshold: 0.85,
      direction: 'min',
    },
    {
      name: 'encoder: custom categories out-of-scope rejection',
      value: r.categories.oosRejection,
      threshold: 0.8,
      direction: 'min',
    },
  ];
}

function toolRow(name: string, t: ToolReport): string {
  return `| ${name} | ${t.candidates} | ${t.queries} | ${f(t.recallAt1)} | ${f(t.recallAt3)} | ${f(t.recallAt5)} |`;
}

export function encoderMarkdown(r: EncoderEvalReport): string {
  const c = r.cache;
  return [
    `Shipped cache threshold ${c.threshold} (calibrated on the other half of the pairs for verified precision ≥ 0.99).`,
    '',
    '| cache pairs (held-out) | n | AUC | best-threshold acc | precision | recall | false-hit rate |',
    '|---|---|---|---|---|---|---|',
    `| embedding only | ${c.pairs} | ${f(c.auc)} | ${f(c.bestAccuracy)} | ${f(c.embeddingOnly.precision)} | ${f(c.embeddingOnly.recall)} | ${f(c.embeddingOnly.falseHitRate)} |`,
    `| + verification | ${c.pairs} | | | ${f(c.withVerification.precision)} | ${f(c.withVerification.recall)} | ${f(c.withVerification.falseHitRate)} |`,
    '',
    `Served at the threshold, by source: ${Object.entries(c.hitRateBySource)
      .map(([k, v]) => `${k} ${f(v)}`)
      .join(', ')}.`,
    '',
    '| pair set | n | positives | AUC | best-threshold acc |',
    '|---|---|---|---|---|',
    ...Object.entries(r.cacheBySource).map(
      ([k, v]) => `| ${k} | ${v.pairs} | ${v.positives} | ${f(v.auc)} | ${f(v.bestAccuracy)} |`,
    ),
    `| PAWS test (word-order adversarial) | ${r.paws.pairs} | ${r.paws.positives} | ${f(r.paws.auc)} | ${f(r.paws.bestAccuracy)} |`,
    `| XQuAD en ↔ 11 languages | ${r.xquadCrossLingual.pairs} | ${r.xquadCrossLingual.positives} | ${f(r.xquadCrossLingual.auc)} | ${f(r.xquadCrossLingual.bestAccuracy)} |`,
    '',
    `PAWS false-hit rate at the cache threshold: ${f(r.paws.falseHitRate.embeddingOnly)} embedding only, ${f(r.paws.falseHitRate.withVerification)} with verification.`,
    '',
    '| tool retrieval | candidates | queries | recall@1 | recall@3 | recall@5 |',
    '|---|---|---|---|---|---|',
    toolRow('MetaTool, tools held out of training', r.tools.metatoolAll),
    toolRow('MetaTool, tools held out of training', r.tools.metatoolHeldOut),
    toolRow('MetaTool, tools held out of training', r.tools.metatoolHeldOutOf10),
    toolRow('BFCL live_multiple (never trained on)', r.tools.bfclLiveMultiple),
    toolRow('own tools', r.tools.own),
    '',
    `Custom categories (EmbeddingCategoryMatcher, ${r.categories.examplesPerIntent} examples for each of ${r.categories.intents.length} CLINC150 intents never trained on: ${r.categories.intents.join(', ')}; scoring ${r.categories.scoring}, threshold ${r.categories.threshold}): accuracy ${f(r.categories.accuracy)} (${f(r.categories.accuracyNoThreshold)} without the threshold) on ${r.categories.inScope} test utterances, out-of-scope rejection ${f(r.categories.oosRejection)} on ${r.categories.outOfScope}.`,
  ].join('\n');
}

export function encoderRows(r: EncoderEvalReport): SummaryRow[] {
  return [
    {
      model: 'encoder',
      split: 'cache pairs (held-out)',
      n: r.cache.pairs,
      extra: {
        AUC: r.cache.auc,
        precision: r.cache.withVerification.precision,
        recall: r.cache.withVerification.recall,
      },
    },
    {
      model: 'encoder',
      split: 'PAWS test',
      n: r.paws.pairs,
      accuracy: r.paws.bestAccuracy,
      extra: { AUC: r.paws.auc },
    },
    {
      model: 'encoder',
      split: 'MetaTool held-out tools (199 candidates)',
      n: r.tools.metatoolAll.queries,
      extra: { 'recall@3': r.tools.metatoolAll.recallAt3 },
    },
    {
      model: 'encoder',
      split: 'BFCL live_multiple',
      n: r.tools.bfclLiveMultiple.queries,
      extra: { 'recall@3': r.tools.bfclLiveMultiple.recallAt3 },
    },
    {
      model: 'encoder',
      split: 'CLINC150 10-shot categories',
      n: r.categories.inScope + r.categories.outOfScope,
      accuracy: r.categories.accuracy,
      extra: { 'OOS rejection': r.categories.oosRejection },
    },
  ];
}

export const encoderSection: EvalSection = {
  name: 'encoder',
  async run(): Promise<SectionResult> {
    const encoder = await SentenceEncoder.load(modelDir('encoder'));
    try {
      const report = await evaluateEncoder(encoder, {
        seed: DEFAULT_TRAIN_OPTIONS.seed,
        cacheThreshold: encoder.thresholds.cache,
        category: encoder.thresholds.category,
      });
      return { rows: encoderRows(report), gates: encoderGates(report), markdown: encoderMarkdown(report) };
    } finally {
      await encoder.close();
    }
  },
};
