import { MODEL_ENTITY_TYPES, type EntityTaggerLike } from '@sr/ml';
import { applyContext } from './context';
import { mergeSpans } from './merge';
import { cleanModelSpans, preferPatterns } from './model-spans';
import { loadPiiTagger } from './tagger';
import { isPublicFigure, publicFigureRanges, weakDateFactor } from './public-entities';
import {
  createPhoneRecognizer,
  creditCardRecognizer,
  dateTimeRecognizer,
  emailRecognizer,
  ibanRecognizer,
  ipAddressRecognizer,
  urlRecognizer,
  usSsnRecognizer,
} from './recognizers';
import { redact, restore } from './redact';
import type { RedactionMapping, RedactionResult } from './redact';
import { PATTERN_ENTITY_TYPES } from './types';
import type { PiiSpan, Recognizer } from './types';

// Types confirmed by a checksum or a strict layout. libphonenumber accepts almost any digit run in
// some region, so a phone reading never beats one of these on the same characters.
const VALIDATED_TYPES = new Set(['CREDIT_CARD', 'IBAN_CODE', 'US_SSN', 'IP_ADDRESS', 'EMAIL_ADDRESS']);

function preferValidated(spans: readonly PiiSpan[]): PiiSpan[] {
  const strong = spans.filter((s) => VALIDATED_TYPES.has(s.type));
  if (strong.length === 0) return [...spans];
  return spans.filter(
    (s) => s.type !== 'PHONE_NUMBER' || !strong.some((v) => s.start < v.end && s.end > v.start),
  );
}

/** Every entity type the detector can report. */
export const SUPPORTED_ENTITY_TYPES: readonly string[] = [
  ...new Set([...PATTERN_ENTITY_TYPES, ...MODEL_ENTITY_TYPES]),
];

export interface PiiDetectorOptions {
  /**
   * Directory of the entity model: the project's tagger (`model.onnx` + `config.json` + `lexicon.json`)
   * or a Hugging Face token-classification export; omit for patterns only.
   */
  modelDir?: string;
  /** Types to report (default: all supported). Unknown names are rejected at creation. */
  entityTypes?: readonly string[];
  /** Minimum score, one number for all types or per type (missing types use `default`, 0.5). */
  thresholds?: number | (Partial<Record<string, number>> & { default?: number });
  /** Phone regions (ISO 3166 alpha-2) tried for numbers without a country code. */
  regions?: readonly string[];
  /** Copy each span's text into `text` (it is PII: never log the result). */
  includeText?: boolean;
  /**
   * Drop PERSON spans that name well-known public or historical figures (default true): asking about
   * Napoleon is not sharing personal data.
   */
  ignorePublicFigures?: boolean;
}

/**
 * The combined PII detector: validated pattern recognizers with context words, plus the token
 * classification model for names, places, organisations, addresses and dates. Overlaps are merged
 * (higher score, then longer span, wins).
 */
export class PiiDetector {
  private constructor(
    private readonly model: EntityTaggerLike | undefined,
    private readonly recognizers: readonly Recognizer[],
    private readonly types: ReadonlySet<string>,
    private readonly threshold: (type: string) => number,
    private readonly includeText: boolean,
    private readonly ignorePublicFigures: boolean,
  ) {}

