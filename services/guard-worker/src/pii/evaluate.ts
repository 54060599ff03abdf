import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spanPrf, tokenPrf } from '@sr/ml';
import type { LabelledSpan, PrfByType } from '@sr/ml';
import type { PiiDetector } from './detector';

/** An annotated text for evaluation. */
export interface PiiCase {
  text: string;
  spans: LabelledSpan[];
  category?: string;
}

/** Pattern types with the F1 ≥ 0.95 target. */
export const PATTERN_TARGET_TYPES = [
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'CREDIT_CARD',
  'IBAN_CODE',
  'US_SSN',
  'IP_ADDRESS',
] as const;

/** Where the hand-written sets live (test data of this package). */
export function ownDataDir(): string {
  return join(__dirname, '../../test/pii/data');
}

/** Parses `[[TYPE|value]]` markup into text + spans; `\n` in the source is a line break. */
export function parseMarkup(line: string): PiiCase {
  const src = line.replace(/\\n/g, '\n');
  let text = '';
  const spans: LabelledSpan[] = [];
  let last = 0;
  for (const m of src.matchAll(/\[\[([A-Z_]+)\|([^\]]+)\]\]/g)) {
    text += src.slice(last, m.index);
    spans.push({ type: m[1]!, start: text.length, end: text.length + m[2]!.length });
    text += m[2]!;
    last = m.index + m[0].length;
  }
  return { text: text + src.slice(last), spans };
}

function dataLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
}

/** Our own PII texts (not from any dataset or template). */
export function loadOwnPiiSet(dir = ownDataDir()): PiiCase[] {
  return dataLines(join(dir, 'own-pii.txt')).map(parseMarkup);
}

/** Texts without PII (order numbers failing Luhn, ISBNs, versions, historical figures, code, …). */
export function loadBenignSet(dir = ownDataDir()): PiiCase[] {
  return dataLines(join(dir, 'benign.txt')).map((l) => {
    const tab = l.indexOf('\t');
    return { category: l.slice(0, tab), text: l.slice(tab + 1).replace(/\\n/g, '\n'), spans: [] };
  });
}

export interface DetectionScores {
  cases: number;
  span: PrfByType;
  token: PrfByType;
}

/** Runs the detector on annotated cases and scores it per type (exact spans and word tokens). */
export async function scoreDetector(
  detector: PiiDetector,
  cases: readonly PiiCase[],
  types: readonly string[],
): Promise<DetectionScores> {
  const preds = await detector.detectBatch(cases.map((c) => c.text));
  const rows = cases.map((c, i) => ({
    text: c.text,
    gold: c.spans.filter((s) => types.includes(s.type)),
    pred: preds[i]!.filter((s) => types.includes(s.type)),
  }));
  return { cases: cases.length, span: spanPrf(rows, types), token: tokenPrf(rows, types) };
}

export interface BenignScores {
  cases: number;
  /** Share of benign texts with no entity at all (target ≥ 0.95). */
  cleanRate: number;
  byCategory: Record<string, { cases: number; clean: number }>;
  /** Types of the false positives, with counts (values are not kept: they might be PII after all). */
  falsePositiveTypes: Record<string, number>;
}

export async function scoreBenign(detector: PiiDetector, cases: readonly PiiCase[]): Promise<BenignScores> {
  const preds = await detector.detectBatch(cases.map((c) => c.text));
  const byCategory: BenignScores['byCategory'] = {};
  const falsePositiveTypes: Record<string, number> = {};
  let clean = 0;
  cases.forEach((c, i) => {
    const cat = (byCategory[c.category ?? 'all'] ??= { cases: 0, clean: 0 });
    cat.cases++;
    const found = preds[i]!;
    if (found.length === 0) {
      clean++;
      cat.clean++;
    }
    for (const s of found) falsePositiveTypes[s.type] = (falsePositiveTypes[s.type] ?? 0) + 1;
  });
  return {
    cases: cases.length,
    cleanRate: clean / Math.max(1, cases.length),
    byCategory,
    falsePositiveTypes,
  };
}
