/**
 * Test doubles for the workers, served on the real subjects over a real bus. They answer from
 * simple rules (keywords, a regex), so the gateway's behaviour can be checked without models.
 */
import {
  cacheLookup,
  cacheStore,
  classify,
  guardCheck,
  messageText,
  serve,
  SrError,
  type Bus,
  type CacheStoreRequest,
  type CachedCompletion,
  type PiiSpan,
  type Subscription,
} from '@sr/shared';

export interface DoubleControls {
  guardDelayMs: number;
  guardFails: boolean;
  classifyDelayMs: number;
}

export interface WorkerDoubles {
  controls: DoubleControls;
  stores: CacheStoreRequest[];
  lookups: number;
  entries: Map<string, CachedCompletion>;
  /** Stops one double (simulates the worker being down: no responders). */
  stop(which: 'guard' | 'classify' | 'cache'): Promise<void>;
  stopAll(): Promise<void>;
}

const EMAIL = /[\w.+-]+@[\w-]+\.[\w.]+/g;

export function startWorkerDoubles(bus: Bus): WorkerDoubles {
  const controls: DoubleControls = { guardDelayMs: 0, guardFails: false, classifyDelayMs: 0 };
  const stores: CacheStoreRequest[] = [];
  const entries = new Map<string, CachedCompletion>();
  const subs = new Map<string, Subscription>();
  const doubles: WorkerDoubles = {
    controls,
    stores,
    lookups: 0,
    entries,
    async stop(which) {
      for (const key of which === 'cache' ? ['cache', 'cache-store'] : [which]) {
        await subs.get(key)?.drain();
        subs.delete(key);
      }
    },
    async stopAll() {
      for (const s of subs.values()) await s.drain();
      subs.clear();
    },
  };

  subs.set(
    'guard',
    serve(bus, guardCheck, async (req) => {
      if (controls.guardDelayMs) await new Promise((r) => setTimeout(r, controls.guardDelayMs));
      if (controls.guardFails) throw new SrError('ML_MODEL_MISSING', 'guard double told to fail');
      let jailbreakScore = 0.01;
      const spans: PiiSpan[] = [];
      const redacted: Array<{ messageIndex: number; content: string }> = [];
      const placeholders: Record<string, string> = {};
      let n = 0;
      for (const [i, m] of req.messages.entries()) {
        const text = messageText(m);
        if (/ignore all previous instructions/i.test(text)) jailbreakScore = 0.99;
        let changed = false;
        const masked = text.replace(EMAIL, (value, offset: number) => {
          n++;
          const key = `<EMAIL_ADDRESS_${n}>`;
          placeholders[key] = value;
          spans.push({
            type: 'EMAIL_ADDRESS',
            start: offset,
            end: offset + value.length,
            score: 0.99,
            messageIndex: i,
          });
          changed = true;
          return key;
        });
        if (changed) redacted.push({ messageIndex: i, content: masked });
      }
      return {
        jailbreak: req.checks.jailbreak
          ? jailbreakScore >= 0.5
            ? {
                status: 'detected' as const,
                score: jailbreakScore,
                threshold: 0.5,
                messageIndex: 0,
                via: 'plain',
              }
            : { status: 'clean' as const, score: jailbreakScore, threshold: 0.5 }
          : null,
        pii: req.checks.pii
          ? { spans, types: spans.length ? ['EMAIL_ADDRESS'] : [], redacted, placeholders }
          : null,
      };
    }),
  );

  subs.set(
    'classify',
    serve(bus, classify, async (req) => {
      if (controls.classifyDelayMs) await new Promise((r) => setTimeout(r, controls.classifyDelayMs));
      const text = req.messages
        .map((m) => messageText(m))
        .join(' ')
        .toLowerCase();
      const domain = /integral|derivative|equation/.test(text)
        ? { label: 'math', score: 0.9 }
        : /python|compile|function/.test(text)
          ? { label: 'computer science', score: 0.8 }
          : { label: 'unknown', score: 0.1 };
      const tools = req.tools
        ? {
            selected: req.tools
              .map((t) => t.function.name)
              .filter((name) => text.includes(name.split('_')[1] ?? name)),
            scores: {},
            reason: 'ranked',
          }
        : null;
      return { domain, intent: null, custom: null, tools };
    }),
  );

  subs.set(
    'cache',
    serve(bus, cacheLookup, async (req) => {
      doubles.lookups++;
      const hit = entries.get(req.exactKey);
      return hit
        ? {
            status: 'hit' as const,
            kind: 'exact' as const,
            similarity: 1,
            entryId: req.exactKey.slice(0, 8),
            response: hit,
          }
        : { status: 'miss' as const, reason: 'empty' };
    }),
  );
  subs.set(
    'cache-store',
    serve(bus, cacheStore, async (req) => {
      stores.push(req);
      entries.set(req.exactKey, req.response);
      return { status: 'stored' as const, entryId: req.exactKey.slice(0, 8) };
    }),
  );
  return doubles;
}
