import type { PiiSpan, Recognizer } from '../types';

/** Luhn (mod 10) checksum over a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// Issuer prefixes (IIN ranges) with the lengths they issue: Visa, Mastercard (51-55, 2221-2720), Amex,
// Discover, Diners, JCB (incl. the old 1800/2131), Maestro (incl. the 0604/6390 ranges faker uses),
// UnionPay, RuPay, Mir.
const ISSUERS: { re: RegExp; lengths: readonly number[] }[] = [
  { re: /^4/, lengths: [13, 16, 19] },
  { re: /^(5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/, lengths: [16] },
  { re: /^3[47]/, lengths: [15] },
  { re: /^(6011|64[4-9]|65)/, lengths: [16, 19] },
  { re: /^(30[0-5]|3095|36|38|39)/, lengths: [14, 16, 19] },
  { re: /^(35|1800|2131)/, lengths: [15, 16, 19] },
  { re: /^(50|5[6-8]|6304|6390|67|0604)/, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { re: /^62/, lengths: [16, 17, 18, 19] },
  { re: /^(60|81|82|508)/, lengths: [16] },
  { re: /^220[0-4]/, lengths: [16, 17, 18, 19] },
];

export function knownIssuer(digits: string): boolean {
  return ISSUERS.some((i) => i.re.test(digits) && i.lengths.includes(digits.length));
}

// 12-19 digits, optionally grouped by single spaces or dashes (4-4-4-4, 4-6-5, …).
const CARD_RE = /(?<![\w.,-])\d(?:[ -]?\d){11,18}(?![\w]|[.,-]\d)/g;

export const creditCardRecognizer: Recognizer = {
  type: 'CREDIT_CARD',
  find(text: string): PiiSpan[] {
    const out: PiiSpan[] = [];
    for (const m of text.matchAll(CARD_RE)) {
      const raw = m[0];
      const digits = raw.replace(/[ -]/g, '');
      // Separators must be used consistently (all spaces or all dashes), as printed on cards.
      if (/ /.test(raw) && /-/.test(raw)) continue;
      if (!luhnValid(digits) || !knownIssuer(digits)) continue;
      if (/^(\d)\1+$/.test(digits)) continue;
      // Short Maestro-style numbers collide with ordinary 12-digit ids: keep them below threshold
      // unless a context word ("card") lifts them.
      const score = digits.length >= 14 ? 0.9 : digits.length === 13 ? 0.7 : 0.45;
      out.push({ type: 'CREDIT_CARD', start: m.index, end: m.index + raw.length, score });
    }
    return out;
  },
};
