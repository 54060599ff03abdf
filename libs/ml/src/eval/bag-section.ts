import { TextClassifier } from '../runtime';
import type { BagTaskSpec } from '../train/bag-task';
import { splitItems } from '../train/bag-task';
import { modelDir } from '../train/paths';
import { evaluateClassifier, fixedSample } from './classifier-eval';
import { reportMarkdown } from './report';
import type { EvalSection, Gate, SectionResult, SummaryRow } from './section';

/** A metric target on one evaluated set. */
export interface BagGateSpec {
  /** `heldOut`, a slice name, or `ownEval`. */
  readonly set: string;
  readonly metric: 'accuracy' | 'macroF1';
  readonly threshold: number;
}

/**
 * Evaluation of a hashed n-gram classifier through onnxruntime: the committed model on its
 * held-out split (recomputed from the datasets, as in training), its slices and its own eval set.
 */
export function bagSection(spec: BagTaskSpec, gates: readonly BagGateSpec[], notes = ''): EvalSection {
  return {
    name: spec.name,
    async run({ sample }): Promise<SectionResult> {
      const dir = modelDir(spec.name);
      const clf = await TextClassifier.load(dir);
      try {
        const { test } = splitItems(spec, (await spec.load()).items);
        const sets: [string, typeof test][] = [['heldOut', fixedSample(test, sample)]];
        for (const s of spec.slices ?? []) sets.push([s.name, fixedSample(test.filter(s.filter), sample)]);
        if (spec.ownEval) sets.push(['ownEval', [...spec.ownEval()]]);
        const rows: SummaryRow[] = [];
        const parts: string[] = [
          `Model \`models/${spec.name}\` (${(clf.manifest.model.bytes / 1e6).toFixed(2)} MB, seed ${clf.manifest.training.seed}). ${spec.description}.`,
          '',
          ...(notes ? [notes, ''] : []),
        ];
        const reports = new Map<string, Awaited<ReturnType<typeof evaluateClassifier>>>();
        for (const [name, items] of sets) {
          const r = await evaluateClassifier(clf, items);
          reports.set(name, r);
          rows.push({ model: spec.name, split: name, n: r.n, accuracy: r.accuracy, macroF1: r.macroF1 });
          parts.push(reportMarkdown(`${spec.name} — ${name}`, r));
        }
        const gateResults: Gate[] = gates.map((g) => {
          const r = reports.get(g.set);
          if (!r) throw new Error(`${spec.name}: gate refers to unknown set ${g.set}`);
          return {
            name: `${spec.name} ${g.set} ${g.metric}`,
            value: r[g.metric],
            threshold: g.threshold,
            direction: 'min',
          };
        });
        return { rows, gates: gateResults, markdown: parts.join('\n') };
      } finally {
        await clf.close();
      }
    },
  };
}
