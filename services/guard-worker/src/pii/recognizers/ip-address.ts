import { isIP } from 'node:net';
import type { PiiSpan, Recognizer } from '../types';

const DIGIT_DOT_DIGIT = /\d\.\d/;
const V4_RE = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/g;
// Hex groups and colons (at least two colons), optionally ending in a dotted IPv4 part; node:net decides.
const V6_RE = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/g;

export const ipAddressRecognizer: Recognizer = {
  type: 'IP_ADDRESS',
  find(text: string): PiiSpan[] {
    const out: PiiSpan[] = [];
    // What each pattern needs at least (a digit, a dot and a digit; two colons): most texts have neither.
    if (DIGIT_DOT_DIGIT.test(text))
      for (const m of text.matchAll(V4_RE)) {
        if (isIP(m[0]) !== 4) continue;
        out.push({ type: 'IP_ADDRESS', start: m.index, end: m.index + m[0].length, score: 0.85 });
      }
    const colon = text.indexOf(':');
    if (colon < 0 || text.indexOf(':', colon + 1) < 0) return out;
    for (const m of text.matchAll(V6_RE)) {
      const v = m[0];
      // "12:30:45" and "::" alone are not addresses worth flagging.
      if (isIP(v) !== 6 || v.replace(/:/g, '').length < 3) continue;
      out.push({ type: 'IP_ADDRESS', start: m.index, end: m.index + v.length, score: 0.9 });
    }
    return out;
  },
};
