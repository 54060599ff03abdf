import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalSection, Gate, SectionResult, SummaryRow } from '../eval/section';
import { datasetsDir, modelDir, repoRoot } from '../train/paths';
import { evalPiiModel } from './eval-pii-model';
import type { PrfByType } from './metrics';

/** Issue 4's target for the entity model alone. */
export const MODEL_TARGET_F1 = 0.85;
const GATED_TYPES = ['PERSON', 'LOCATION', 'ORGANIZATION'];

interface CombinedModule {
  evaluateCombinedPii(o: { modelDir: string; datasetRoot?: string }): Promise<{
    rows: SummaryRow[];
    gates: Gate[];
    markdown: string;
  }>;
}

/**
 * The pattern recognizers live in the guard worker, which depends on this package; so the combined
 * detector's evaluation is loaded from its build output at run time (`npm run eval` builds
 * everything first) instead of a static import that would make a package cycle.
 */
function loadCombined(): CombinedModule | undefined {
  const path = join(repoRoot(), 'services/guard-worker/dist/pii/eval-section.js');
  if (!existsSync(path)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path) as CombinedModule;
}

function modelTable(byType: PrfByType, token: PrfByType): string {
  return [
    '| type | P | R | F1 | token F1 |',
    '|---|---|---|---|---|',
    ...Object.entries(byType).map(
      ([t, m]) =>
        `| ${t} | ${m.precision.toFixed(3)} | ${m.recall.toFixed(3)} | ${m.f1.toFixed(3)} | ${(token[t]?.f1 ?? NaN).toFixed(3)} |`,
    ),
    '',
  ].join('\n');
}

/** `npm run eval -- pii`: the entity model alone (issue 4) and the combined detector (issue 5). */
export const piiSection: EvalSection = {
  name: 'pii',
  async run(): Promise<SectionResult> {
    const dir = modelDir('pii-ner');
    const root = datasetsDir();
    const m = await evalPiiModel(dir, 'sentence', root);
    const p = m.presidioHeldOut;
    const rows: SummaryRow[] = [
      {
        model: 'pii-ner',
        split: 'presidio-heldout',
        n: p.sentences,
        extra: Object.fromEntries(GATED_TYPES.map((t) => [`F1 ${t}`, p.span[t]!.f1])),
      },
      {
        model: 'pii-ner',
        split: 'wnut17-test',
        n: m.wnutTest.sentences,
        extra: { 'F1 all': m.wnutTest.span['ALL']!.f1 },
      },
    ];
    const gates: Gate[] = GATED_TYPES.map((t) => ({
      name: `pii-ner presidio ${t} F1`,
      value: p.span[t]!.f1,
      threshold: MODEL_TARGET_F1,
      direction: 'min' as const,
    }));
    const parts = [
      'Entity model `models/pii-ner` alone (exact character spans; token F1 counts word tokens, as presidio-research does).',
      '',
      `**presidio-research held-out sentences** (${p.sentences}):`,
      '',
      modelTable(p.span, p.token),
      `**WNUT-17 test** (${m.wnutTest.sentences} tweets; person, location, corporation+group):`,
      '',
      modelTable(m.wnutTest.span, m.wnutTest.token),
    ];
    const combined = loadCombined();
    if (combined) {
      const c = await combined.evaluateCombinedPii({ modelDir: dir, datasetRoot: root });
      rows.push(...c.rows);
      gates.push(...c.gates);
      parts.push(c.markdown);
    } else {
      parts.push(
        '_Combined detector not evaluated: services/guard-worker is not built (run `npx tsc --build`)._',
      );
      gates.push({ name: 'pii combined detector evaluated', value: 0, threshold: 1, direction: 'min' });
    }
    return { rows, gates, markdown: parts.join('\n') };
  },
};
