/**
 * Encoder benchmark (`npm run bench -- encoder [--seconds N]`): single-text latency p50/p99,
 * texts/s per core at batch sizes 1, 8, 32, 128 for short texts, the featuriser's share of the
 * time, and one long prompt (the bag covers the whole text). Saves JSON under bench/results/.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { SentenceEncoder, repoRoot } from '@sr/ml';

const SHORT = [
  'How do I reset my password?',
  'What is the weather in Paris tomorrow?',
  'Convert 100 USD to EUR',
  'Write a haiku about autumn leaves',
  'Why is the sky blue?',
  'Book a table for two at 7pm',
  'Summarise this article in three bullet points',
  'What are the side effects of ibuprofen?',
];

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function arg(args: readonly string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
}

export async function runEncoderBench(args: readonly string[]): Promise<void> {
  const seconds = Number(arg(args, 'seconds', '3'));
  const root = repoRoot();
  const encoder = await SentenceEncoder.load(join(root, 'models', 'encoder'));
  // Distinct texts per call so nothing is cached anywhere.
  const texts = Array.from({ length: 4096 }, (_, i) => `${SHORT[i % SHORT.length] as string} ${i}`);

  for (const t of texts.slice(0, 256)) await encoder.embed([t]);
  const lat: number[] = [];
  const until = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < until; i++) {
    const t0 = performance.now();
    await encoder.embed([texts[i % texts.length] as string]);
    lat.push(performance.now() - t0);
  }
  lat.sort((a, b) => a - b);

  const throughput: Array<{ batch: number; textsPerSecond: number }> = [];
  for (const batch of [1, 8, 32, 128]) {
    let done = 0;
    const start = performance.now();
    for (let i = 0; performance.now() < start + seconds * 1000; i++) {
      await encoder.embed(
        Array.from({ length: batch }, (_, k) => texts[(i * batch + k) % texts.length] as string),
      );
      done += batch;
    }
    throughput.push({ batch, textsPerSecond: Math.round(done / ((performance.now() - start) / 1000)) });
  }

  // Featuriser alone (JS), to show where the time goes.
  let feats = 0;
  const fStart = performance.now();
  while (performance.now() < fStart + seconds * 1000)
    encoder.features(texts[feats++ % texts.length] as string);
  const featurizePerSecond = Math.round(feats / ((performance.now() - fStart) / 1000));

  const long = Array.from({ length: 5000 }, (_, i) => `token${i % 1500} clause ${i % 37}`).join(' ');
  const longLat: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await encoder.embed([long]);
    longLat.push(performance.now() - t0);
  }
  longLat.sort((a, b) => a - b);
  await encoder.close();

  const result = {
    bench: 'encoder',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() },
    model: {
      dimension: encoder.dimension,
      sha256: encoder.manifest.model.sha256,
      bytes: encoder.manifest.model.bytes,
    },
    singleText: { p50Ms: percentile(lat, 50), p99Ms: percentile(lat, 99), runs: lat.length },
    throughput,
    featurizePerSecond,
    longText: { words: 15000, p50Ms: percentile(longLat, 50), p99Ms: percentile(longLat, 99) },
    note: 'one process on one core (intra-op threads 1); the load average shows how busy the machine was',
  };
  process.stdout.write(
    [
      `encoder dim ${encoder.dimension}: single text p50 ${result.singleText.p50Ms.toFixed(3)} ms, p99 ${result.singleText.p99Ms.toFixed(3)} ms`,
      ...throughput.map((t) => `  batch ${String(t.batch).padStart(3)}: ${t.textsPerSecond} texts/s`),
      `  featuriser alone: ${featurizePerSecond} texts/s`,
      `  15,000-word prompt: p50 ${result.longText.p50Ms.toFixed(2)} ms`,
      `  load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    ].join('\n') + '\n',
  );
  const dir = join(root, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `encoder-${result.date.slice(0, 10)}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`saved ${file}\n`);
}
