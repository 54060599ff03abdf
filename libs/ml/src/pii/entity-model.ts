import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { SrError } from '@sr/shared';
import type { PiiModelConfig } from './export';
import { FEATURES_PER_TOKEN, PII_FEATURE_VERSION, featurizeInto } from './features';
import { bioToSpans, viterbiBio } from './labels';
import type { EntitySpan } from './labels';
import { tokenize } from './tokenize';
import { EMPTY_LEXICON, loadLexicon } from './lexicon';
import type { PiiLexicon } from './lexicon';
import type { PiiToken } from './tokenize';

/** Tokens per ONNX run: the [tokens × features × dim] intermediates stay cache-sized (measured: ~2x faster per token than 4k-token runs); context lives in the features, so chunks have no seams. */
const MAX_TOKENS_PER_RUN = 384;

async function readConfig(dir: string): Promise<PiiModelConfig> {
  let raw: string;
  try {
    raw = await readFile(join(dir, 'config.json'), 'utf8');
  } catch (cause) {
    throw new SrError('ML_MODEL_MISSING', `PII entity model: cannot read ${join(dir, 'config.json')}`, {
      cause,
    });
  }
  let cfg: PiiModelConfig;
  try {
    cfg = JSON.parse(raw) as PiiModelConfig;
  } catch (cause) {
    throw new SrError('ML_MODEL_CORRUPT', `PII entity model: ${join(dir, 'config.json')} is not valid JSON`, {
      cause,
    });
  }
  if (cfg.kind !== 'pii-token-tagger')
    throw new SrError(
      'ML_MODEL_CORRUPT',
      `PII entity model: config kind is ${String(cfg.kind)}, expected pii-token-tagger`,
    );
  if (cfg.featureVersion !== PII_FEATURE_VERSION || cfg.featuresPerToken !== FEATURES_PER_TOKEN)
    throw new SrError(
      'ML_MODEL_CORRUPT',
      `PII entity model: features ${cfg.featureVersion}/${cfg.featuresPerToken} do not match this code (${PII_FEATURE_VERSION}/${FEATURES_PER_TOKEN}); retrain with npm run train -- pii`,
    );
  if (!Array.isArray(cfg.labels) || cfg.labels[0] !== 'O' || !(cfg.buckets > 0))
    throw new SrError('ML_MODEL_CORRUPT', 'PII entity model: config.json lacks labels or buckets');
  return cfg;
}

/**
 * The PII token-classification model at run time: text → character spans (PERSON, LOCATION,
 * ORGANIZATION, STREET_ADDRESS, DATE_TIME) with scores. Texts are tokenised and featurised in
 * TypeScript, the tagger runs in onnxruntime, and a constrained Viterbi keeps the BIO sequence valid.
 */
export class PiiEntityModel {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly config: PiiModelConfig,
    private readonly lexicon: PiiLexicon,
  ) {}

  /** Loads `model.onnx` + `config.json` from a model directory (e.g. `models/pii-ner`). */
  static async load(dir: string): Promise<PiiEntityModel> {
    const config = await readConfig(dir);
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, 'model.onnx'));
    } catch (cause) {
      throw new SrError('ML_MODEL_MISSING', `PII entity model: cannot read ${join(dir, 'model.onnx')}`, {
        cause,
      });
    }
    let lexicon = EMPTY_LEXICON;
    if (config.lexicon) {
      try {
        lexicon = await loadLexicon(join(dir, config.lexicon));
      } catch (cause) {
        throw new SrError('ML_MODEL_CORRUPT', `PII entity model: cannot load ${join(dir, config.lexicon)}`, {
          cause,
        });
      }
    }
    try {
      const session = await ort.InferenceSession.create(bytes, {
        executionProviders: ['cpu'],
        intraOpNumThreads: 1,
      });
      return new PiiEntityModel(session, config, lexicon);
    } catch (cause) {
      throw new SrError(
        'ML_MODEL_CORRUPT',
        `PII entity model: onnxruntime cannot load ${join(dir, 'model.onnx')}`,
        { cause },
      );
    }
  }

  get labels(): readonly string[] {
    return this.config.labels;
  }

  /** Per-token probabilities [tokens × labels] for pre-computed feature ids. */
  async tokenProbs(ids: Int32Array, tokens: number): Promise<Float32Array> {
    const L = this.config.labels.length;
    const F = FEATURES_PER_TOKEN;
    const out = new Float32Array(tokens * L);
    for (let start = 0; start < tokens; start += MAX_TOKENS_PER_RUN) {
      const n = Math.min(MAX_TOKENS_PER_RUN, tokens - start);
      const feed = { ids: new ort.Tensor('int32', ids.subarray(start * F, (start + n) * F), [n, F]) };
      const res = await this.session.run(feed);
      out.set(res['probs']!.data as Float32Array, start * L);
    }
    return out;
  }

  /** Entity spans for each text; all texts go through one packed ONNX run (micro-batching). */
  async predictBatch(texts: readonly string[]): Promise<EntitySpan[][]> {
    const toks: PiiToken[][] = texts.map((t) => tokenize(t));
    const total = toks.reduce((n, t) => n + t.length, 0);
    if (total === 0) return texts.map(() => []);
    const F = FEATURES_PER_TOKEN;
    const L = this.config.labels.length;
    const ids = new Int32Array(total * F);
    let offset = 0;
    for (const t of toks) {
      featurizeInto(t, this.config.buckets, this.lexicon, ids, offset * F);
      offset += t.length;
    }
    const probs = await this.tokenProbs(ids, total);
    offset = 0;
    return toks.map((t) => {
      const p = probs.subarray(offset * L, (offset + t.length) * L);
      offset += t.length;
      return decode(t, p, this.config.labels);
    });
  }

  async predict(text: string): Promise<EntitySpan[]> {
    const [spans] = await this.predictBatch([text]);
    return spans ?? [];
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/** BIO decoding of one text's token probabilities into character spans. */
export function decode(
  tokens: readonly PiiToken[],
  probs: Float32Array,
  labels: readonly string[],
): EntitySpan[] {
  const logp = new Float32Array(probs.length);
  for (let i = 0; i < probs.length; i++) logp[i] = Math.log(Math.max(probs[i]!, 1e-12));
  const path = viterbiBio(logp, tokens.length, labels);
  return bioToSpans(tokens, path, probs, labels);
}
