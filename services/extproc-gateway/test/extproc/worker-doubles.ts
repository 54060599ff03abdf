/**
 * TEST DOUBLES of the guard worker, classifier worker and cache service. They serve the real
 * subjects with the real contracts (validated both ways by `serve`) over a real bus, so the
 * gateway's pipeline and the ExtProc server under test are the production code; only the
 * models behind the subjects are replaced by keyword rules, to keep these transport tests
 * fast and deterministic.
 */
import {
  cacheLookup,
  cacheStore,
  classify,
  guardCheck,
  messageText,
  serve,
  type Bus,
  type CacheStoreRequest,
  type CachedCompletion,
  type Subscription,
} from '@sr/shared';

export const JAILBREAK_MARKER = 'ignore all previous instructions';
/** The one PII value the guard double detects, and its placeholder. */
export const PII_EMAIL = 'alice@example.com';
export const PII_PLACEHOLDER = '<EMAIL_ADDRESS_1>';

export interface WorkerDoubles {
  /** Cache writes the gateway made, in order. */
  stores: CacheStoreRequest[];
  /** Guard calls seen. */
  guardCalls: number;
  /** When set, the guard double waits this long before answering (cancellation tests). */
  guardDelayMs: number;
  /** When true, the guard double never answers (timeouts). */
  guardHangs: boolean;
  close(): void;
}

export function startWorkerDoubles(bus: Bus): WorkerDoubles {
  const cache = new Map<string, CachedCompletion>();
  const subs: Subscription[] = [];
  const state: WorkerDoubles = {
    stores: [],
    guardCalls: 0,
    guardDelayMs: 0,
    guardHangs: false,
    close: () => subs.forEach((s) => void s.drain()),
  };

  subs.push(
    serve(bus, guardCheck, async (req) => {
      state.guardCalls += 1;
      if (state.guardHangs) await new Promise(() => undefined);
      if (state.guardDelayMs > 0) await new Promise((r) => setTimeout(r, state.guardDelayMs));
      const hit = req.messages.findIndex((m) => messageText(m).toLowerCase().includes(JAILBREAK_MARKER));
      const piiAt = req.messages.findIndex((m) => messageText(m).includes(PII_EMAIL));
      const piiText = piiAt >= 0 ? messageText(req.messages[piiAt]!) : '';
      return {
        jailbreak:
          hit >= 0
            ? { status: 'detected' as const, score: 0.99, threshold: 0.5, messageIndex: hit, via: 'plain' }
            : { status: 'clean' as const, score: 0.01, threshold: 0.5 },
        pii:
          piiAt < 0
            ? null
            : {
                spans: [
                  {
                    type: 'EMAIL_ADDRESS',
                    start: piiText.indexOf(PII_EMAIL),
                    end: piiText.indexOf(PII_EMAIL) + PII_EMAIL.length,
                    score: 0.99,
                    messageIndex: piiAt,
                  },
                ],
                types: ['EMAIL_ADDRESS'],
                redacted: [{ messageIndex: piiAt, content: piiText.replace(PII_EMAIL, PII_PLACEHOLDER) }],
                placeholders: { [PII_PLACEHOLDER]: PII_EMAIL },
              },
      };
    }),
  );

  subs.push(
    serve(bus, classify, async (req) => {
      const text = req.messages
        .map((m) => messageText(m))
        .join(' ')
        .toLowerCase();
      const math = /integral|derivative|equation/.test(text);
      return {
        domain: { label: math ? 'math' : 'other', score: 0.9 },
        intent: null,
        custom: null,
        tools: null,
      };
    }),
  );

  subs.push(
    serve(bus, cacheLookup, async (req) => {
      const hit = cache.get(req.exactKey);
      return hit
        ? {
            status: 'hit' as const,
            kind: 'exact' as const,
            similarity: 1,
            entryId: req.exactKey.slice(0, 12),
            response: hit,
          }
        : { status: 'miss' as const, reason: 'empty' };
    }),
  );

  subs.push(
    serve(bus, cacheStore, async (req) => {
      state.stores.push(req);
      cache.set(req.exactKey, req.response);
      return { status: 'stored' as const, entryId: req.exactKey.slice(0, 12) };
    }),
  );

  return state;
}
