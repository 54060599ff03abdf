#!/usr/bin/env node
// Domain experiments on a validation slice of the training side (the held-out test split is not
// looked at): `node dist/tasks/domain-experiment.js '<json overrides>'`. The training side of the
// fixed split is split again by a hash with another salt; MMLU-Pro items and the hand-written
// everyday training questions on the validation side are reported, their generated variants are
// dropped from training. `--test` also reports the real held-out split and the own eval set
// (use sparingly, for the final candidates only).
import { argmax, classificationReport } from '../eval/metrics';
import type { BagClassifierWeights } from '../onnx';
import type { HashedNgramFeaturizer } from '../text';
import { predictProba } from '../train/fasttext';
import { splitItems, trainBag } from '../train/bag-task';
import type { BagTaskSpec, PostTrainContext } from '../train/bag-task';
import { datasetsDir } from '../train/paths';
import { splitOf } from '../train/split';
import type { LabeledText } from '../train/task';
import { domainSpec } from './domain';
import { EVERYDAY_QUESTIONS } from './domain-everyday';
import { DEFAULT_GLOVE_IMPUTE, imputeGloveRows, loadGlove } from './domain-glove';
import type { GloveImputeOptions, GloveVectors } from './domain-glove';

const FIRST_BATCH = new Set(Object.values(EVERYDAY_QUESTIONS).flat());

export const DOMAIN_VALIDATION_SPLIT = { testFraction: 0.15, salt: 'domain-val-v1' } as const;

/** The spec restricted to the training side, with validation as its "test" side. */
export function domainValidationSpec(base: BagTaskSpec): BagTaskSpec {
  return {
    ...base,
    split: DOMAIN_VALIDATION_SPLIT,
    async load() {
      const loaded = await base.load();
      const items: LabeledText[] = [];
      for (const it of loaded.items) {
        if (splitOf(it.splitKey ?? it.text, base.split) === 'test') continue;
        // The everyday question as written is evaluated on the validation side (its variants share
        // its split key, so they follow it).
        if (it.source === 'everyday-handwritten' && it.splitKey === it.text) {
          items.push({ ...it, trainOnly: false });
        } else items.push(it);
      }
      return { items, sources: loaded.sources };
    },
    slices: [
      { name: 'valMmluPro', filter: (i) => i.source === 'mmlu_pro' },
      { name: 'valClinc', filter: (i) => i.source === 'clinc150' },
      { name: 'valEveryday', filter: (i) => i.source === 'everyday-handwritten' },
      // The first batch only, comparable across runs with and without the second batch.
      { name: 'valEveryday1', filter: (i) => i.source === 'everyday-handwritten' && FIRST_BATCH.has(i.text) },
    ],
  };
}

/**
 * Per-class logit offsets fitted greedily on one half of the MMLU-Pro validation items and
 * checked on the other half (does a prior correction transfer?).
 */
