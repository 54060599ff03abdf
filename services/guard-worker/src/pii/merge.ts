import type { PiiSpan } from './types';

/**
 * Resolves overlaps: spans are taken best first (higher score, then longer, then earlier) and a span
 * that overlaps one already taken is dropped. Same-type neighbours that touch are not joined: the
 * model already decides entity boundaries.
 */
export function mergeSpans(spans: readonly PiiSpan[]): PiiSpan[] {
  const order = [...spans].sort(
    (a, b) => b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: PiiSpan[] = [];
  for (const s of order) {
    if (s.end <= s.start) continue;
    if (kept.some((k) => s.start < k.end && s.end > k.start)) continue;
    kept.push(s);
  }
  return kept.sort((a, b) => a.start - b.start);
}
