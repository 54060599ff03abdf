import type { ClassificationReport } from './metrics';

const pct = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

/** Markdown: per-class precision/recall/F1 and the confusion matrix (rows = truth). */
export function reportMarkdown(title: string, r: ClassificationReport): string {
  const lines = [
    `#### ${title}`,
    '',
    `n = ${r.n}, accuracy **${pct(r.accuracy)}**, macro-F1 **${pct(r.macroF1)}**`,
    '',
    '| class | precision | recall | F1 | support |',
    '|---|---|---|---|---|',
    ...r.perClass.map(
      (c) => `| ${c.label} | ${pct(c.precision)} | ${pct(c.recall)} | ${pct(c.f1)} | ${c.support} |`,
    ),
    '',
    '<details><summary>confusion matrix (rows = truth, columns = predicted)</summary>',
    '',
    `| truth \\ pred | ${r.labels.map((l, i) => `${i}`).join(' | ')} |`,
    `|---|${r.labels.map(() => '---').join('|')}|`,
    ...r.confusion.map((row, i) => `| ${i} ${r.labels[i]} | ${row.join(' | ')} |`),
    '',
    '</details>',
    '',
  ];
  return lines.join('\n');
}

/** A compact fixed-width console table. */
export function consoleTable(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ')).join('\n');
}
