/**
 * `npm run train -- encoder`: read the datasets, train the bag encoder contrastively, export it as
 * ONNX (int8 table), reload it through the runtime, calibrate the shipped thresholds on held-out
 * data and write `models/encoder/{model.onnx,vocab.txt,manifest.json}`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex, writeModelDir } from '../../runtime/model-dir';
import type { ManifestDraft } from '../../runtime/model-dir';
import { modelDir } from '../../train/paths';
import { ProgressBar } from '../../train/progress';
import type { TrainRunOptions, TrainTask } from '../../train/task';
import { evaluateEncoder } from '../evaluate';
import type { EncoderEvalReport } from '../evaluate';
import { buildEncoderGraph } from '../export';
import { SentenceEncoder } from '../sentence-encoder';
import type { EncoderPreprocessing, EncoderThresholds } from '../sentence-encoder';
import { toolThreshold } from './calibrate-tools';
import { loadGlove } from './glove';
import { trainingSources } from './sources';
import type { EncoderFeatureSpec } from '../features';
import type { BagModel } from './bag-model';
import { DEFAULT_TRAIN_OPTIONS, trainEncoder } from './trainer';
import type { PairSource, TrainOptions } from './trainer';

const LICENSES: Record<string, { path: string; license: string }> = {
  gptcache: { path: 'e_paraphrase/gptcache_mock_data', license: 'MIT' },
  'disfl-qa': { path: 'g_more/disfl_qa', license: 'CC-BY-4.0 (originals from SQuAD: CC-BY-SA-4.0)' },
  'paws-dev': {
    path: 'e_paraphrase/paws_wiki_final_dev_test_via_simmat',
    license: 'PAWS licence: free for any purpose',
  },
  generated: { path: 'libs/ml/src/encoder/train/generated.ts', license: 'Apache-2.0 (ours)' },
  xquad: { path: 'g_more/xquad_parallel_questions', license: 'CC-BY-SA-4.0' },
  clinc150: { path: 'a_domain/clinc150_oos_eval', license: 'CC-BY-3.0' },
  banking77: { path: 'g_more/banking77', license: 'CC-BY-4.0' },
  metatool: { path: 'd_tools/metatool', license: 'MIT' },
  bfcl: { path: 'd_tools/gorilla_bfcl', license: 'Apache-2.0' },
  glove: { path: 'g_more/glove_6B_50d_top10k', license: 'PDDL-1.0' },
};

export async function writeEncoderModel(
  dir: string,
  options: { seed: number; quick: boolean },
): Promise<{ report: EncoderEvalReport; thresholds: EncoderThresholds }> {
  const opts = { ...DEFAULT_TRAIN_OPTIONS, seed: options.seed, ...(options.quick ? { steps: 200 } : {}) };
  const sources = trainingSources(opts.seed);
  const glove = loadGlove();
  const bar = new ProgressBar('encoder', opts.steps);
  const trained = trainEncoder(sources, glove, {
    ...opts,
    onProgress: (s, loss) => bar.update(s, `loss ${loss.toFixed(3)}`),
  });
  bar.done();
  return exportEncoderModel(dir, trained, { sources, gloveWords: glove.words.length, opts });
}

/**
 * Writes a trained encoder to `dir` (ONNX, vocabulary, manifest), reloads it through the runtime
 * and calibrates the shipped thresholds on held-out data.
 */
