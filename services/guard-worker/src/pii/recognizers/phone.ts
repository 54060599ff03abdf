import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import type { PiiSpan, Recognizer } from '../types';

/** Regions tried for numbers written without a country code, most common first. */
export const DEFAULT_PHONE_REGIONS: readonly string[] = [
  'US',
  'GB',
  'CA',
  'AU',
  'IN',
  'DE',
  'FR',
  'ES',
  'IT',
  'NL',
  'BE',
  'CH',
  'AT',
  'SE',
  'NO',
  'DK',
  'FI',
  'IS',
  'GL',
  'PL',
  'CZ',
  'SK',
  'HU',
  'SI',
  'HR',
  'PT',
  'IE',
  'GR',
  'CY',
  'EE',
  'BR',
  'MX',
  'AR',
  'JP',
  'CN',
  'KR',
  'RU',
  'UA',
  'TR',
  'IL',
  'ZA',
  'NZ',
  'SG',
];

// A run that could hold a phone number: optional + or (, digits with common separators, an optional
// extension. Cheap pre-filter so libphonenumber only sees plausible stretches of text.
const CANDIDATE_RE = /(?<![\w+])(?:\+|\(\+?)?\d[\d ().\-/]{4,22}\d(?:\s?(?:x|ext\.?|#)\s?\d{1,6})?(?![\w])/gi;

// Dates and times share the shape of short numbers ("2021-03-04", "12/05/2020 10:30").
const DATE_LIKE =
  /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?$/;

interface Found {
  start: number;
  end: number;
  valid: boolean;
  international: boolean;
}

/**
 * Phone numbers via libphonenumber-js (full metadata). A candidate is tried against each region until
 * one parses it as a valid number; numbers with a leading + need no region. Valid numbers score 0.6,
 * merely possible ones 0.4 (a context word such as "phone" or "call" lifts either over the threshold).
 */
export function createPhoneRecognizer(regions: readonly string[] = DEFAULT_PHONE_REGIONS): Recognizer {
  const countries = regions.map((r) => r.toUpperCase() as CountryCode);
  // Parsing a chunk against dozens of regions is the costly part; the same numbers recur (signatures,
  // repeated messages of a conversation), so results are memoised per recognizer (bounded).
  const memo = new Map<string, Found | undefined>();
  const cached = (chunk: string, parse: () => Found | undefined): Found | undefined => {
    if (memo.has(chunk)) return memo.get(chunk);
    const found = parse();
    if (memo.size >= 2048) memo.delete(memo.keys().next().value as string);
    memo.set(chunk, found);
    return found;
  };
  return {
    type: 'PHONE_NUMBER',
    find(text: string): PiiSpan[] {
      const out: PiiSpan[] = [];
      for (const m of text.matchAll(CANDIDATE_RE)) {
        const chunk = m[0];
        const digits = chunk.replace(/\D/g, '');
        if (digits.length < 6 || digits.length > 17 || DATE_LIKE.test(chunk.trim())) continue;
        if (!plausibleLayout(chunk, digits)) continue;
        const best = cached(chunk, () => bestParse(chunk, countries));
        if (!best) continue;
        // A leading + (or 00) is strong evidence on its own, even when the number is not valid
        // in libphonenumber's metadata (many fake or new ranges are merely "possible").
        const score = best.valid ? (best.international ? 0.75 : 0.6) : best.international ? 0.5 : 0.4;
        out.push({ type: 'PHONE_NUMBER', start: m.index + best.start, end: m.index + best.end, score });
      }
      return out;
    },
  };
}

/**
 * Rejects layouts phone numbers do not use: a bare run of fewer than ten digits (ids, counts, primes),
 * decimals ("48.8584"), and dotted groups that are not 2-4 digits each (versions, IPs).
 */
function plausibleLayout(chunk: string, digits: string): boolean {
  const trimmed = chunk.trim();
  if (!/^[+(]/.test(trimmed) && /^\d+$/.test(trimmed) && digits.length < 10) return false;
  // Short numbers without a country code are too often ids or house numbers ("58 2347").
  if (!/^(\+|\(\+|00)/.test(trimmed) && digits.length < 7) return false;
  // SSN (3-2-4) and postcode (5-3, 5-4) layouts are not phone layouts.
  if (/^\d{3}[- ]\d{2}[- ]\d{4}$/.test(trimmed) || /^\d{5}-\d{3,4}$/.test(trimmed)) return false;
  if (trimmed.includes('.')) {
    if (/^\d+\.\d+$/.test(trimmed)) return false;
    const groups = trimmed.replace(/^\+/, '').split(/[.\s-]+/);
    if (groups.some((g) => !/^\(?\d{2,4}\)?$/.test(g))) return false;
  }
  return true;
}

function bestParse(chunk: string, countries: readonly CountryCode[]): Found | undefined {
  let possible: Found | undefined;
  // "00" is the international call prefix in most of the world: read "0044 20…" as "+44 20…".
  const idd = /^00[1-9]/.test(chunk);
  const text = idd ? `+${chunk.slice(2)}` : chunk;
  const shift = idd ? 1 : 0;
  const international = idd || /^\(?\+/.test(chunk);
  const tries: readonly (CountryCode | undefined)[] = international ? [undefined] : countries;
  for (const country of tries) {
    let found;
    try {
      found = findPhoneNumbersInText(
        text,
        country ? { defaultCountry: country, extended: true } : { extended: true },
      );
    } catch {
      continue;
    }
    for (const f of found) {
      // The number must cover most of the candidate, so a date or an id with a phone-like tail is skipped.
      const covered = text.slice(f.startsAt, f.endsAt).replace(/\D/g, '').length;
      if (covered < text.replace(/\D/g, '').length - 1) continue;
      // Offsets map back to the original chunk ("+" replaced "00": one character shorter).
      const start = f.startsAt === 0 ? 0 : f.startsAt + shift;
      const hit = { start, end: f.endsAt + shift, valid: f.number.isValid(), international };
      if (hit.valid) return hit;
      if (!possible && f.number.isPossible()) possible = hit;
    }
  }
  return possible;
}
