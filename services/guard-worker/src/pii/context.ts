import type { PiiSpan } from './types';

/** Words that make a nearby match more likely to be the entity (Presidio's context enhancement). */
export const CONTEXT_WORDS: Readonly<Record<string, readonly string[]>> = {
  PHONE_NUMBER: [
    'desk',
    'home',
    'work',
    'hotline',
    'telefon',
    'phone-number',
    'phone',
    'telephone',
    'tel',
    'cell',
    'cellphone',
    'mobile',
    'call',
    'fax',
    'contact',
    'number',
    'whatsapp',
    'sms',
    'text',
    'office',
    'reach',
    'dial',
    'landline',
    'registered',
    'ph',
  ],
  CREDIT_CARD: [
    'card',
    'credit',
    'debit',
    'visa',
    'mastercard',
    'amex',
    'cc',
    'payment',
    'pay',
    'expires',
    'expiry',
    'cvv',
    'maestro',
    'discover',
    'jcb',
  ],
  US_SSN: ['ssn', 'social', 'security', 'ssns', 'ss', 'ssn#', 'tax', 'taxpayer'],
  IBAN_CODE: ['iban', 'bank', 'account', 'transfer', 'wire', 'sepa', 'acct'],
  IP_ADDRESS: ['ip', 'ipv4', 'ipv6', 'address', 'server', 'host', 'router', 'gateway', 'connected', 'login'],
  EMAIL_ADDRESS: ['email', 'mail', 'e-mail', 'contact'],
  URL: ['website', 'site', 'url', 'link', 'visit', 'homepage', 'web', 'domain', 'http', 'https'],
  DATE_TIME: ['born', 'birthday', 'birth', 'dob', 'date', 'on', 'since', 'until', 'expires'],
};

/**
 * Words that mark a number as something else (an order id, an ISBN, a version). They lower the score
 * of number-shaped entities so benign texts full of numbers stay clean.
 */
export const NEGATIVE_WORDS: readonly string[] = [
  'order',
  'orders',
  'invoice',
  'tracking',
  'isbn',
  'version',
  'ver',
  'v',
  'build',
  'sku',
  'ref',
  'reference',
  'serial',
  'part',
  'model',
  'ticket',
  'confirmation',
  'booking',
  'case',
  'issue',
  'item',
  'product',
  'batch',
  'lot',
  'receipt',
  'transaction',
  'txn',
  'shipment',
  'parcel',
  'release',
  'patch',
  'doi',
  'isin',
  'ean',
  'upc',
  'barcode',
  'population',
  'total',
  'sum',
  'score',
  'km',
  'miles',
  'kg',
  'usd',
  'eur',
  'rpm',
  'pages',
  'edition',
  'issn',
  'api',
  'firmware',
  'kernel',
  'prime',
  'root',
  'digits',
  'round',
  'latitude',
  'longitude',
  'port',
  'zip',
  'postcode',
  'zipcode',
  'cep',
  'postal',
];

const NUMERIC_TYPES = new Set(['PHONE_NUMBER', 'CREDIT_CARD', 'US_SSN', 'IP_ADDRESS', 'DATE_TIME']);

const WORD_RE = /[\p{L}\p{N}#]+(?:-[\p{L}\p{N}]+)*/gu;

// Context stops at sentence ends, so "…call 432 03 163. Order 7" does not mix the two sentences;
// a full stop followed by a digit or lower case ("Receipt no. 3344…") is an abbreviation.
const SENTENCE_END = /[.!?;](?=\s+[\p{Lu}"'(])|\n/gu;
const SENTENCE_END_RIGHT = /[.!?;](?=\s|$)|\n/u;

function wordsAround(text: string, start: number, end: number, before: number, after: number): string[] {
  let left = text.slice(Math.max(0, start - 80), start);
  const ends = [...left.matchAll(SENTENCE_END)];
  if (ends.length > 0) {
    const last = ends[ends.length - 1]!;
    left = left.slice(last.index + last[0].length);
  }
  let right = text.slice(end, end + 40);
  const stop = right.search(SENTENCE_END_RIGHT);
  if (stop >= 0) right = right.slice(0, stop);
  const words = (s: string): string[] => [...s.matchAll(WORD_RE)].map((m) => m[0].toLowerCase());
  return [...words(left).slice(-before), ...words(right).slice(0, after)];
}

export interface ContextOptions {
  /** Score added when a context word is near (Presidio uses 0.35). */
  boost?: number;
  /** Score removed when a negative word is near a number-shaped match. */
  penalty?: number;
  /** Words inspected before / after the match. */
  windowBefore?: number;
  windowAfter?: number;
  /** Only apply negative words (used for model spans, whose scores already reflect context). */
  negativeOnly?: boolean;
}

/** Applies context words (raise) and negative words (lower) to recognizer candidates. */
export function applyContext(
  text: string,
  spans: readonly PiiSpan[],
  options: ContextOptions = {},
): PiiSpan[] {
  const boost = options.boost ?? 0.35;
  const penalty = options.penalty ?? 0.4;
  const before = options.windowBefore ?? 6;
  const after = options.windowAfter ?? 2;
  return spans.map((s) => {
    const words = wordsAround(text, s.start, s.end, before, after);
    const positive = CONTEXT_WORDS[s.type] ?? [];
    let score = s.score;
    // A negative word wins over a positive one: in "order number 100234" the number is an id.
    const hasNegative = NUMERIC_TYPES.has(s.type) && words.some((w) => NEGATIVE_WORDS.includes(w));
    const hasPositive = words.some(
      (w) => positive.includes(w) || positive.some((p) => w.startsWith(p) && p.length >= 4),
    );
    if (hasNegative) score = Math.max(0, score - penalty);
    else if (hasPositive && !options.negativeOnly) score = Math.min(1, score + boost);
    return score === s.score ? s : { ...s, score };
  });
}
