#!/usr/bin/env node
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../train/paths';
import { consoleTable } from './report';
import { speedMarkdown } from './speed';
import { gatePassed } from './section';
import type { Gate, SummaryRow } from './section';
import { EVAL_SECTIONS } from './sections';

const f3 = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '' : x.toFixed(3));

async function main(argv: readonly string[]): Promise<number> {
  const names = argv.filter((a) => !a.startsWith('--'));
  // EVAL.md always holds every section, so a partial run (named sections) only prints.
  const write = !argv.includes('--no-write') && names.length === 0;
  const sections = names.length ? EVAL_SECTIONS.filter((s) => names.includes(s.name)) : EVAL_SECTIONS;
  if (sections.length === 0) {
    process.stderr.write(
      `no eval section named ${names.join(', ')}; known: ${EVAL_SECTIONS.map((s) => s.name).join(', ')}\n`,
    );
    return 2;
  }
  const rows: SummaryRow[] = [];
  const gates: Gate[] = [];
  const bodies: string[] = [];
  for (const section of sections) {
    process.stderr.write(`evaluating ${section.name}…\n`);
    const r = await section.run({});
    rows.push(...r.rows);
    gates.push(...r.gates);
    bodies.push(`## ${section.name}\n\n${r.markdown}`);
  }
  const extraKeys = [...new Set(rows.flatMap((r) => Object.keys(r.extra ?? {})))];
  const table = [
    ['model', 'split', 'n', 'accuracy', 'macro-F1', ...extraKeys],
    ...rows.map((r) => [
      r.model,
      r.split,
      String(r.n),
      f3(r.accuracy),
      f3(r.macroF1),
      ...extraKeys.map((k) => f3(r.extra?.[k])),
    ]),
  ];
  const gateTable = [
    ['gate', 'value', 'target', 'result'],
    ...gates.map((g) => [
      g.name,
      f3(g.value),
      `${g.direction === 'min' ? '≥' : '≤'} ${g.threshold}`,
      gatePassed(g) ? 'PASS' : 'FAIL',
    ]),
  ];
  process.stdout.write(`${consoleTable(table)}\n\n${consoleTable(gateTable)}\n`);
  if (write) {
    const md = [
      '# Model evaluation',
      '',
      "Written by `npm run eval` (held-out splits recomputed from `../shared/datasets` with each task's fixed hash split; `ownEval` = hand-written texts in `libs/ml/eval-data/`, never trained on). Speed numbers come from `npm run bench -- classify` (`bench/results/`).",
      '',
      '## Summary',
      '',
      `| ${table[0]!.join(' | ')} |`,
      `|${table[0]!.map(() => '---').join('|')}|`,
      ...table.slice(1).map((r) => `| ${r.join(' | ')} |`),
      '',
      '## Targets',
      '',
      `| ${gateTable[0]!.join(' | ')} |`,
      '|---|---|---|---|',
      ...gateTable.slice(1).map((r) => `| ${r.join(' | ')} |`),
      '',
      speedMarkdown(repoRoot()),
      ...bodies,
    ].join('\n');
    const path = join(repoRoot(), 'models', 'EVAL.md');
    await writeFile(path, `${md}\n`);
    process.stderr.write(`wrote ${path}\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`eval failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
