import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  SentenceEncoder,
  type EncoderThresholds,
  type SentenceEncoderOptions,
} from '../encoder/sentence-encoder';
import { detectModelKind } from '../transformers/model-dir';
import { HfSentenceEmbedder } from '../transformers/sentence-embedder';

/**
 * One sentence encoder per model directory per process, with a small memo of recent embeddings.
 *
 * In embedded mode the cache service and the classifier worker live in one process and embed the
 * same user turn up to three times per request (cache lookup, custom categories / tools, cache
 * store after the answer). Sharing the loaded model saves its memory; the memo makes the repeats
 * free. Each service still holds its own handle and closes it; the session is released with the last.
 */
export interface SharedEncoder {
  /** `in-house`: the project's encoder (manifest.json); `hf`: a Hugging Face export (mean pooling). */
  readonly kind: 'in-house' | 'hf';
  /** Names the model and its version; cache entries embedded by another model never match. */
  readonly id: string;
  readonly dimension: number;
  /**
   * Cosine thresholds calibrated when the model was trained (in-house manifests). A Hugging Face
   * export has none: the config must give them (see docs/models/transformers.md).
   */
  readonly thresholds: EncoderThresholds | undefined;
  /** Embeddings of `texts` (fresh arrays the caller may keep), memoised by exact text. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** Texts remembered per encoder; a few milliseconds of traffic, well under 1 MB at 256 dims. */
const MEMO_ENTRIES = 512;
/** Longer texts are embedded every time (rarely repeated, and they would crowd out the memo). */
const MEMO_MAX_CHARS = 4096;

/** What a loaded model of either kind offers. */
interface LoadedEncoder {
  readonly kind: 'in-house' | 'hf';
  readonly id: string;
  readonly dimension: number;
  readonly thresholds: EncoderThresholds | undefined;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

async function loadEither(dir: string, options: SentenceEncoderOptions): Promise<LoadedEncoder> {
  if (detectModelKind(dir) === 'hf') {
    const hf = await HfSentenceEmbedder.load(dir, options);
    return {
      kind: 'hf',
      id: `hf:${basename(resolve(dir))}@${await hfFingerprint(dir)}`,
      dimension: hf.dimension,
      thresholds: undefined,
      embed: (texts) => hf.embed(texts),
      close: () => hf.close(),
    };
  }
  const enc = await SentenceEncoder.load(dir, options);
  const manifest = enc.manifest as { name: string; version?: string; model: { sha256?: string } };
  return {
    kind: 'in-house',
    id: `${manifest.name}@${manifest.model.sha256 ?? manifest.version ?? 'unversioned'}`,
    dimension: enc.dimension,
    thresholds: enc.thresholds,
    embed: (texts) => enc.embed(texts),
    close: () => enc.close(),
  };
}

/**
 * Identifies a Hugging Face export without hashing a possibly huge model file: its config and
 * tokenizer bytes plus the model's size. A changed export gets a new id, so cached vectors made
 * by the old one stop matching.
 */
async function hfFingerprint(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of ['config.json', 'tokenizer.json']) hash.update(await readFile(join(dir, file)));
  hash.update(String((await stat(join(dir, 'model.onnx')).catch(() => ({ size: -1 }))).size));
  return hash.digest('hex').slice(0, 16);
}

interface Entry {
  encoder: Promise<LoadedEncoder>;
  refs: number;
  memo: Map<string, Float32Array>;
}

const open = new Map<string, Entry>();

/**
 * Opens (or joins) the shared encoder for `dir`. Options must agree between callers sharing a
 * directory; the key includes the execution providers so a CPU and a CUDA session stay apart.
 */
export async function openSharedEncoder(
  dir: string,
  options: SentenceEncoderOptions = {},
): Promise<SharedEncoder> {
  const key = `${resolve(dir)}\u0000${JSON.stringify(options.executionProviders?.length ? options.executionProviders : ['cpu'])}`;
  let entry = open.get(key);
  if (!entry) {
    entry = { encoder: loadEither(dir, options), refs: 0, memo: new Map() };
    open.set(key, entry);
    // A failed load must not poison the next attempt.
    entry.encoder.catch(() => {
      if (open.get(key) === entry) open.delete(key);
    });
  }
  entry.refs++;
  let encoder: LoadedEncoder;
  try {
    encoder = await entry.encoder;
  } catch (err) {
    entry.refs--;
    throw err;
  }
  const shared = entry;
  let closed = false;
  return {
    kind: encoder.kind,
    id: encoder.id,
    dimension: encoder.dimension,
    thresholds: encoder.thresholds,
    embed: (texts) => embedMemoised(encoder, shared.memo, texts),
    async close() {
      if (closed) return;
      closed = true;
      if (--shared.refs > 0) return;
      if (open.get(key) === shared) open.delete(key);
      await encoder.close();
    },
  };
}

async function embedMemoised(
  encoder: LoadedEncoder,
  memo: Map<string, Float32Array>,
  texts: readonly string[],
): Promise<Float32Array[]> {
  if (!Array.isArray(texts)) return encoder.embed(texts); // let the encoder name the error
  const out: (Float32Array | undefined)[] = new Array<Float32Array | undefined>(texts.length);
  const missing: string[] = [];
  const missingAt: number[] = [];
  texts.forEach((text, i) => {
    const known = typeof text === 'string' ? memo.get(text) : undefined;
    if (known) {
      // Refresh its place in the insertion-ordered map (least recently used goes first).
      memo.delete(text);
      memo.set(text, known);
      out[i] = known.slice();
    } else {
      missing.push(text);
      missingAt.push(i);
    }
  });
  if (missing.length > 0) {
    const fresh = await encoder.embed(missing);
    fresh.forEach((vector, j) => {
      const text = missing[j] as string;
      out[missingAt[j] as number] = vector;
      if (text.length <= MEMO_MAX_CHARS) {
        memo.set(text, vector.slice());
        if (memo.size > MEMO_ENTRIES) memo.delete(memo.keys().next().value as string);
      }
    });
  }
  return out as Float32Array[];
}
