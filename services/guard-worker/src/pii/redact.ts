import type { PiiSpan } from './types';

/** Placeholder → original value. Contains PII: never log it. */
export type RedactionMapping = Record<string, string>;

export interface RedactionResult {
  text: string;
  mapping: RedactionMapping;
}

/**
 * Replaces each span with a typed placeholder (`<EMAIL_ADDRESS_1>`, `<PERSON_2>`). The same value gets
 * the same placeholder, also across calls when the previous mapping is passed in (one request's
 * messages share numbering). Overlapping spans must be merged first; an overlap throws.
 */
export function redact(
  text: string,
  spans: readonly PiiSpan[],
  previous: RedactionMapping = {},
): RedactionResult {
  const mapping: RedactionMapping = { ...previous };
  const byValue = new Map<string, string>();
  const counters = new Map<string, number>();
  for (const [placeholder, value] of Object.entries(mapping)) {
    const m = /^<([A-Z_]+)_(\d+)>$/.exec(placeholder);
    if (!m) continue;
    byValue.set(`${m[1]}\u0000${value}`, placeholder);
    counters.set(m[1]!, Math.max(counters.get(m[1]!) ?? 0, Number(m[2])));
  }
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let out = '';
  let last = 0;
  for (const s of sorted) {
    if (s.start < last) throw new Error(`redact: spans overlap at ${s.start}; merge them first`);
    if (s.start < 0 || s.end > text.length || s.end <= s.start)
      throw new Error(`redact: span ${s.start}-${s.end} is outside the text (length ${text.length})`);
    const value = text.slice(s.start, s.end);
    const key = `${s.type}\u0000${value}`;
    let placeholder = byValue.get(key);
    if (!placeholder) {
      const n = (counters.get(s.type) ?? 0) + 1;
      counters.set(s.type, n);
      placeholder = `<${s.type}_${n}>`;
      byValue.set(key, placeholder);
      mapping[placeholder] = value;
    }
    out += text.slice(last, s.start) + placeholder;
    last = s.end;
  }
  out += text.slice(last);
  return { text: out, mapping };
}

/** Puts original values back for every known placeholder; unknown placeholders are left as they are. */
export function restore(text: string, mapping: RedactionMapping): string {
  return text.replace(/<[A-Z_]+_\d+>/g, (p) => (Object.hasOwn(mapping, p) ? mapping[p]! : p));
}
