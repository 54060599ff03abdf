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

/** How a BIO label list constrains and decodes paths (computed once per label list). */
interface BioScheme {
  /** Per label: 0 = O (or any non-BIO label), 1 = B-X, 2 = I-X. */
  kind: Uint8Array;
  /** Per label: the entity type X of B-X / I-X ('' for O). */
  type: string[];
  /** Per label: the labels allowed right before it in ascending order, or undefined when all are. */
  prev: (Int32Array | undefined)[];
}

// Label lists are not changed after a model loads; the scheme is cached per list.
const SCHEMES = new WeakMap<readonly string[], BioScheme>();

function bioScheme(labels: readonly string[]): BioScheme {
  let scheme = SCHEMES.get(labels);
  if (scheme) return scheme;
  const L = labels.length;
  const kind = new Uint8Array(L);
  const type: string[] = [];
  for (let c = 0; c < L; c++) {
    const label = labels[c]!;
    kind[c] = label.startsWith('B-') ? 1 : label.startsWith('I-') ? 2 : 0;
    type.push(kind[c] ? label.slice(2) : '');
  }
  const prev: (Int32Array | undefined)[] = [];
  for (let c = 0; c < L; c++) {
    // I-X may only follow B-X or I-X (same X); anything may precede O and B-X.
    if (!labels[c]!.startsWith('I-')) {
      prev.push(undefined);
      continue;
    }
    const ok: number[] = [];
    for (let p = 0; p < L; p++) if (labels[p]!.slice(2) === labels[c]!.slice(2)) ok.push(p);
    prev.push(Int32Array.from(ok));
  }
  scheme = { kind, type, prev };
  SCHEMES.set(labels, scheme);
  return scheme;
}

/**
 * Constrained Viterbi over per-token log-probabilities: `I-X` may only follow `B-X` or `I-X`, so every
 * decoded sequence is valid BIO. `logProbs` is row-major [tokens × labels].
 *
 * O and B-X may follow any label, so their best predecessor is the one best overall (found once per
 * token); only I-X labels look at their two allowed predecessors. Ties go to the lower label index.
 */
export function viterbiBio(logProbs: Float32Array, numTokens: number, labels: readonly string[]): number[] {
  const L = labels.length;
  if (numTokens === 0) return [];
  const { kind, prev } = bioScheme(labels);
  let score = new Float64Array(L);
  let next = new Float64Array(L);
  const back = new Int32Array(numTokens * L);
  for (let c = 0; c < L; c++) score[c] = kind[c] !== 2 ? logProbs[c]! : -Infinity;
  for (let t = 1; t < numTokens; t++) {
    let top = -Infinity;
    let topArg = 0;
    for (let p = 0; p < L; p++) {
      if (score[p]! > top) {
        top = score[p]!;
        topArg = p;
      }
    }
    const row = t * L;
    for (let c = 0; c < L; c++) {
      const allowed = prev[c];
      let best = top;
      let arg = topArg;
      if (allowed !== undefined) {
        best = -Infinity;
        arg = 0;
        for (let k = 0; k < allowed.length; k++) {
          const p = allowed[k]!;
          if (score[p]! > best) {
            best = score[p]!;
            arg = p;
          }
        }
      }
      next[c] = best + logProbs[row + c]!;
      back[row + c] = arg;
    }
    const swap = score;
    score = next;
    next = swap;
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
  const { kind, type } = bioScheme(labels);
  const spans: EntitySpan[] = [];
  let curType = '';
  let start = 0;
  let end = 0;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < tokens.length; i++) {
    const label = path[i]!;
    const k = kind[label]!;
    if (k === 2 && n > 0 && curType === type[label]) {
      end = tokens[i]!.end;
      sum += probs[i * L + label]!;
      n++;
      continue;
    }
    if (n > 0) spans.push({ type: curType, start, end, score: sum / n });
    n = 0;
    if (k === 1) {
      const tok = tokens[i]!;
      curType = type[label]!;
      start = tok.start;
      end = tok.end;
      sum = probs[i * L + label]!;
      n = 1;
    }
  }
  if (n > 0) spans.push({ type: curType, start, end, score: sum / n });
  return spans;
}
