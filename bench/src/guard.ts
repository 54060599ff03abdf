/**
 * Guard benchmark: the guard worker in its own process over NATS. Round trip of a guard check
 * (jailbreak + PII) on a 200-token prompt at 500 requests/s paced evenly (issue 5 target: p50 ≤ 1 ms,
 * p99 ≤ 5 ms), the same for a 2,000-word pasted document, and the throughput ceiling with 64
 * requests in flight. Baseline: the echo worker (transport + validation, no model) in the same run.
 *
 * `npm run bench -- guard [--rate 500] [--seconds 10] [--doc-rate 20]`; results in
 * bench/results/guard-<rate>rps.json.
 */
import { call, guardCheck, NatsBus } from '@sr/shared';
import { startNatsServer, type ChildService } from '@sr/shared/testing';
import {
  arg,
  closedLoop,
  echoBaseline,
  pacedLoad,
  PROMPT_200_TOKENS,
  uniquePrompt,
  saveResult,
  workerProcess,
} from './classify-roundtrip';

const REPORT =
  'Revenue grew by eight percent compared with the same quarter last year, driven by the retail segment. ' +
  'Operating costs rose slightly because of higher energy prices and new warehouse leases. ';

/** `npm run bench -- guard [--rate 500] [--seconds 10]`. */
export async function runGuardBench(args: readonly string[]): Promise<void> {
  const rate = arg(args, 'rate', 500);
  const seconds = arg(args, 'seconds', 10);
  const nats = await startNatsServer();
  const bus = await NatsBus.connect({ url: nats.url, name: 'bench-guard-client' });
  let worker: ChildService | undefined;
  try {
    const baseline = await echoBaseline(bus, nats.url, { rate, seconds });
    worker = await workerProcess('guard-worker', nats.url);
    const checks = { jailbreak: true, pii: true };
    const send = () =>
      call(
        bus,
        guardCheck,
        { messages: [{ role: 'user', content: uniquePrompt() }], checks },
        { timeoutMs: 2000 },
      );
    const sample = await send();
    for (let i = 0; i < 500; i++) await send();
    const paced = await pacedLoad(send, { rate, seconds });
    const throughput = await closedLoop(send, { concurrency: 64, seconds: 5 });

    const doc = REPORT.repeat(Math.ceil(2000 / REPORT.split(/\s+/).length));
    const docRequest = {
      messages: [{ role: 'user' as const, content: `Summarise this report: ${doc}` }],
      checks,
    };
    const sendDoc = () => call(bus, guardCheck, docRequest, { timeoutMs: 5000 });
    for (let i = 0; i < 50; i++) await sendDoc();
    const docRate = arg(args, 'doc-rate', 20);
    const pacedDoc = await pacedLoad(sendDoc, { rate: docRate, seconds: Math.min(seconds, 5) });

    const result = {
      prompt: { words: PROMPT_200_TOKENS.split(/\s+/).length },
      sampleReply: {
        jailbreak: sample.jailbreak?.status,
        piiTypes: sample.pii?.types,
        timingsMs: sample.timingsMs,
      },
      guard200Tokens: paced,
      echoBaseline: baseline,
      modelShareP50Ms: Math.round((paced.p50Ms - baseline.p50Ms) * 1000) / 1000,
      throughput64InFlight: throughput,
      document2000Words: { words: doc.split(/\s+/).length, ...pacedDoc },
      targets: { p50Ms: 1, p99Ms: 5 },
    };
    const file = saveResult(`guard-${rate}rps`, result);
    console.log(JSON.stringify(result, null, 2));
    console.log(`saved ${file}`);
  } finally {
    await worker?.stop('SIGTERM');
    await bus.close();
    await nats.stop();
  }
}

if (require.main === module) {
  runGuardBench(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
