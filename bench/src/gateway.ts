/**
 * `npm run bench -- gateway [--rate 500] [--seconds 6]`: the latency the router adds over calling
 * the upstream directly, at a fixed, evenly paced request rate (each request starts at its slot,
 * not in per-second bursts). The load generator, the upstream stub and every gateway under test
 * are separate OS processes (as deployed: the router never shares its event loop with the client
 * or the model server), and every configuration runs in the same bench run against the same stub,
 * so the ratios are comparable even on a loaded machine. Each result also gives the CPU time the
 * gateway's process(es) spent per request:
 *   direct        the upstream stub itself
 *   passthrough   embedded router, explicit model, guards off for explicit models, cache off (pure proxy path)
 *   embedded      embedded router, model "auto": guards + classify + cache lookup, real models
 *   embedded-threads  the same with bus.workerThreads (guard, classifier + cache in worker threads)
 *   cache-hit     embedded router, the same question again and again: answered from the cache
 *   distributed   the four services as separate processes over a real nats-server, model "auto"
 *   portkey       @portkey-ai/gateway 1.15 proxying to the same stub (the peer gateway)
 * Prompts are unique per request so the cache never answers (a hit would skip the upstream).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { runChildService, startNatsServer, type ChildService } from '@sr/shared/testing';

const ROOT = join(__dirname, '../..');

interface RunResult {
  name: string;
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** CPU (user + system) the process(es) under test used per request, when measured. */
  cpuMsPerRequest?: number;
}

const APP = join(ROOT, 'apps/semantic-router/dist/main.js');

/** CPU time (user + system) a process has used so far, from /proc (Linux), in ms. */
function cpuMsOf(pids: readonly (number | undefined)[]): number | undefined {
  let total = 0;
  for (const pid of pids) {
    if (pid === undefined) return undefined;
    try {
      // Fields after the command name (which may hold spaces): utime is 14th, stime 15th overall.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
    } catch {
      return undefined;
    }
  }
  return total;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const TOPICS = [
  'Explain the derivative of x^%d with respect to x.',
  'Write a Python function that returns the %dth Fibonacci number.',
  'Summarise the causes of the war of %d in two sentences.',
  'What are %d good habits for better sleep?',
];

let sent = 0;
/** Unique across the whole run (warm-ups included), so no prompt is ever answered from the cache. */
function body(model: string, i: number): string {
  const n = ++sent;
  const text = TOPICS[i % TOPICS.length]!.replace('%d', String(1000 + n));
  return JSON.stringify({ model, messages: [{ role: 'user', content: text }], max_tokens: 16 });
}

/** Sends `rate` requests per second for `seconds`, each at its own evenly spaced slot. */
async function paced(
  name: string,
  url: string,
  model: string,
  rate: number,
  seconds: number,
  headers: Record<string, string> = {},
  options: { sameBody?: string; mustHit?: boolean; pids?: readonly (number | undefined)[] } = {},
): Promise<RunResult> {
  const total = Math.round(rate * seconds);
  const cpuBefore = options.pids ? cpuMsOf(options.pids) : undefined;
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now() + 50;
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const at = start + (i * 1000) / rate;
    const wait = at - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      (async () => {
        const t0 = performance.now();
        try {
          const res = await request(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: options.sameBody ?? body(model, i),
          });
          await res.body.text();
          if (res.statusCode !== 200 || (options.mustHit && res.headers['x-semantic-router-cache'] !== 'hit'))
            errors++;
          else latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      })(),
    );
  }
  await Promise.all(inflight);
  const cpuAfter = options.pids ? cpuMsOf(options.pids) : undefined;
  latencies.sort((a, b) => a - b);
  const result: RunResult = {
    name,
    requests: total,
    errors,
    p50Ms: round(quantile(latencies, 0.5)),
    p99Ms: round(quantile(latencies, 0.99)),
    meanMs: round(latencies.reduce((s, x) => s + x, 0) / Math.max(1, latencies.length)),
    ...(cpuBefore !== undefined && cpuAfter !== undefined
      ? { cpuMsPerRequest: round((cpuAfter - cpuBefore) / total) }
      : {}),
  };
  process.stdout.write(
    `${name.padEnd(12)} p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  errors ${errors}/${total}` +
      (result.cpuMsPerRequest === undefined ? '' : `  cpu ${result.cpuMsPerRequest} ms/req`) +
      '\n',
  );
  return result;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** config/config.yaml pointed at the stub, with `edit` applied, written as `<dir>/<name>.yaml`. */
