/**
 * Cache benchmark: embedded store lookup latency (p50/p99), insert rate and memory at growing
 * sizes, all entries in ONE scope (the worst case: the biggest index a lookup can hit) and
 * spread over 1,000 scopes. Vectors are synthetic clustered unit vectors of the encoder's
 * dimension. Prints a table and saves JSON under bench/results/.
 *
 *   node bench/dist/src/cache.js [--sizes 1000,10000,100000] [--dimension 256] [--queries 2000]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { EmbeddedStore, type NewEntry } from '@sr/cache-service';

interface SizeResult {
  entries: number;
  scopes: number;
  insertPerSecond: number;
  semanticP50Ms: number;
  semanticP99Ms: number;
  exactP50Ms: number;
  exactP99Ms: number;
  heapMb: number;
  rssMb: number;
  graphScopes: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** Deterministic PRNG (mulberry32) so runs are comparable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Clustered vectors: 256 random centres, each point a centre plus noise (embeddings cluster by topic). */
function vectorSource(dimension: number, seed: number): () => Float32Array {
  const rand = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: 256 }, () => Float32Array.from({ length: dimension }, gauss));
  return () => {
    const c = centres[Math.floor(rand() * centres.length)]!;
    return Float32Array.from(c, (x) => x + 0.6 * gauss());
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const hex64 = (n: number) => n.toString(16).padStart(64, '0');

function entryFor(i: number, scopes: number, now: number): NewEntry {
  return {
    scope: hex64(i % scopes),
    exactKey: hex64(1e9 + i),
    tenant: 't',
    model: 'auto',
    category: undefined,
    query: `synthetic question ${i}`,
    response: {
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: `answer ${i}` } }],
    },
    createdAtMs: now,
    expiresAtMs: now + 3_600_000,
  };
}

async function measure(
  entries: number,
  scopes: number,
  dimension: number,
  queries: number,
): Promise<SizeResult> {
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  const store = new EmbeddedStore({ dimension, embedderId: 'bench', maxEntries: entries });
  await store.open();
  const next = vectorSource(dimension, 7);
  const now = Date.now();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < entries; i++) await store.put(entryFor(i, scopes, now), next());
  const insertSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const semantic: number[] = [];
  const exact: number[] = [];
  const queryVector = vectorSource(dimension, 99);
  for (let q = 0; q < queries; q++) {
    const scope = hex64(q % scopes);
    const v = queryVector();
    let s = process.hrtime.bigint();
    await store.search(scope, v, 4, now);
    semantic.push(Number(process.hrtime.bigint() - s) / 1e6);
    const i = (q * 7919) % entries;
    s = process.hrtime.bigint();
    await store.getExact(hex64(i % scopes), hex64(1e9 + i), now);
    exact.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  semantic.sort((a, b) => a - b);
  exact.sort((a, b) => a - b);
  global.gc?.();
  const mem = process.memoryUsage();
  const result: SizeResult = {
    entries,
    scopes,
    insertPerSecond: Math.round(entries / insertSeconds),
    semanticP50Ms: round(percentile(semantic, 0.5)),
    semanticP99Ms: round(percentile(semantic, 0.99)),
    exactP50Ms: round(percentile(exact, 0.5)),
    exactP99Ms: round(percentile(exact, 0.99)),
    heapMb: Math.round((mem.heapUsed - heap0) / 2 ** 20),
    rssMb: Math.round((mem.rss - rss0) / 2 ** 20),
    graphScopes: store.describe().graphScopes,
  };
  await store.flush();
  return result;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The same fixed CPU work timed many times: its p99/p50 shows how much of a tail comes from the
 * machine (other processes on 2 cores) rather than from the index.
 */
function contentionBaseline(): { p50Ms: number; p99Ms: number } {
  const times: number[] = [];
  let sink = 0;
  for (let r = 0; r < 2000; r++) {
    const s = process.hrtime.bigint();
    for (let i = 0; i < 20_000; i++) sink += Math.sqrt(i);
    times.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  if (sink < 0) console.log(sink);
  times.sort((a, b) => a - b);
  return { p50Ms: round(percentile(times, 0.5)), p99Ms: round(percentile(times, 0.99)) };
}

export async function runCacheBench(): Promise<SizeResult[]> {
  const sizes = arg('sizes', '1000,10000,100000').split(',').map(Number);
  const dimension = Number(arg('dimension', '256'));
  const queries = Number(arg('queries', '2000'));
  const results: SizeResult[] = [];
  console.log(
    `cache bench: dimension ${dimension}, ${queries} queries per size, k=4, HNSW M=16 efC=100 ef=64`,
  );
  console.log('entries  scopes  insert/s  sem p50  sem p99  exact p50  exact p99  heap MB  rss MB  graphs');
  for (const entries of sizes) {
    for (const scopes of [1, 1000]) {
      if (scopes > entries) continue;
      const r = await measure(entries, scopes, dimension, queries);
      results.push(r);
      console.log(
        [
          r.entries,
          r.scopes,
          r.insertPerSecond,
          r.semanticP50Ms,
          r.semanticP99Ms,
          r.exactP50Ms,
          r.exactP99Ms,
          r.heapMb,
          r.rssMb,
          r.graphScopes,
        ]
          .map((x) => String(x).padStart(8))
          .join(' '),
      );
    }
  }
  const baseline = contentionBaseline();
  const loadAverage = loadavg().map((x) => Math.round(x * 100) / 100);
  console.log(
    `machine: load average ${loadAverage.join(' ')}, fixed-work baseline p50 ${baseline.p50Ms} ms p99 ${baseline.p99Ms} ms`,
  );
  const dir = join(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `cache-${new Date().toISOString().slice(0, 10)}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ bench: 'cache', node: process.version, cpus: cpus().length, loadAverage, baseline, dimension, queries, at: new Date().toISOString(), results }, null, 2)}\n`,
  );
  console.log(`saved ${file}`);
  return results;
}

if (require.main === module) {
  runCacheBench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
