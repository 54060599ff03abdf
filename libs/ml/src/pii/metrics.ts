import type { LabelledSpan } from './labels';
import { tokenize } from './tokenize';

export interface Prf {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

function prf(tp: number, fp: number, fn: number): Prf {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
}

/** Per-type scores plus `ALL` (micro-average over the listed types). */
export type PrfByType = Record<string, Prf>;

/** Shrinks a span to exclude surrounding whitespace, so "  Paris" and "Paris" compare equal. */
export function trimSpan<T extends LabelledSpan>(text: string, s: T): T {
  let { start, end } = s;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return { ...s, start, end };
}

interface Case {
  text: string;
  gold: readonly LabelledSpan[];
  pred: readonly LabelledSpan[];
}

function finish(counts: Map<string, [number, number, number]>, types: readonly string[]): PrfByType {
  const out: PrfByType = {};
  let T = 0;
  let P = 0;
  let N = 0;
  for (const t of types) {
    const [tp, fp, fn] = counts.get(t) ?? [0, 0, 0];
    out[t] = prf(tp, fp, fn);
    T += tp;
    P += fp;
    N += fn;
  }
  out['ALL'] = prf(T, P, N);
  return out;
}

/** Exact span match: type, start and end (after trimming whitespace) must all agree. */
export function spanPrf(cases: readonly Case[], types: readonly string[]): PrfByType {
  const counts = new Map<string, [number, number, number]>(types.map((t) => [t, [0, 0, 0]]));
  const bump = (t: string, i: 0 | 1 | 2): void => {
    const c = counts.get(t);
    if (c) c[i]++;
  };
  for (const c of cases) {
    const key = (s: LabelledSpan): string => `${s.type}:${s.start}:${s.end}`;
    const gold = new Set(c.gold.map((s) => key(trimSpan(c.text, s))));
    const pred = new Set(c.pred.map((s) => key(trimSpan(c.text, s))));
    for (const k of pred) bump(k.split(':')[0]!, gold.has(k) ? 0 : 1);
    for (const k of gold) if (!pred.has(k)) bump(k.split(':')[0]!, 2);
  }
  return finish(counts, types);
}

/**
 * Token-level scores (presidio-research's evaluator works this way): every word token gets the type of
 * the span covering it or O; adjacent same-type spans ("20789" + "Allika 46") count the same as one.
 */
export function tokenPrf(cases: readonly Case[], types: readonly string[]): PrfByType {
  const counts = new Map<string, [number, number, number]>(types.map((t) => [t, [0, 0, 0]]));
  const typeAt = (spans: readonly LabelledSpan[], start: number, end: number): string => {
    for (const s of spans) if (s.start < end && s.end > start && types.includes(s.type)) return s.type;
    return 'O';
  };
  for (const c of cases) {
    for (const tok of tokenize(c.text)) {
      const g = typeAt(c.gold, tok.start, tok.end);
      const p = typeAt(c.pred, tok.start, tok.end);
      if (g === p) {
        if (g !== 'O') counts.get(g)![0]++;
        continue;
      }
      if (p !== 'O') counts.get(p)![1]++;
      if (g !== 'O') counts.get(g)![2]++;
    }
  }
  return finish(counts, types);
}

/** Renders a per-type table for the eval CLI and docs. */
export function formatPrfTable(title: string, byType: PrfByType): string {
  const rows = Object.entries(byType).map(
    ([t, m]) =>
      `  ${t.padEnd(16)} P ${m.precision.toFixed(3)}  R ${m.recall.toFixed(3)}  F1 ${m.f1.toFixed(3)}  (tp ${m.tp}, fp ${m.fp}, fn ${m.fn})`,
  );
  return [title, ...rows].join('\n');
}
