import { presidioSplits, formatPrfTable } from '@sr/ml';
import type { PrfByType } from '@sr/ml';
import { PiiDetector } from './detector';
import { DEFAULT_PHONE_REGIONS } from './recognizers';
import { PATTERN_TARGET_TYPES, loadBenignSet, loadOwnPiiSet, scoreBenign, scoreDetector } from './evaluate';
import type { BenignScores, DetectionScores } from './evaluate';

/** Same shapes as @sr/ml's eval sections (kept structural so this module stays loadable on its own). */
export interface CombinedGate {
  name: string;
  value: number;
  threshold: number;
  direction: 'min' | 'max';
}
export interface CombinedRow {
  model: string;
  split: string;
  n: number;
  macroF1?: number;
  extra?: Record<string, number>;
}

export interface CombinedPiiResult {
  rows: CombinedRow[];
  gates: CombinedGate[];
  markdown: string;
  presidio: DetectionScores;
  own: DetectionScores;
  benign: BenignScores;
}

/** Issue 5's targets for the detector (patterns + model). */
export const COMBINED_TARGETS = { patternF1: 0.95, overallF1: 0.85, benignClean: 0.95 } as const;

function table(title: string, s: DetectionScores): string {
  const rows = Object.entries(s.span).map(
    ([t, m]) =>
      `| ${t} | ${m.precision.toFixed(3)} | ${m.recall.toFixed(3)} | ${m.f1.toFixed(3)} | ${(s.token[t]?.f1 ?? NaN).toFixed(3)} | ${m.tp + m.fn} |`,
  );
  return [
    `**${title}** (${s.cases} texts; P/R/F1 on exact spans, last F1 on word tokens)`,
    '',
    '| type | P | R | F1 | token F1 | gold spans |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

const minPatternF1 = (byType: PrfByType): number =>
  Math.min(
    ...PATTERN_TARGET_TYPES.map((t) => (byType[t] && byType[t].tp + byType[t].fn > 0 ? byType[t].f1 : 1)),
  );

/**
 * Evaluates the combined detector (pattern recognizers + entity model in `modelDir`): presidio
 * held-out sentences, our own hand-written texts and texts without PII. Used by the `pii` section
 * of `npm run eval` and by the jest quality gates.
 */
export async function evaluateCombinedPii(options: {
  modelDir: string;
  datasetRoot?: string;
}): Promise<CombinedPiiResult> {
  const detector = await PiiDetector.create({ modelDir: options.modelDir, regions: DEFAULT_PHONE_REGIONS });
  try {
    const types = detector.entityTypes;
    const test = presidioSplits(options.datasetRoot, 'sentence').test;
    const presidio = await scoreDetector(detector, test, types);
    const own = await scoreDetector(detector, loadOwnPiiSet(), types);
    const benign = await scoreBenign(detector, loadBenignSet());
    const rows: CombinedRow[] = [
      {
        model: 'pii-detector',
        split: 'presidio-heldout',
        n: presidio.cases,
        extra: { 'F1 all': presidio.span['ALL']!.f1, 'F1 patterns min': minPatternF1(presidio.span) },
      },
      {
        model: 'pii-detector',
        split: 'own',
        n: own.cases,
        extra: { 'F1 all': own.span['ALL']!.f1, 'F1 patterns min': minPatternF1(own.span) },
      },
      { model: 'pii-detector', split: 'no-pii', n: benign.cases, extra: { 'clean rate': benign.cleanRate } },
    ];
    const gates: CombinedGate[] = [];
    for (const [set, s] of [
      ['presidio', presidio],
      ['own', own],
    ] as const) {
      for (const t of PATTERN_TARGET_TYPES) {
        const m = s.span[t];
        if (!m || m.tp + m.fn === 0) continue;
        gates.push({
          name: `pii ${set} ${t} F1`,
          value: m.f1,
          threshold: COMBINED_TARGETS.patternF1,
          direction: 'min',
        });
      }
      gates.push({
        name: `pii ${set} overall F1`,
        value: s.span['ALL']!.f1,
        threshold: COMBINED_TARGETS.overallF1,
        direction: 'min',
      });
    }
    gates.push({
      name: 'pii no-PII texts clean',
      value: benign.cleanRate,
      threshold: COMBINED_TARGETS.benignClean,
      direction: 'min',
    });
    const cats = Object.entries(benign.byCategory)
      .map(([c, v]) => `${c} ${v.clean}/${v.cases}`)
      .join(', ');
    const fps = Object.entries(benign.falsePositiveTypes)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ');
    const markdown = [
      'Combined detector (pattern recognizers with context words + entity model), default threshold 0.5.',
      '',
      table('presidio-research held-out sentences', presidio),
      table('Own hand-written texts (services/guard-worker/test/pii/data/own-pii.txt)', own),
      `**Texts without PII** (${benign.cases}; order numbers failing Luhn, ISBNs, versions, historical figures, numbers, code, general): ${(benign.cleanRate * 100).toFixed(1)}% yield no entity (${cats}). False positives by type: ${fps || 'none'}.`,
      '',
    ].join('\n');
    return { rows, gates, markdown, presidio, own, benign };
  } finally {
    await detector.close();
  }
}

/** Plain-text summary for scripts. */
export function formatCombined(r: CombinedPiiResult): string {
  return [
    formatPrfTable('presidio held-out (span)', r.presidio.span),
    formatPrfTable('own texts (span)', r.own.span),
    `no-PII texts clean: ${(r.benign.cleanRate * 100).toFixed(1)}%`,
  ].join('\n');
}
