#!/usr/bin/env node
// Hyper-parameter experiments: `node dist/train/experiment.js <task> '<json overrides>'` trains in
// memory with the overrides merged into the task's spec and prints held-out metrics only.
import { trainBag } from './bag-task';
import type { BagTaskSpec } from './bag-task';
import { BAG_SPECS } from './tasks';

async function main(): Promise<void> {
  const [name, json] = process.argv.slice(2);
  const spec = BAG_SPECS.find((s) => s.name === name);
  if (!spec) throw new Error(`unknown bag task ${name}`);
  const o = JSON.parse(json ?? '{}') as { featurizer?: object; hyper?: object; env?: Record<string, string> };
  for (const [k, v] of Object.entries(o.env ?? {})) process.env[k] = v;
  const merged: BagTaskSpec = {
    ...spec,
    featurizer: { ...spec.featurizer, ...o.featurizer },
    hyper: { ...spec.hyper, ...o.hyper },
  };
  const r = await trainBag(merged);
  const fmt = (x: { accuracy: number; macroF1: number; n: number }): string =>
    `acc ${x.accuracy.toFixed(4)} f1 ${x.macroF1.toFixed(4)} n ${x.n}`;
  const lines = [
    `${json}`,
    `  heldOut ${fmt(r.heldOut)}`,
    ...Object.entries(r.slices).map(([k, v]) => `  ${k} ${fmt(v)}`),
  ];
  if (r.ownEval) {
    lines.push(`  ownEval ${fmt(r.ownEval)}`);
    lines.push(
      `  own per-class ${r.ownEval.perClass.map((c) => `${c.label}:${c.recall.toFixed(2)}`).join(' ')}`,
    );
  }
  const first = Object.values(r.slices)[0] ?? r.heldOut;
  lines.push(`  slice per-class ${first.perClass.map((c) => `${c.label}:${c.f1.toFixed(2)}`).join(' ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
