import figures from './data/public-figures.json';
import type { PiiSpan } from './types';

const PUBLIC_PEOPLE = new Set(figures.people.map((n) => normaliseName(n)));

function normaliseName(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]s$/u, '')
    .replace(/[^\p{L}\p{N} ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when a PERSON span names a well-known public or historical figure ("Napoleon", "Marie Curie"). */
export function isPublicFigure(name: string): boolean {
  return PUBLIC_PEOPLE.has(normaliseName(name));
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Longest names first so "Martin Luther King" wins over "Martin Luther".
const FIGURE_RE = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${[...figures.people]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|')})(?:['’]s)?(?![\\p{L}\\p{N}])`,
  'giu',
);

/**
 * Character ranges where public figures are named. Model spans overlapping them are dropped, also
 * when the model cut the name short ("Isaac" of "Isaac Newton") or typed it wrongly.
 */
export function publicFigureRanges(text: string): [number, number][] {
  return [...text.matchAll(FIGURE_RE)].map((m) => [m.index, m.index + m[0].length]);
}

const DATE_CONTEXT =
  /\b(born|birth|birthday|dob|date|expires?|expiry|deadline|due|appointment|meeting|scheduled|married|died|since)\b/i;
const WEAK_DATE =
  /^(?:\d{4}s?|(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:jan(?:uary)?|feb(?:ruary)?|march|april|june?|july?|aug(?:ust)?|sep(?:tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)|today|tomorrow|yesterday)$/i;

/**
 * A bare year, weekday or month ("in 1815", "on Friday") rarely identifies anyone; such model
 * DATE_TIME spans are scaled down unless a date word ("born", "birthday", "appointment") is near.
 */
export function weakDateFactor(text: string, span: PiiSpan): number {
  const value = text.slice(span.start, span.end).trim();
  if (!WEAK_DATE.test(value)) return 1;
  const around = text.slice(Math.max(0, span.start - 40), Math.min(text.length, span.end + 20));
  return DATE_CONTEXT.test(around) ? 1 : 0.5;
}
