import { existsSync, readdirSync } from 'node:fs';
import {
  MicroBatcher,
  messageText,
  type ChatMessage,
  type GuardCheckReply,
  type RouterConfig,
} from '@sr/shared';
import { PiiDetector, type PiiSpan, type RedactionMapping } from './pii';

export type PiiResult = NonNullable<GuardCheckReply['pii']>;

/** Finds PII in texts (the PII module's detector, or anything shaped like it). */
export interface PiiFinder {
  detectBatch(texts: readonly string[]): Promise<PiiSpan[][]>;
  redact(
    text: string,
    spans: readonly PiiSpan[],
    previous?: RedactionMapping,
  ): { text: string; mapping: RedactionMapping };
  close(): Promise<void>;
}

/**
 * PII detection over a request's messages: spans per message, the redacted messages with typed
 * placeholders numbered across the whole request (the same value gets the same placeholder in
 * every message), and the placeholder map for restoring them in the answer.
 */
export class PiiGuard {
  private readonly batcher: MicroBatcher<string, PiiSpan[]>;

  constructor(
    private readonly finder: PiiFinder,
    options: {
      batching?: { maxBatch: number; maxWaitMs: number };
      onBatch?: (size: number) => void;
    } = {},
  ) {
    this.batcher = new MicroBatcher(
      (texts) => {
        options.onBatch?.(texts.length);
        return finder.detectBatch(texts);
      },
      options.batching ?? { maxBatch: 64, maxWaitMs: 0 },
    );
  }

  async check(messages: readonly ChatMessage[]): Promise<PiiResult> {
    const texts = messages.map((m) => messageText(m));
    const found = await Promise.all(texts.map((t) => (t.trim() ? this.batcher.submit(t) : [])));
    const spans: PiiResult['spans'] = [];
    const redacted: PiiResult['redacted'] = [];
    let placeholders: RedactionMapping = {};
    texts.forEach((text, messageIndex) => {
      const entities = found[messageIndex] ?? [];
      if (entities.length === 0) return;
      for (const e of entities)
        spans.push({ type: e.type, start: e.start, end: e.end, score: clamp01(e.score), messageIndex });
      const result = this.finder.redact(text, entities, placeholders);
      placeholders = result.mapping;
      redacted.push({ messageIndex, content: result.text });
    });
    const types = [...new Set(spans.map((s) => s.type))].sort();
    return { spans, types, redacted, placeholders };
  }

  async close(): Promise<void> {
    await this.finder.close();
  }
}

/**
 * Loads the PII detector configured in `guards.pii`. Without the entity model's directory the
 * pattern recognizers still run (names, places and organisations are then not detected); the
 * caller logs that.
 */
export async function loadPiiDetector(
  config: RouterConfig['guards']['pii'],
  at: (dir: string) => string,
): Promise<{ detector: PiiDetector; modelMissing: string | undefined }> {
  const dir = at(config.modelDir);
  const present = existsSync(dir) && readdirSync(dir).length > 0;
  const detector = await PiiDetector.create({
    modelDir: present ? dir : undefined,
    entityTypes: config.entities,
    thresholds: config.threshold,
    regions: config.phoneRegions,
  });
  return { detector, modelMissing: present ? undefined : dir };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
