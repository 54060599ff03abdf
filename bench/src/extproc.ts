/**
 * ExtProc transport overhead. A grpc-js client replays Envoy's sequence for one chat completion
 * (request headers → buffered body → response headers → buffered JSON answer) against three
 * servers in the same run, so ratios hold on a loaded machine:
 *
 * - `echo`: the same proto and client, a server answering CONTINUE at once (gRPC + protobuf only);
 * - `transport`: our ExtProc server with a pipeline port answering a precomputed decision
 *   (session state machine, mutations, metrics: what the transport itself adds);
 * - `pipeline`: our server with the real pipeline over an in-process bus whose workers answer
 *   instantly (clearly not the models: transport + fan-out + decision + cache store).
 *
 * Reported per mode: latency per phase and per exchange (p50/p99, sequential) and CPU time per
 * exchange (client and server share the process; CPU time is robust to other load on the
 * machine, wall-clock latency is not). `npm run bench -- extproc [--exchanges=2000]`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Server, ServerCredentials, type ServerDuplexStream } from '@grpc/grpc-js';
import { Registry } from 'prom-client';
import {
  cacheLookup,
  cacheStore,
  classify,
  createLogger,
  guardCheck,
  InProcessBus,
  parseConfig,
  serve,
} from '@sr/shared';
import {
  createExtProcServer,
  createGatewayMetrics,
  createPipeline,
  EndpointPool,
  ExtProcServer,
  extProcServiceDefinition,
  type ExtProcPipeline,
  type ProcessingRequest,
  type ProcessingResponse,
} from '@sr/extproc-gateway';
import {
  EnvoyStream,
  chatHeaders,
  extProcClient,
  requestBody,
  requestHeaders,
  responseBody,
  responseHeaders,
} from '@sr/extproc-gateway/testing';

const ROOT = resolve(__dirname, '..', '..');
const PHASES = ['request_headers', 'request_body', 'response_headers', 'response_body'] as const;

const CONFIG = `
defaultModel: general
models:
  - { name: general, endpoints: [{ url: "http://10.0.0.1:8000/v1" }] }
  - { name: mathy, reasoningFamily: qwen3, endpoints: [{ url: "http://10.0.0.2:8000/v1" }] }
categories:
  - { name: math, modelScores: [{ model: mathy, score: 0.9, useReasoning: true }] }
`;

/** About 1 KB of request: a system prompt and a multi-sentence question. */
const REQUEST = {
  model: 'auto',
  messages: [
    { role: 'system', content: 'You are a careful mathematics tutor. Show each step.' },
    { role: 'user', content: 'What is the integral of x^2 from 0 to 1, and why? '.repeat(18) },
  ],
};
const ANSWER = {
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1,
  model: 'mathy',
  choices: [{ index: 0, message: { role: 'assistant', content: 'One third.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 220, completion_tokens: 4, total_tokens: 224 },
};

interface ModeResult {
  mode: string;
  exchanges: number;
  cpuMsPerExchange: number;
  phases: Record<string, { p50Ms: number; p99Ms: number }>;
  exchange: { p50Ms: number; p99Ms: number };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Instant worker stand-ins on the real subjects (the bench measures the gateway, not models). */
function instantWorkers(bus: InProcessBus): void {
  serve(bus, guardCheck, async () => ({
    jailbreak: { status: 'clean' as const, score: 0.01, threshold: 0.5 },
    pii: null,
  }));
  serve(bus, classify, async () => ({
    domain: { label: 'math', score: 0.9 },
    intent: null,
    custom: null,
    tools: null,
  }));
  serve(bus, cacheLookup, async () => ({ status: 'miss' as const, reason: 'empty' }));
  serve(bus, cacheStore, async () => ({ status: 'stored' as const, entryId: 'bench' }));
}

async function echoServer(): Promise<{ port: number; close(): void }> {
  const server = new Server();
  server.addService(extProcServiceDefinition(), {
    Process: (call: ServerDuplexStream<ProcessingRequest, ProcessingResponse>) => {
      call.on('data', (m: ProcessingRequest) =>
        call.write({ [m.request ?? 'request_headers']: { response: { status: 'CONTINUE' } } }),
      );
      call.on('end', () => call.end());
    },
  });
  const port = await new Promise<number>((ok, fail) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? fail(e) : ok(p))),
  );
  return { port, close: () => server.forceShutdown() };
}

async function runMode(mode: string, port: number, exchanges: number): Promise<ModeResult> {
  const client = extProcClient(port);
  const messages: ProcessingRequest[] = [
    requestHeaders(chatHeaders()),
    requestBody(REQUEST),
    responseHeaders({ ':status': '200', 'content-type': 'application/json' }),
    responseBody(JSON.stringify(ANSWER), true),
  ];
  const phases = PHASES.map(() => [] as number[]);
  const whole: number[] = [];
  const one = async (record: boolean) => {
    const s = new EnvoyStream(client);
    const t0 = performance.now();
    for (let i = 0; i < messages.length; i++) {
      const t = performance.now();
      s.send(messages[i]!);
      await s.next();
      if (record) phases[i]!.push(performance.now() - t);
    }
    if (record) whole.push(performance.now() - t0);
    s.halfClose();
    await s.status;
  };
  for (let i = 0; i < Math.min(300, exchanges); i++) await one(false);
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < exchanges; i++) await one(true);
  const cpu = process.cpuUsage(cpu0);
  client.close();
  const summary = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { p50Ms: round(percentile(s, 50)), p99Ms: round(percentile(s, 99)) };
  };
  return {
    mode,
    exchanges,
    cpuMsPerExchange: round((cpu.user + cpu.system) / exchanges / 1000),
    phases: Object.fromEntries(PHASES.map((name, i) => [name, summary(phases[i]!)])),
    exchange: summary(whole),
  };
}

