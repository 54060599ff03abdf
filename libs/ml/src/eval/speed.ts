import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface BenchFile {
  date: string;
  loadAverage?: number[];
  results: {
    model: string;
    singleText: { p50Ms: number; p99Ms: number };
    throughput: { batch: number; textsPerSecond: number; textsPerCpuSecond?: number }[];
  }[];
  allModelsSingleText?: { models: string[]; p50Ms: number; p99Ms: number };
}

/** Markdown for the newest `bench/results/classify-<date>.json`, or '' when there is none. */
export function speedMarkdown(root: string): string {
  const dir = join(root, 'bench/results');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^classify-\d{4}-.*\.json$/u.test(f));
  } catch {
    return '';
  }
  const newest = files.sort().at(-1);
  if (newest === undefined) return '';
  const b = JSON.parse(readFileSync(join(dir, newest), 'utf8')) as BenchFile;
  const batches = b.results[0]?.throughput.map((t) => t.batch) ?? [];
  const lines = [
    '## Speed (`npm run bench -- classify`)',
    '',
    `From \`bench/results/${newest}\` (one onnxruntime thread per model; load average during the run ${(b.loadAverage ?? []).map((l) => l.toFixed(1)).join(' ')} on 2 cores, so wall-clock rates are depressed by other processes; texts per CPU-second is the per-core rate). Targets: single-text p50 ≤ 0.2 ms, ≥ 5,000 texts/s per core batched.`,
    '',
    `| model | p50 ms | p99 ms | ${batches.map((n) => `batch ${n}: texts/s (per CPU-s)`).join(' | ')} |`,
    `|---|---|---|${batches.map(() => '---').join('|')}|`,
    ...b.results.map(
      (r) =>
        `| ${r.model} | ${r.singleText.p50Ms.toFixed(3)} | ${r.singleText.p99Ms.toFixed(3)} | ${r.throughput.map((t) => `${t.textsPerSecond.toFixed(0)} (${t.textsPerCpuSecond?.toFixed(0) ?? '–'})`).join(' | ')} |`,
    ),
  ];
  if (b.allModelsSingleText) {
    const a = b.allModelsSingleText;
    lines.push(
      `| all of ${a.models.join(' + ')}, one text | ${a.p50Ms.toFixed(3)} | ${a.p99Ms.toFixed(3)} | ${batches.map(() => '').join(' | ')} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