function writeConfig(
  dir: string,
  name: string,
  upstreamUrl: string,
  edit: (yaml: string) => string = (yaml) => yaml,
): string {
  const file = join(dir, `${name}.yaml`);
  const base = readFileSync(join(ROOT, 'config/config.yaml'), 'utf8').replaceAll(
    'http://127.0.0.1:8000/v1',
    upstreamUrl,
  );
  writeFileSync(file, edit(base));
  return file;
}

/**
 * Runs `semantic-router serve --config <file>` on `httpPort` (as users run embedded mode), hands
 * its pid to `measure`, and stops it afterwards. `children` tracks it for cleanup on failure.
 */
async function withRouter(
  configFile: string,
  httpPort: number,
  children: ChildService[],
  measure: (pids: readonly (number | undefined)[]) => Promise<void>,
): Promise<void> {
  const router = await runChildService({
    script: APP,
    args: ['serve', '--config', configFile],
    // Per-request logs would be part of what is measured.
    env: { SR_LOG_LEVEL: 'error', SR_HTTP_PORT: String(httpPort), SR_GRPC_PORT: '0', SR_METRICS_PORT: '0' },
    readyLine: /semantic-router ready/,
    timeoutMs: 120_000,
  });
  children.push(router);
  try {
    await measure([router.process.pid]);
  } finally {
    await router.stop('SIGTERM');
    children.splice(children.indexOf(router), 1);
  }
}

export async function runGatewayBench(args: readonly string[]): Promise<void> {
  const arg = (flag: string, fallback: number) => {
    const i = args.indexOf(flag);
    return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
  };
  const rate = arg('--rate', 500);
  const seconds = arg('--seconds', 6);
  const dir = mkdtempSync(join(tmpdir(), 'sr-bench-gw-'));
  const results: RunResult[] = [];
  const children: ChildService[] = [];
  process.stdout.write(
    `gateway overhead at ${rate} req/s evenly paced, ${seconds} s per configuration ` +
      `(load average before: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')})\n`,
  );
  try {
    // The upstream: the demo model server in its own process (answers at once, any model name).
    const stubPort = await freePort();
    const stub = await runChildService({
      script: APP,
      args: ['demo-upstream', '--host', '127.0.0.1', '--port', String(stubPort)],
      readyLine: /demo upstream ready/,
    });
    children.push(stub);
    const upstreamUrl = `http://127.0.0.1:${stubPort}/v1`;
    await paced('warmup', `${upstreamUrl}/chat/completions`, 'general-7b', rate, 1);
    results.push(
      await paced(
        'direct',
        `${upstreamUrl}/chat/completions`,
        'general-7b',
        rate,
        seconds,
        {},
        {
          pids: [stub.process.pid],
        },
      ),
    );

    // Embedded mode: `semantic-router serve`, the whole router in one process, as users run it.
    const httpPort = await freePort();
    const url = `http://127.0.0.1:${httpPort}/v1/chat/completions`;
    await withRouter(writeConfig(dir, 'full', upstreamUrl), httpPort, children, async (pids) => {
      await paced('warmup', url, 'auto', Math.min(rate, 200), 1);
      results.push(await paced('embedded', url, 'auto', rate, seconds, {}, { pids }));
      // Cache hits end to end (HTTP in, cached answer out): one question answered once, then repeated.
      const hitBody = JSON.stringify({
        model: 'auto',
        messages: [{ role: 'user', content: 'How many moons does Mars have?' }],
      });
      await (
        await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: hitBody })
      ).body.text();
      await new Promise((r) => setTimeout(r, 200));
      results.push(
        await paced(
          'cache-hit',
          url,
          'auto',
          Math.min(rate, 200),
          seconds,
          {},
          { sameBody: hitBody, mustHit: true, pids },
        ),
      );
    });

    // The same, with the guard and the classifier + cache in worker threads (bus.workerThreads).
    const threads = writeConfig(dir, 'threads', upstreamUrl, (yaml) =>
      yaml.replace(/^ {2}mode: embedded.*$/m, '  mode: embedded\n  workerThreads: true'),
    );
    await withRouter(threads, httpPort, children, async (pids) => {
      await paced('warmup', url, 'auto', Math.min(rate, 200), 1);
      results.push(await paced('embedded-threads', url, 'auto', rate, seconds, {}, { pids }));
    });

    // Pure pass-through: the same router with no guard on explicit models and no cache, so the
    // request is parsed, routed to the named model and proxied (the floor under every request).
    const plain = writeConfig(dir, 'passthrough', upstreamUrl, (yaml) =>
      yaml
        .replace(/guardExplicitModels: true/, 'guardExplicitModels: false')
        .replace(/^cache:\n {2}enabled: true/m, 'cache:\n  enabled: false'),
    );
    await withRouter(plain, httpPort, children, async (pids) => {
      await paced('warmup', url, 'general-7b', Math.min(rate, 200), 1);
      results.push(await paced('passthrough', url, 'general-7b', rate, seconds, {}, { pids }));
    });
    await runDistributed(dir, upstreamUrl, rate, seconds, results);
    await runPortkey(upstreamUrl, rate, seconds, results);
  } finally {
    await Promise.all(children.map((c) => c.stop('SIGTERM')));
  }

  const direct = results.find((r) => r.name === 'direct')!;
  const added = Object.fromEntries(
    results
      .filter((r) => r.name !== 'direct')
      .map((r) => [r.name, { p50Ms: round(r.p50Ms - direct.p50Ms), p99Ms: round(r.p99Ms - direct.p99Ms) }]),
  );
  process.stdout.write(`added over direct: ${JSON.stringify(added)}\n`);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const out = join(ROOT, 'bench/results', `gateway-${rate}rps-${new Date().toISOString().slice(0, 10)}.json`);
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        rate,
        seconds,
        when: new Date().toISOString(),
        cpus: cpus().length,
        loadAverageAtEnd: loadavg(),
        results,
        addedOverDirect: added,
      },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`saved ${out}\n`);
}