export async function exportEncoderModel(
  dir: string,
  { spec, model }: { spec: EncoderFeatureSpec; model: Pick<BagModel, 'table' | 'rows' | 'dim'> },
  {
    sources,
    gloveWords,
    opts,
  }: { sources: readonly PairSource[]; gloveWords: number; opts: Omit<TrainOptions, 'onProgress'> },
): Promise<{ report: EncoderEvalReport; thresholds: EncoderThresholds }> {
  const vocabText = `${spec.vocab.join('\n')}\n`;
  const preprocessing: EncoderPreprocessing = {
    type: 'encoder-bag',
    vocabFile: 'vocab.txt',
    vocabSha256: sha256Hex(Buffer.from(vocabText, 'utf8')),
    vocabSize: spec.vocab.length,
    wordBuckets: spec.wordBuckets,
    bigramBuckets: spec.bigramBuckets,
    charBuckets: spec.charBuckets,
    charMinN: spec.charMinN,
    charMaxN: spec.charMaxN,
    charWeight: spec.charWeight,
    bigramWeight: spec.bigramWeight,
    wholeWords: spec.wholeWords,
    wholeWordCharWeight: spec.wholeWordCharWeight,
  };
  const bytes = buildEncoderGraph(
    model.table,
    model.rows,
    model.dim,
    'hashed word/bigram/char n-gram embedding bag → L2 norm',
  ).toBytes();
  const draft = (
    thresholds: EncoderThresholds,
    metrics: Record<string, unknown>,
  ): ManifestDraft & Record<string, unknown> => ({
    schemaVersion: 1,
    name: 'sentence-encoder',
    task: 'embedding',
    kind: 'text-encoder',
    labels: [],
    dimension: model.dim,
    thresholds,
    preprocessing,
    model: { inputs: ['ids', 'weights'], outputs: ['embeddings'] },
    metrics,
    data: {
      sources: [
        ...sources.map((s) => ({
          name: s.name,
          rows: s.pairs.length,
          ...(LICENSES[s.name] ?? { path: '?', license: '?' }),
        })),
        {
          name: 'glove',
          rows: gloveWords,
          ...(LICENSES['glove'] as { path: string; license: string }),
        },
      ],
      split: {
        method:
          'fnv1a hash of the normalised key (text, tool, paragraph or template id); named CLINC150 intents and BFCL live_multiple held out entirely',
        testFraction: 0.2,
      },
    },
    training: { ...opts, seed: opts.seed, loss: 'symmetric multiple-negatives ranking with hard negatives' },
  });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'vocab.txt'), vocabText);
  // First write with placeholder thresholds, reload through the runtime, then calibrate on it.
  await writeModelDir(
    dir,
    bytes,
    draft({ cache: 1, category: { threshold: 1, scoring: 'topk' }, tool: 0 }, {}),
  );
  const encoder = await SentenceEncoder.load(dir);
  try {
    const report = await evaluateEncoder(encoder, { seed: opts.seed });
    const thresholds: EncoderThresholds = {
      cache: report.cache.threshold,
      category: { threshold: report.categories.threshold, scoring: report.categories.scoring },
      tool: await toolThreshold(encoder, opts.seed),
    };
    await writeModelDir(dir, bytes, draft(thresholds, summarize(report)));
    return { report, thresholds };
  } finally {
    await encoder.close();
  }
}

/** The headline numbers that go into the manifest. */
export function summarize(r: EncoderEvalReport): Record<string, unknown> {
  return {
    cache: {
      threshold: r.cache.threshold,
      auc: r.cache.auc,
      precision: r.cache.withVerification.precision,
      recall: r.cache.withVerification.recall,
      falseHitRate: r.cache.withVerification.falseHitRate,
      precisionEmbeddingOnly: r.cache.embeddingOnly.precision,
      recallEmbeddingOnly: r.cache.embeddingOnly.recall,
    },
    paws: { auc: r.paws.auc, bestAccuracy: r.paws.bestAccuracy, falseHitRate: r.paws.falseHitRate },
    xquadCrossLingualAuc: r.xquadCrossLingual.auc,
    tools: {
      metatoolHeldOutRecallAt3: r.tools.metatoolHeldOut.recallAt3,
      metatoolAllRecallAt3: r.tools.metatoolAll.recallAt3,
      bfclLiveMultipleRecallAt3: r.tools.bfclLiveMultiple.recallAt3,
    },
    categories: { accuracy: r.categories.accuracy, oosRejection: r.categories.oosRejection },
  };
}

export const encoderTask: TrainTask = {
  name: 'encoder',
  description: 'sentence encoder for cache similarity, tool ranking and custom categories',
  async run(options: TrainRunOptions): Promise<void> {
    const dir = options.outDir ?? modelDir('encoder');
    const { report, thresholds } = await writeEncoderModel(dir, {
      seed: options.seed ?? DEFAULT_TRAIN_OPTIONS.seed,
      quick: options.quick ?? false,
    });
    process.stdout.write(
      `encoder written to ${dir}\nthresholds ${JSON.stringify(thresholds)}\n${JSON.stringify(summarize(report), null, 2)}\n`,
    );
  },
};