  static async create(options: PiiDetectorOptions = {}): Promise<PiiDetector> {
    const types = new Set(options.entityTypes ?? SUPPORTED_ENTITY_TYPES);
    const unknown = [...types].filter((t) => !SUPPORTED_ENTITY_TYPES.includes(t));
    if (unknown.length > 0)
      throw new RangeError(
        `PiiDetector: unknown entity type(s) ${unknown.join(', ')}; supported: ${SUPPORTED_ENTITY_TYPES.join(', ')}`,
      );
    const regions = options.regions ?? undefined;
    for (const r of regions ?? [])
      if (!/^[A-Za-z]{2}$/.test(r))
        throw new RangeError(`PiiDetector: phone region "${r}" is not a two-letter country code`);
    const t = options.thresholds;
    const fallback = typeof t === 'number' ? t : (t?.default ?? 0.5);
    for (const [k, v] of Object.entries(typeof t === 'object' ? t : { default: fallback }))
      if (typeof v !== 'number' || !(v >= 0 && v <= 1))
        throw new RangeError(`PiiDetector: threshold ${k}=${String(v)} is not in [0, 1]`);
    const threshold = (type: string): number => (typeof t === 'object' ? (t[type] ?? fallback) : fallback);
    const all: Recognizer[] = [
      emailRecognizer,
      createPhoneRecognizer(regions),
      creditCardRecognizer,
      ibanRecognizer,
      usSsnRecognizer,
      ipAddressRecognizer,
      urlRecognizer,
      dateTimeRecognizer,
    ];
    const needsModel = MODEL_ENTITY_TYPES.some((m) => types.has(m));
    const model = options.modelDir && needsModel ? await loadPiiTagger(options.modelDir) : undefined;
    return new PiiDetector(
      model,
      all.filter((r) => types.has(r.type)),
      types,
      threshold,
      options.includeText ?? false,
      options.ignorePublicFigures ?? true,
    );
  }

  /** Entity types this detector reports. */
  get entityTypes(): string[] {
    return [...this.types];
  }

  /** Whether the entity model is loaded (otherwise only pattern types are detected). */
  get hasModel(): boolean {
    return this.model !== undefined;
  }

  async detect(text: string): Promise<PiiSpan[]> {
    const [spans] = await this.detectBatch([text]);
    return spans ?? [];
  }

  /** Detects PII in several texts; the model runs once for all of them. */
  async detectBatch(texts: readonly string[]): Promise<PiiSpan[][]> {
    for (const [i, t] of texts.entries())
      if (typeof t !== 'string')
        throw new TypeError(`PiiDetector.detect: text ${i} is ${typeof t}, expected a string`);
    const modelSpans = this.model ? await this.model.predictBatch(texts) : texts.map(() => []);
    return texts.map((text, i) => {
      const passes = (s: PiiSpan): boolean => s.score >= this.threshold(s.type);
      const patterns = applyContext(
        text,
        this.recognizers.flatMap((r) => r.find(text)),
      ).filter(passes);
      const publicRanges =
        this.ignorePublicFigures && modelSpans[i]!.length > 0 ? publicFigureRanges(text) : [];
      const fromModel: PiiSpan[] = [];
      for (const s of modelSpans[i]!) {
        if (!this.types.has(s.type)) continue;
        if (publicRanges.some(([a, b]) => s.start < b && s.end > a)) continue;
        if (s.type === 'PERSON' && this.ignorePublicFigures && isPublicFigure(text.slice(s.start, s.end)))
          continue;
        const factor = s.type === 'DATE_TIME' ? weakDateFactor(text, s) : 1;
        fromModel.push({ ...s, score: s.score * factor });
      }
      const model = applyContext(text, cleanModelSpans(text, fromModel), { negativeOnly: true }).filter(
        passes,
      );
      const merged = mergeSpans(preferValidated([...patterns, ...preferPatterns(patterns, model)])).map(
        (s) => ({
          ...s,
          score: Math.round(s.score * 1e4) / 1e4,
        }),
      );
      return this.includeText ? merged.map((s) => ({ ...s, text: text.slice(s.start, s.end) })) : merged;
    });
  }

  /** Replaces spans with typed placeholders (see `redact`). */
  redact(text: string, spans: readonly PiiSpan[], previous?: RedactionMapping): RedactionResult {
    return redact(text, spans, previous);
  }

  restore(text: string, mapping: RedactionMapping): string {
    return restore(text, mapping);
  }

  async close(): Promise<void> {
    await this.model?.close();
  }
}
