import type { PiiSpan, Recognizer } from '../types';

const MONTHS =
  'Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?';
const TIME = '(?:[ T](?:[01]?\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?';

interface DatePattern {
  re: RegExp;
  score: number;
  /** Returns false for impossible dates (month 13, day 32). */
  check?: (m: RegExpMatchArray) => boolean;
}

const DIGIT = /\d/;

const day = (d: string | undefined): boolean => Number(d) >= 1 && Number(d) <= 31;
const month = (m: string | undefined): boolean => Number(m) >= 1 && Number(m) <= 12;

// Cheap, unambiguous shapes only; years alone, weekdays and "next week" are left to the entity model.
const PATTERNS: DatePattern[] = [
  {
    re: new RegExp(`(?<![\\w.-])(\\d{4})-(\\d{2})-(\\d{2})${TIME}(?![\\w])`, 'g'),
    score: 0.85,
    check: (m) => month(m[2]) && day(m[3]),
  },
  {
    re: /(?<![\w./-])(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})(?![\w/]|\.\d)/g,
    score: 0.6,
    check: (m) => (month(m[1]) && day(m[2])) || (day(m[1]) && month(m[2])),
  },
  {
    re: /(?<![\w.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\w]|\.\d)/g,
    score: 0.6,
    check: (m) => day(m[1]) && month(m[2]),
  },
  { re: new RegExp(`\\b(?:${MONTHS})\\.? \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}\\b`, 'gi'), score: 0.85 },
  { re: new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:${MONTHS})\\.?,? \\d{4}\\b`, 'gi'), score: 0.85 },
];

export const dateTimeRecognizer: Recognizer = {
  type: 'DATE_TIME',
  find(text: string): PiiSpan[] {
    const out: PiiSpan[] = [];
    if (!DIGIT.test(text)) return out; // every pattern has a digit in it
    for (const p of PATTERNS) {
      for (const m of text.matchAll(p.re)) {
        if (p.check && !p.check(m)) continue;
        out.push({ type: 'DATE_TIME', start: m.index, end: m.index + m[0].length, score: p.score });
      }
    }
    return out;
  },
};
