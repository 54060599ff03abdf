/**
 * Classify round trip over NATS: a classifier worker in its own process, a client sending a
 * 200-token prompt at 500 requests/s paced evenly (not autocannon-style bursts), p50/p99 of the
 * round trip. Baseline in the same run: the same prompt to an echo worker (transport + contract
 * validation, no model), so the model's share is visible even on a loaded machine.
 *
 * `npm run bench -- classify-roundtrip [--rate 500] [--seconds 10]`; results in bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { call, classify, NatsBus, type Bus } from '@sr/shared';
import { runChildService, startNatsServer, type ChildService } from '@sr/shared/testing';

export const ROOT = resolve(__dirname, '..', '..');

/** About 200 tokens (≈150 English words) of a realistic user prompt. */
let promptCounter = 0;
/** PROMPT_200_TOKENS with a request number in it: same size, never the same text twice. */
export function uniquePrompt(): string {
  promptCounter++;
  return PROMPT_200_TOKENS.replace('second-year', `second-year (group ${100000 + (promptCounter % 900000)})`);
}

export const PROMPT_200_TOKENS =
  'I am preparing a lecture for second-year students on numerical methods and I want to explain ' +
  "why Newton's method converges quadratically near a simple root but can fail badly when the " +
  'initial guess is poor. Could you walk through the derivation of the error recurrence, starting ' +
  'from the Taylor expansion of the function around the root, and show where the assumption that ' +
  'the derivative is non-zero enters? After that, please give two concrete examples: one smooth ' +
  'polynomial where the iteration converges in a handful of steps, and one function where it ' +
  'oscillates or diverges, with a short table of the first five iterates for each. Finally, ' +
  'suggest a safeguarded variant, for instance combining bisection with Newton steps, and explain ' +
  'in plain language how it keeps the robustness of bisection while retaining fast local ' +
  'convergence. Keep the notation consistent and assume the students know basic calculus.';

export interface LatencySummary {
  requests: number;
  errors: number;
  targetRate: number;
  achievedRate: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Sends `rate` requests per second for `seconds`, each at its own evenly spaced instant (sub-ms
 * spin near the deadline), without waiting for replies. Latency is measured from the scheduled
 * instant, so a stalled client or server cannot hide queueing (no coordinated omission).
 */
export async function pacedLoad(
  send: () => Promise<unknown>,
  options: { rate: number; seconds: number },
): Promise<LatencySummary> {
  const total = Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  const latencies: number[] = [];
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  const start = performance.now() + 5;
  for (let i = 0; i < total; i++) {
    const due = start + i * intervalMs;
    for (;;) {
      const left = due - performance.now();
      if (left <= 0) break;
      if (left > 1.5) await new Promise((r) => setTimeout(r, left - 1));
      else await new Promise((r) => setImmediate(r));
    }
    inFlight.push(
      send().then(
        () => void latencies.push(performance.now() - due),
        () => void errors++,
      ),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    requests: total,
    errors,
    targetRate: options.rate,
    achievedRate: Math.round(total / elapsed),
    p50Ms: r3(percentile(sorted, 50)),
    p90Ms: r3(percentile(sorted, 90)),
    p99Ms: r3(percentile(sorted, 99)),
    maxMs: r3(sorted.at(-1) ?? NaN),
    meanMs: r3(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
  };
}

/** Closed loop with `concurrency` requests always in flight: the throughput ceiling. */
export async function closedLoop(
  send: () => Promise<unknown>,
  options: { concurrency: number; seconds: number },
): Promise<{ requestsPerSecond: number; errors: number }> {
  const end = performance.now() + options.seconds * 1000;
  let done = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < end) {
        await send().then(
          () => void done++,
          () => void errors++,
        );
      }
    }),
  );
  return { requestsPerSecond: Math.round(done / options.seconds), errors };
}

/** A worker process on the repo's default config, switched to NATS on a free metrics port. */
export function workerProcess(
  service: 'classifier-worker' | 'guard-worker',
  natsUrl: string,
): Promise<ChildService> {
  return runChildService({
    script: join(ROOT, 'services', service, 'dist', 'main.js'),
    args: ['--config', join(ROOT, 'config', 'config.yaml')],
    env: { NATS_URL: natsUrl, SR_BUS_MODE: 'nats', SR_METRICS_PORT: '0', SR_LOG_LEVEL: 'warn' },
    readyLine: 'ready',
    timeoutMs: 60_000,
  });
}

export function arg(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** The echo worker of the integration tests: transport and validation, no model. */
export async function echoBaseline(
  bus: Bus,
  natsUrl: string,
  options: { rate: number; seconds: number },
): Promise<LatencySummary> {
  const echo = await runChildService({
    script: join(ROOT, 'tests', 'integration', 'fixtures', 'echo-worker.js'),
    env: { NATS_URL: natsUrl },
    readyLine: 'ready',
  });
  try {
    const body = new TextEncoder().encode(JSON.stringify({ text: PROMPT_200_TOKENS }));
    const send = () => bus.request('sr.test.echo', body, { timeoutMs: 2000 });
    for (let i = 0; i < 300; i++) await send();
    return await pacedLoad(send, options);
  } finally {
    await echo.stop('SIGTERM');
  }
}

export function saveResult(name: string, result: Record<string, unknown>): string {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  const record = {
    bench: name,
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    loadAverageAtEnd: loadavg().map((x) => Math.round(x * 100) / 100),
    ...result,
  };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

/** `npm run bench -- classify-roundtrip [--rate 500] [--seconds 10]`. */
export async function runClassifyRoundtripBench(args: readonly string[]): Promise<void> {
  const rate = arg(args, 'rate', 500);
  const seconds = arg(args, 'seconds', 10);
  const nats = await startNatsServer();
  const bus = await NatsBus.connect({ url: nats.url, name: 'bench-classify-client' });
  let worker: ChildService | undefined;
  try {
    const baseline = await echoBaseline(bus, nats.url, { rate, seconds });
    worker = await workerProcess('classifier-worker', nats.url);
    // A different prompt each time (same length): the encoder's memo must not answer repeats.
    const send = () =>
      call(bus, classify, { messages: [{ role: 'user', content: uniquePrompt() }] }, { timeoutMs: 2000 });
    const sample = await send();
    for (let i = 0; i < 500; i++) await send();
    const paced = await pacedLoad(send, { rate, seconds });
    const throughput = await closedLoop(send, { concurrency: 64, seconds: 5 });
    const result = {
      prompt: { words: PROMPT_200_TOKENS.split(/\s+/).length, chars: PROMPT_200_TOKENS.length },
      sampleReply: {
        domain: sample.domain?.label,
        intent: sample.intent?.label,
        custom: sample.custom?.label,
      },
      classify: paced,
      echoBaseline: baseline,
      modelShareP50Ms: r3(paced.p50Ms - baseline.p50Ms),
      throughput64InFlight: throughput,
      targets: { p50Ms: 1, p99Ms: 5 },
    };
    const file = saveResult(`classify-roundtrip-${rate}rps`, result);
    console.log(JSON.stringify(result, null, 2));
    console.log(`saved ${file}`);
  } finally {
    await worker?.stop('SIGTERM');
    await bus.close();
    await nats.stop();
  }
}

if (require.main === module) {
  runClassifyRoundtripBench(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
