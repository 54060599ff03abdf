import type { PiiToken } from './tokenize';

/** Entity types the token-classification model predicts (Presidio names). */
export const MODEL_ENTITY_TYPES = [
  'PERSON',
  'LOCATION',
  'ORGANIZATION',
  'STREET_ADDRESS',
  'DATE_TIME',
] as const;
export type ModelEntityType = (typeof MODEL_ENTITY_TYPES)[number];

/** BIO label list: index 0 is `O`, then `B-X`, `I-X` for each type in order. */
export function bioLabels(types: readonly string[]): string[] {
  return ['O', ...types.flatMap((t) => [`B-${t}`, `I-${t}`])];
}

/** A character span produced by the model or a recognizer. `end` is exclusive. */
export interface EntitySpan {
  type: string;
  start: number;
  end: number;
  score: number;
}

/** Gold or predicted span on a text; used for labelling tokens. */
export interface LabelledSpan {
  type: string;
  start: number;
  end: number;
}

/** Labels each token from character spans: a token overlapping a span is B on the span's first token, I after. */
export function spansToBio(
  tokens: readonly PiiToken[],
  spans: readonly LabelledSpan[],
  labels: readonly string[],
): number[] {
  const index = new Map(labels.map((l, i) => [l, i]));
  const out = new Array<number>(tokens.length).fill(0);
  for (const span of spans) {
    let first = true;
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i]!;
      if (tok.end <= span.start || tok.start >= span.end) continue;
      const id = index.get(`${first ? 'B' : 'I'}-${span.type}`);
      if (id === undefined) break; // a type the model does not learn stays O
      out[i] = id;
      first = false;
    }
  }
  return out;
}

/**
 * Constrained Viterbi over per-token log-probabilities: `I-X` may only follow `B-X` or `I-X`, so every
 * decoded sequence is valid BIO. `logProbs` is row-major [tokens × labels].
 */
export function viterbiBio(logProbs: Float32Array, numTokens: number, labels: readonly string[]): number[] {
  const L = labels.length;
  if (numTokens === 0) return [];
  // allowed[prev * L + cur]
  const allowed = new Uint8Array(L * L);
  const startAllowed = new Uint8Array(L);
  for (let c = 0; c < L; c++) {
    const cur = labels[c]!;
    startAllowed[c] = cur.startsWith('I-') ? 0 : 1;
    for (let p = 0; p < L; p++) {
      const prev = labels[p]!;
      const ok = !cur.startsWith('I-') || prev.slice(2) === cur.slice(2);
      allowed[p * L + c] = ok ? 1 : 0;
    }
  }
  let score = new Float64Array(L);
  const back = new Int32Array(numTokens * L);
  for (let c = 0; c < L; c++) score[c] = startAllowed[c] ? logProbs[c]! : -Infinity;
  for (let t = 1; t < numTokens; t++) {
    const next = new Float64Array(L);
    for (let c = 0; c < L; c++) {
      let best = -Infinity;
      let arg = 0;
      for (let p = 0; p < L; p++) {
        if (!allowed[p * L + c]) continue;
        const s = score[p]!;
        if (s > best) {
          best = s;
          arg = p;
        }
      }
      next[c] = best + logProbs[t * L + c]!;
      back[t * L + c] = arg;
    }
    score = next;
  }
  let last = 0;
  for (let c = 1; c < L; c++) if (score[c]! > score[last]!) last = c;
  const path = new Array<number>(numTokens);
  path[numTokens - 1] = last;
  for (let t = numTokens - 1; t > 0; t--) path[t - 1] = back[t * L + path[t]!]!;
  return path;
}

/**
 * Turns a BIO path into character spans. A span's score is the mean probability of its tokens' labels,
 * so one unsure token pulls the whole entity down.
 */
export function bioToSpans(
  tokens: readonly PiiToken[],
  path: readonly number[],
  probs: Float32Array,
  labels: readonly string[],
): EntitySpan[] {
  const L = labels.length;
  const spans: EntitySpan[] = [];
  let cur: { type: string; start: number; end: number; sum: number; n: number } | undefined;
  const flush = (): void => {
    if (cur) spans.push({ type: cur.type, start: cur.start, end: cur.end, score: cur.sum / cur.n });
    cur = undefined;
  };
  for (let i = 0; i < tokens.length; i++) {
    const label = labels[path[i]!]!;
    const p = probs[i * L + path[i]!]!;
    const tok = tokens[i]!;
    if (label.startsWith('B-')) {
      flush();
      cur = { type: label.slice(2), start: tok.start, end: tok.end, sum: p, n: 1 };
    } else if (label.startsWith('I-') && cur && cur.type === label.slice(2)) {
      cur.end = tok.end;
      cur.sum += p;
      cur.n++;
    } else {
      flush();
    }
  }
  flush();
  return spans;
}