export async function runExtProcBench(args: readonly string[]): Promise<void> {
  const exchanges = Number(args.find((a) => a.startsWith('--exchanges='))?.split('=')[1] ?? 2000);
  const config = parseConfig(CONFIG, 'bench-extproc.yaml', {});
  const bus = new InProcessBus();
  instantWorkers(bus);
  const logger = createLogger({ service: 'bench-extproc', level: 'silent' });
  const registry = new Registry();
  const pipeline = createPipeline({
    getConfig: () => config,
    bus,
    logger,
    metrics: createGatewayMetrics(registry),
    pool: new EndpointPool({ ejectAfterFailures: 3, ejectForMs: 1000 }),
  });
  const decision = await pipeline.handle({
    body: Buffer.from(JSON.stringify(REQUEST)),
    headers: {},
    transport: 'extproc',
  });
  if (decision.kind !== 'forward') throw new Error(`bench request was not routed: ${decision.status}`);
  const fixed: ExtProcPipeline = {
    decide: async () => decision,
    responseHandler: () => ({
      onHeaders: () => ({ sse: false, setHeaders: {} }),
      onBody: (chunk) => chunk,
      onAbort: () => undefined,
      settled: Promise.resolve(),
    }),
    listModels: () => ({ status: 200, headers: {}, body: {} }),
  };
  const transport = new ExtProcServer({
    pipeline: fixed,
    logger,
    registry: new Registry(),
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: config.limits.maxBodyBytes,
    decisionTimeoutMs: 2000,
  });
  const full = createExtProcServer({ config, pipeline, logger, registry, port: 0 });
  const echo = await echoServer();
  const transportPort = (await transport.start()).port;
  const fullPort = (await full.start()).port;

  const results: ModeResult[] = [];
  try {
    // Interleaved, twice, so a burst of load elsewhere does not land on one mode only.
    for (let round_ = 0; round_ < 2; round_++) {
      results.push(await runMode('echo', echo.port, exchanges));
      results.push(await runMode('transport', transportPort, exchanges));
      results.push(await runMode('pipeline', fullPort, exchanges));
    }
  } finally {
    echo.close();
    await transport.shutdown();
    await full.shutdown();
    await bus.close();
  }

  const best = (mode: string) =>
    results.filter((r) => r.mode === mode).sort((a, b) => a.cpuMsPerExchange - b.cpuMsPerExchange)[0]!;
  const [e, t, p] = [best('echo'), best('transport'), best('pipeline')];
  const report = {
    bench: 'extproc',
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    loadAverage1m: round(loadavg()[0] ?? NaN),
    note: 'client and server in one process; workers answer instantly (no models); best of 2 interleaved runs by CPU time',
    results,
    summary: {
      echoCpuMs: e.cpuMsPerExchange,
      transportAddedCpuMs: round(t.cpuMsPerExchange - e.cpuMsPerExchange),
      pipelineAddedCpuMs: round(p.cpuMsPerExchange - t.cpuMsPerExchange),
      exchangeP50Ms: { echo: e.exchange.p50Ms, transport: t.exchange.p50Ms, pipeline: p.exchange.p50Ms },
      exchangeP99Ms: { echo: e.exchange.p99Ms, transport: t.exchange.p99Ms, pipeline: p.exchange.p99Ms },
    },
  };
  console.table(
    results.map((r) => ({
      mode: r.mode,
      'cpu ms/exchange': r.cpuMsPerExchange,
      'exchange p50': r.exchange.p50Ms,
      'exchange p99': r.exchange.p99Ms,
      'body→answer p50': r.phases['request_body']?.p50Ms,
      'body→answer p99': r.phases['request_body']?.p99Ms,
    })),
  );
  console.log(JSON.stringify(report.summary));
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `extproc-${report.date.slice(0, 10)}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`saved ${file}`);
}
