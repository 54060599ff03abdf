import type { PiiSpan } from './types';

// Honorifics are not part of a name in presidio's annotation ("Mr. Petersen" → PERSON "Petersen").
const TITLE_RE = /^(?:(?:mr|mrs|ms|miss|mx|dr|prof|sir|dame|herr|frau|mme|mlle|m)\.?\s+)+/i;
const TITLE_ONLY_RE = /^(?:mr|mrs|ms|miss|mx|dr|prof|sir|dame|herr|frau|mme|mlle)\.?$/i;

/**
 * Cleans the entity model's spans before they meet the pattern recognizers:
 * - strips leading honorifics from PERSON spans and drops spans that are only a title;
 * - drops STREET_ADDRESS spans without a letter ("978", "12 500") unless an address or place span is
 *   right next to them (a building number or postcode inside an address block).
 */
export function cleanModelSpans(text: string, spans: readonly PiiSpan[]): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const s of spans) {
    const value = text.slice(s.start, s.end);
    if (s.type === 'PERSON') {
      if (TITLE_ONLY_RE.test(value.trim())) continue;
      const m = TITLE_RE.exec(value);
      if (m && m[0].length < value.length) {
        out.push({ ...s, start: s.start + m[0].length });
        continue;
      }
    }
    if (s.type === 'STREET_ADDRESS' && !/\p{L}/u.test(value)) {
      const near = spans.some(
        (o) =>
          o !== s &&
          (o.type === 'STREET_ADDRESS' || o.type === 'LOCATION') &&
          (Math.abs(o.start - s.end) <= 3 || Math.abs(s.start - o.end) <= 3),
      );
      if (!near) continue;
    }
    out.push(s);
  }
  return out;
}

/**
 * Pattern matches are validated (checksums, formats) and exact; where one overlaps a model span of
 * another type, the model span gives way ("12" as an address inside the date "12/03/2024").
 */
export function preferPatterns(patterns: readonly PiiSpan[], model: readonly PiiSpan[]): PiiSpan[] {
  // Phone readings are not strong enough: house numbers and postcodes look like phones in some region.
  const strong = patterns.filter((p) => p.type !== 'PHONE_NUMBER');
  return model.filter((m) => !strong.some((p) => p.type !== m.type && p.start < m.end && p.end > m.start));
}