/** Distributed mode: each service its own process over a real nats-server. */
async function runDistributed(
  dir: string,
  upstreamUrl: string,
  rate: number,
  seconds: number,
  results: RunResult[],
): Promise<void> {
  const nats = await startNatsServer();
  const httpPort = await freePort();
  // The base config's `bus: { mode: embedded }` block gives way to the NATS one.
  const dconf = writeConfig(
    dir,
    'distributed',
    upstreamUrl,
    (yaml) =>
      `${yaml.replace(/^bus:\n {2}mode: embedded.*$/m, '')}\nbus: { mode: nats, nats: { url: "${nats.url}" } }\n`,
  );
  const children: ChildService[] = [];
  try {
    for (const svc of ['guard-worker', 'classifier-worker', 'cache-service', 'extproc-gateway']) {
      children.push(
        await runChildService({
          script: join(ROOT, 'services', svc, 'dist', 'main.js'),
          args: ['--config', dconf],
          env: {
            SR_METRICS_PORT: '0',
            SR_HTTP_PORT: String(httpPort),
            SR_GRPC_PORT: '0',
            SR_LOG_LEVEL: 'error',
          },
          readyLine: /\bready\b/,
          timeoutMs: 120_000,
        }),
      );
    }
    const durl = `http://127.0.0.1:${httpPort}/v1/chat/completions`;
    await paced('warmup', durl, 'auto', Math.min(rate, 200), 1);
    results.push(
      await paced(
        'distributed',
        durl,
        'auto',
        rate,
        seconds,
        {},
        { pids: children.map((c) => c.process.pid) },
      ),
    );
  } catch (err) {
    process.stdout.write(`distributed: not measured (${(err as Error).message.split('\n')[0]})\n`);
  } finally {
    await Promise.all(children.map((c) => c.stop('SIGTERM')));
    await nats.stop();
  }
}

/** The peer gateway: Portkey proxying to the same upstream. */
async function runPortkey(
  upstreamUrl: string,
  rate: number,
  seconds: number,
  results: RunResult[],
): Promise<void> {
  const portkey = await startPortkey();
  if (!portkey) {
    process.stdout.write('portkey: not measured (@portkey-ai/gateway not installed)\n');
    return;
  }
  try {
    const headers = {
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': upstreamUrl,
      authorization: 'Bearer dummy',
    };
    await paced('warmup', portkey.url, 'general-7b', Math.min(rate, 200), 1, headers);
    results.push(
      await paced('portkey', portkey.url, 'general-7b', rate, seconds, headers, {
        pids: [portkey.child.pid],
      }),
    );
  } finally {
    portkey.child.kill('SIGTERM');
  }
}

async function startPortkey(): Promise<{ url: string; child: ChildProcess } | undefined> {
  let script: string;
  try {
    script = require.resolve('@portkey-ai/gateway/build/start-server.js');
  } catch {
    return undefined;
  }
  const port = await freePort();
  const child = spawn(process.execPath, [script, `--port=${port}`, '--headless'], { stdio: 'ignore' });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      const res = await request(`http://127.0.0.1:${port}/`, { method: 'GET' });
      await res.body.text();
      return { url: `http://127.0.0.1:${port}/v1/chat/completions`, child };
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  child.kill('SIGKILL');
  return undefined;
}
