import { messageText, SrError, type ChatMessage, type GuardCheckReply, type RouterConfig } from '@sr/shared';

/** One entity found in one text (character offsets, end exclusive). */
export interface PiiEntity {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly score: number;
}

/** Finds PII in a text; the PII module's detector behind a narrow interface. */
export interface PiiFinder {
  detect(text: string): Promise<readonly PiiEntity[]> | readonly PiiEntity[];
  close?(): Promise<void> | void;
}

export type PiiResult = NonNullable<GuardCheckReply['pii']>;

/** PII detection over a request's messages, with typed placeholders consistent across messages. */
export class PiiGuard {
  constructor(private readonly finder: PiiFinder) {}

  async check(messages: readonly ChatMessage[]): Promise<PiiResult> {
    const texts = messages.map((m) => messageText(m));
    const found = await Promise.all(texts.map((t) => (t ? this.finder.detect(t) : [])));
    const spans: PiiResult['spans'] = [];
    const redacted: PiiResult['redacted'] = [];
    const placeholders: Record<string, string> = {};
    // The same value gets the same placeholder everywhere in the request; numbering is per type.
    const byValue = new Map<string, string>();
    const perType = new Map<string, number>();
    const placeholderFor = (type: string, value: string): string => {
      const key = `${type}\u0000${value}`;
      let ph = byValue.get(key);
      if (!ph) {
        const n = (perType.get(type) ?? 0) + 1;
        perType.set(type, n);
        ph = `<${type}_${n}>`;
        byValue.set(key, ph);
        placeholders[ph] = value;
      }
      return ph;
    };
    texts.forEach((text, messageIndex) => {
      const entities = [...(found[messageIndex] ?? [])].sort((a, b) => a.start - b.start);
      if (entities.length === 0) return;
      let out = '';
      let cursor = 0;
      for (const e of entities) {
        if (e.start < cursor || e.end <= e.start || e.end > text.length) continue; // overlaps were merged upstream
        spans.push({ type: e.type, start: e.start, end: e.end, score: e.score, messageIndex });
        out += text.slice(cursor, e.start) + placeholderFor(e.type, text.slice(e.start, e.end));
        cursor = e.end;
      }
      redacted.push({ messageIndex, content: out + text.slice(cursor) });
    });
    const types = [...new Set(spans.map((s) => s.type))].sort();
    return { spans, types, redacted, placeholders };
  }

  async close(): Promise<void> {
    await this.finder.close?.();
  }
}

/** Loads the PII detector configured in `guards.pii`. */
export async function loadPiiGuard(
  config: RouterConfig['guards']['pii'],
  at: (dir: string) => string,
): Promise<PiiGuard> {
  void config;
  void at;
  throw new SrError('ML_MODEL_MISSING', 'the PII detector is not available in this build yet');
}
