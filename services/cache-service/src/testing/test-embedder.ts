import { createHash } from 'node:crypto';
import type { Embedder, Verdict, Verifier } from '../types';

const STOPWORDS = new Set([
  'a',
  'an',
  'the',
  'to',
  'do',
  'does',
  'i',
  'my',
  'me',
  'can',
  'how',
  'please',
  'of',
  'is',
]);

/**
 * A deterministic TEST embedder (not a model): feature-hashed bag of words over the first
 * `maxTokens` whitespace tokens (numbers merged into one feature), so paraphrases that share
 * content words are close, and two
 * texts sharing their first `maxTokens` tokens get the same vector, like a truncating encoder.
 */
export class HashingTestEmbedder implements Embedder {
  readonly id: string;

  constructor(
    readonly dimension = 64,
    private readonly maxTokens = 512,
  ) {
    this.id = `hashing-test-embedder-${dimension}-${maxTokens}`;
  }

  truncates(text: string): boolean {
    return text.split(/\s+/).filter(Boolean).length > this.maxTokens;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }

  private embedOne(text: string): Float32Array {
    const v = new Float32Array(this.dimension);
    const tokens = text.split(/\s+/).filter(Boolean).slice(0, this.maxTokens);
    for (const raw of tokens) {
      const word = raw.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
      if (!word || STOPWORDS.has(word)) continue;
      // Numbers all land on one feature, as they do close together in a real encoder's space:
      // telling "5 miles" from "7 miles" is the verifier's job.
      const feature = /^\d+$/.test(word) ? '<number>' : word;
      const h = createHash('sha1').update(feature).digest();
      v[h.readUInt32LE(0) % this.dimension]! += h[4]! & 1 ? 1 : -1;
    }
    return v;
  }
}

/** A TEST verifier: rejects pairs whose numbers differ or where only one side negates. */
export class NumbersTestVerifier implements Verifier {
  verify(query: string, candidate: string): Verdict {
    const numbers = (t: string) => (t.match(/\d+(?:\.\d+)?/g) ?? []).sort().join(',');
    if (numbers(query) !== numbers(candidate)) return { ok: false, reason: 'numbers' };
    const negated = (t: string) => /\b(not|no|never)\b|n't\b/i.test(t);
    if (negated(query) !== negated(candidate)) return { ok: false, reason: 'negation' };
    return { ok: true };
  }
}
