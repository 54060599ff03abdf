import { resolve } from 'node:path';
import { SentenceEncoder, type SentenceEncoderOptions } from '../encoder/sentence-encoder';

/**
 * One sentence encoder per model directory per process, with a small memo of recent embeddings.
 *
 * In embedded mode the cache service and the classifier worker live in one process and embed the
 * same user turn up to three times per request (cache lookup, custom categories / tools, cache
 * store after the answer). Sharing the loaded model saves its memory; the memo makes the repeats
 * free. Each service still holds its own handle and closes it; the session is released with the last.
 */
export interface SharedEncoder {
  readonly encoder: SentenceEncoder;
  /** Embeddings of `texts` (fresh arrays the caller may keep), memoised by exact text. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** Texts remembered per encoder; a few milliseconds of traffic, well under 1 MB at 256 dims. */
const MEMO_ENTRIES = 512;
/** Longer texts are embedded every time (rarely repeated, and they would crowd out the memo). */
const MEMO_MAX_CHARS = 4096;

interface Entry {
  encoder: Promise<SentenceEncoder>;
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
    entry = { encoder: SentenceEncoder.load(dir, options), refs: 0, memo: new Map() };
    open.set(key, entry);
    // A failed load must not poison the next attempt.
    entry.encoder.catch(() => {
      if (open.get(key) === entry) open.delete(key);
    });
  }
  entry.refs++;
  let encoder: SentenceEncoder;
  try {
    encoder = await entry.encoder;
  } catch (err) {
    entry.refs--;
    throw err;
  }
  const shared = entry;
  let closed = false;
  return {
    encoder,
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
  encoder: SentenceEncoder,
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
