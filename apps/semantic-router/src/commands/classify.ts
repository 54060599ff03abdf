import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import { createLogger, createMetricsRegistry, InProcessBus, loadConfigFile } from '@sr/shared';
import { createClassifierWorker } from '@sr/classifier-worker';
import { classifyTexts, createGatewayMetrics } from '@sr/extproc-gateway';
import { createGuardWorker } from '@sr/guard-worker';

export interface ClassifyArgs {
  config: string;
  input: string; // a file, or '-' for stdin
  output?: string | undefined; // a file; stdout when absent
  batchSize: number;
}

interface ApiSignal {
  label: string;
  score: number;
}

interface ApiResult {
  signals: { domain: ApiSignal | null; intent: ApiSignal | null; custom: ApiSignal | null } | null;
  category: { name: string } | null;
  pii: { types: string[]; spans: Array<{ type: string; start: number; end: number; score: number }> } | null;
  jailbreak: { status: 'detected' | 'clean'; score: number; threshold: number } | null;
  errors?: Record<string, string>;
}

const pick = (s: ApiSignal | null | undefined) => (s ? { label: s.label, score: round(s.score) } : null);
const round = (x: number) => Math.round(x * 10000) / 10000;

/**
 * `semantic-router classify`: JSON lines `{"text": ...}` in, one JSON line of signals out per
 * line. It starts the guard and classifier workers in process and asks them through the same
 * function the gateway's `/api/v1/classify` uses, so the CLI, the API and the router agree.
 * A malformed line yields an error line naming its number; the run goes on.
 */
export async function classifyCommand(args: ClassifyArgs): Promise<number> {
  const config = loadConfigFile(args.config);
  const logger = createLogger({ service: 'classify-cli', level: 'warn' });
  const { registry } = createMetricsRegistry('classify-cli');
  const bus = new InProcessBus();
  const guard = createGuardWorker({ config, bus, logger, registry });
  const classifier = createClassifierWorker({ config, bus, logger, registry });
  await Promise.all([guard.start(), classifier.start()]);
  // Offline batch work: generous timeouts instead of the router's per-request budgets.
  const batchConfig = { ...config, timeouts: { ...config.timeouts, guardMs: 60_000, classifyMs: 60_000 } };
  const metrics = createGatewayMetrics(registry);
  const out = args.output ? createWriteStream(args.output) : process.stdout;
  const input = args.input === '-' ? process.stdin : createReadStream(args.input);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let failures = 0;
  let pending: Array<{ lineNo: number; text: string }> = [];

  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const result = await classifyTexts(
      { bus, config: batchConfig, metrics },
      { texts: batch.map((b) => b.text) },
      randomUUID(),
    );
    if (result.status === 'error') {
      for (const b of batch)
        out.write(`${JSON.stringify({ line: b.lineNo, error: `${result.code}: ${result.message}` })}\n`);
      failures += batch.length;
      return;
    }
    const results = (result.body as { results: ApiResult[] }).results;
    batch.forEach((b, i) => {
      const r = results[i]!;
      out.write(
        `${JSON.stringify({
          text: b.text,
          domain: pick(r.signals?.domain),
          intent: pick(r.signals?.intent),
          ...(r.signals?.custom ? { custom: pick(r.signals.custom) } : {}),
          category: r.category?.name ?? null,
          jailbreak: r.jailbreak
            ? {
                label: r.jailbreak.status === 'detected' ? 'jailbreak' : 'benign',
                score: round(r.jailbreak.score),
              }
            : null,
          pii: r.pii
            ? r.pii.spans.map((s) => ({
                type: s.type,
                start: s.start,
                end: s.end,
                value: b.text.slice(s.start, s.end),
                score: round(s.score),
              }))
            : null,
          ...(r.errors ? { errors: r.errors } : {}),
        })}\n`,
      );
    });
  };

  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    const error = lineError(line);
    if (typeof error === 'string') {
      await flush(); // keep output lines in input order
      failures++;
      out.write(`${JSON.stringify({ line: lineNo, error })}\n`);
      continue;
    }
    pending.push({ lineNo, text: error.text });
    if (pending.length >= args.batchSize) await flush();
  }
  await flush();
  await Promise.all([guard.shutdown(), classifier.shutdown()]);
  await bus.close();
  if (out !== process.stdout)
    await new Promise<void>((resolve) => (out as NodeJS.WritableStream).end(resolve));
  return failures > 0 ? 1 : 0;
}

/** The line's text, or a message naming what is wrong with it. */
function lineError(line: string): { text: string } | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return `malformed JSON: ${(e as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'expected a JSON object with a "text" field';
  const text = (value as { text?: unknown }).text;
  if (typeof text !== 'string')
    return `"text" must be a string, got ${text === undefined ? 'nothing' : typeof text}`;
  if (text.trim() === '') return '"text" must not be empty';
  return { text };
}
