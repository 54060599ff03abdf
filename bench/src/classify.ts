import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { ClassifierSet, repoRoot } from '@sr/ml';
import type { TextClassifier } from '@sr/ml';

const MODELS = ['domain', 'intent', 'jailbreak'];
const BATCHES = [1, 8, 32, 128];

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function evalTexts(root: string): Promise<string[]> {
  const texts: string[] = [];
  for (const f of ['domain-natural.jsonl', 'intent-natural.jsonl']) {
    const raw = await readFile(join(root, 'libs/ml/eval-data', f), 'utf8');
    for (const line of raw.split('\n'))
      if (line.trim()) texts.push((JSON.parse(line) as { text: string }).text);
  }
  return texts;
}

interface ModelResult {
  model: string;
  singleText: { p50Ms: number; p99Ms: number; meanMs: number; runs: number };
  /**
   * `textsPerSecond` is wall-clock; `textsPerCpuSecond` divides by the process's CPU time, i.e. the
   * rate one core sustains, which stays meaningful when other processes compete for the cores.
   */
  throughput: { batch: number; textsPerSecond: number; textsPerCpuSecond: number }[];
}

async function benchModel(
  name: string,
  clf: TextClassifier,
  texts: readonly string[],
  seconds: number,
): Promise<ModelResult> {
  // Latency of one text per call (what a request pays), after a warm-up pass.
  for (const t of texts) await clf.classify([t]);
  const lat: number[] = [];
  const until = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < until; i++) {
    const t0 = performance.now();
    await clf.classify([texts[i % texts.length] as string]);
    lat.push(performance.now() - t0);
  }
  lat.sort((a, b) => a - b);
  const throughput: ModelResult['throughput'] = [];
  for (const batch of BATCHES) {
    let done = 0;
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const end = start + seconds * 1000;
    for (let i = 0; performance.now() < end; i++) {
      const chunk = Array.from({ length: batch }, (_, k) => texts[(i * batch + k) % texts.length] as string);
      await clf.classify(chunk);
      done += batch;
    }
    const cpu = process.cpuUsage(cpu0);
    throughput.push({
      batch,
      textsPerSecond: done / ((performance.now() - start) / 1000),
      textsPerCpuSecond: done / ((cpu.user + cpu.system) / 1e6),
    });
  }
  return {
    model: name,
    singleText: {
      p50Ms: percentile(lat, 50),
      p99Ms: percentile(lat, 99),
      meanMs: lat.reduce((a, b) => a + b, 0) / lat.length,
      runs: lat.length,
    },
    throughput,
  };
}

/** Single-text latency and batched throughput of every committed text classifier (one thread each). */
export async function runClassifyBench(args: readonly string[]): Promise<void> {
  const seconds = Number(args.find((a) => a.startsWith('--seconds='))?.split('=')[1] ?? 3);
  const root = repoRoot();
  const texts = await evalTexts(root);
  const { set, missing } = await ClassifierSet.loadAvailable(join(root, 'models'), MODELS, {
    intraOpThreads: 1,
  });
  const results: ModelResult[] = [];
  try {
    for (const [name, clf] of set.classifiers) results.push(await benchModel(name, clf, texts, seconds));
    // All models over one text, as the classify CLI does per line.
    const lat: number[] = [];
    const until = performance.now() + seconds * 1000;
    for (let i = 0; performance.now() < until; i++) {
      const t0 = performance.now();
      await set.classify([texts[i % texts.length] as string]);
      lat.push(performance.now() - t0);
    }
    lat.sort((a, b) => a - b);
    const combined = {
      models: set.names,
      p50Ms: percentile(lat, 50),
      p99Ms: percentile(lat, 99),
      runs: lat.length,
    };
    const meanChars = texts.reduce((a, t) => a + t.length, 0) / texts.length;
    const report = {
      bench: 'classify',
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      loadAverage: loadavg(),
      threadsPerSession: 1,
      texts: {
        count: texts.length,
        meanChars: Math.round(meanChars),
        source: 'libs/ml/eval-data/*-natural.jsonl',
      },
      missingModels: missing,
      results,
      allModelsSingleText: combined,
    };
    const rows = [
      ['model', 'p50 ms', 'p99 ms', ...BATCHES.map((b) => `b${b} texts/s (per CPU-s)`)],
      ...results.map((r) => [
        r.model,
        r.singleText.p50Ms.toFixed(3),
        r.singleText.p99Ms.toFixed(3),
        ...r.throughput.map((t) => `${t.textsPerSecond.toFixed(0)} (${t.textsPerCpuSecond.toFixed(0)})`),
      ]),
      [`all (${combined.models.join('+')})`, combined.p50Ms.toFixed(3), combined.p99Ms.toFixed(3)],
    ];
    const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
    process.stdout.write(
      `${rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')).join('\n')}\n`,
    );
    process.stdout.write(
      `one onnxruntime thread per session (texts/s ≈ per core); load average ${report.loadAverage.map((l) => l.toFixed(1)).join(' ')}\n`,
    );
    if (missing.length) process.stdout.write(`not benchmarked (no model dir): ${missing.join(', ')}\n`);
    const dir = join(root, 'bench/results');
    await mkdir(dir, { recursive: true });
    const file = join(dir, `classify-${report.date.replace(/[:.]/gu, '-')}.json`);
    await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`saved ${file}\n`);
  } finally {
    await set.close();
  }
}