function biasSearch(
  w: BagClassifierWeights,
  f: HashedNgramFeaturizer,
  sets: readonly [string, readonly LabeledText[]][],
  labels: readonly string[],
): string[] {
  const index = new Map(labels.map((l, i) => [l, i]));
  const logp = (items: readonly LabeledText[]) =>
    items.map((it) => ({
      y: index.get(it.label) as number,
      lp: Array.from(predictProba(w, f.features(it.text)), (p) => Math.log(Math.max(p, 1e-12))),
    }));
  const acc = (rows: ReturnType<typeof logp>, off: readonly number[]): number =>
    rows.filter((r) => argmax(Float32Array.from(r.lp, (v, c) => v + (off[c] as number))) === r.y).length /
    Math.max(1, rows.length);
  const mmlu = logp(sets.find(([n]) => n === 'valMmluPro' || n === 'mmluProHeldOut')?.[1] ?? []);
  const fit = mmlu.filter((_, i) => i % 2 === 0);
  const check = mmlu.filter((_, i) => i % 2 === 1);
  const off = new Array<number>(labels.length).fill(0);
  for (let pass = 0; pass < 3; pass++)
    for (let c = 0; c < labels.length; c++) {
      let best = off[c] as number;
      let bestAcc = acc(fit, off);
      for (let d = -1; d <= 1.0001; d += 0.1) {
        off[c] = d;
        const a = acc(fit, off);
        if (a > bestAcc + 1e-9) {
          bestAcc = a;
          best = d;
        }
      }
      off[c] = best;
    }
  const zero = off.map(() => 0);
  const every = logp(sets.find(([n]) => n === 'valEveryday' || n === 'ownEval')?.[1] ?? []);
  return [
    `  bias offsets ${off.map((x, c) => `${labels[c]}:${x.toFixed(1)}`).join(' ')}`,
    `  bias fit-half ${acc(fit, zero).toFixed(4)} -> ${acc(fit, off).toFixed(4)}; check-half ${acc(check, zero).toFixed(4)} -> ${acc(check, off).toFixed(4)}; everyday ${acc(every, zero).toFixed(4)} -> ${acc(every, off).toFixed(4)}`,
  ];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const test = args.includes('--test');
  const json = args.find((a) => !a.startsWith('--')) ?? '{}';
  const o = JSON.parse(json) as {
    featurizer?: object;
    hyper?: object;
    env?: Record<string, string>;
    glove?: Partial<GloveImputeOptions>[];
    biasSearch?: boolean;
  };
  for (const [k, v] of Object.entries(o.env ?? {})) process.env[k] = v;
  const started = Date.now();
  let captured: { weights: BagClassifierWeights; context: PostTrainContext } | undefined;
  const merged: BagTaskSpec = {
    ...domainSpec,
    featurizer: { ...domainSpec.featurizer, ...o.featurizer },
    hyper: { ...domainSpec.hyper, ...o.hyper },
    postTrain: (weights, context) => {
      captured = { weights, context };
      return weights;
    },
  };
  const spec: BagTaskSpec = test ? merged : { ...domainValidationSpec(merged), ownEval: undefined };
  await trainBag(spec);
  if (!captured) throw new Error('postTrain was not called');
  const { weights, context } = captured;
  const { test: evalSide } = splitItems(spec, (await spec.load()).items);
  const sets: [string, readonly LabeledText[]][] = [[test ? 'heldOut' : 'val', evalSide]];
  for (const s of spec.slices ?? []) sets.push([s.name, evalSide.filter(s.filter)]);
  if (spec.ownEval) sets.push(['ownEval', spec.ownEval()]);
  const index = new Map(spec.labels.map((l, i) => [l, i]));
  const report = (w: BagClassifierWeights): string =>
    sets
      .map(([name, items]) => {
        const truth = items.map((it) => index.get(it.label) as number);
        const pred = items.map((it) => argmax(predictProba(w, context.featurizer.features(it.text))));
        const r = classificationReport(spec.labels, truth, pred);
        return `${name} ${r.accuracy.toFixed(4)}/${r.macroF1.toFixed(4)} (n ${r.n})`;
      })
      .join('  ');
  const lines = [
    `${json}${test ? ' --test' : ''} (${Math.round((Date.now() - started) / 1000)} s)`,
    `  plain: ${report(weights)}`,
  ];
  if (o.biasSearch) lines.push(...biasSearch(weights, context.featurizer, sets, spec.labels));
  const glove = o.glove?.length ? loadGlove(datasetsDir()) : undefined;
  for (const g of o.glove ?? []) {
    const opts = { ...DEFAULT_GLOVE_IMPUTE, ...g };
    const r = imputeGloveRows(weights, context.featurizer, context.train, glove as GloveVectors, opts);
    lines.push(
      `  glove ${JSON.stringify(g)} imputed ${r.imputed} skipped ${r.skipped}: ${report(r.weights)}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (require.main === module)
  main().catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
