import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openSharedEncoder, ToolRanker, verifySimilarPair, type SharedEncoder } from '@sr/ml';
import { loadConfigFile, ToolDefinition, type RouterConfig } from '@sr/shared';
import { z } from 'zod';
import { openJsonl, parseObjectLine, stringField } from './jsonl';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

/**
 * `semantic-router similarity --input pairs.jsonl`: `{"a","b"}` → `{"a","b","score","hit"}`.
 * `hit` is what the cache would decide: score ≥ the cache threshold (config, else the encoder's
 * calibrated one) and the verification step passes (its reason is given when it does not).
 */
export async function similarityCommand(args: {
  config: string;
  input: string;
  output?: string | undefined;
}): Promise<number> {
  const config = loadConfigFile(args.config);
  // As the cache decides: the config's threshold, else the encoder's calibrated one.
  const opened = await openEncoder(
    config,
    'cache',
    config.cache.similarityThreshold,
    'set cache.similarityThreshold in the config',
  );
  if (!opened) return 2;
  const { encoder, threshold } = opened;
  const io = openJsonl(args.input, args.output);
  let failures = 0;
  let lineNo = 0;
  for await (const line of io.lines) {
    lineNo++;
    if (line.trim() === '') continue;
    const obj = parseObjectLine(line);
    const a = typeof obj === 'string' ? { error: obj } : stringField(obj, 'a');
    const b = typeof obj === 'string' ? { error: obj } : stringField(obj, 'b');
    if (typeof a !== 'string' || typeof b !== 'string') {
      failures++;
      io.write({ line: lineNo, error: typeof a !== 'string' ? a.error : (b as { error: string }).error });
      continue;
    }
    const [va, vb] = await encoder.embed([a, b]);
    const score = Math.round(cosine(va!, vb!) * 10000) / 10000;
    const verdict = score >= threshold ? verifySimilarPair(a, b) : undefined;
    io.write({
      a,
      b,
      score,
      hit: verdict?.ok === true,
      ...(verdict && !verdict.ok ? { rejected: verdict.reason } : {}),
    });
  }
  await io.close();
  await encoder.close();
  return failures > 0 ? 1 : 0;
}

/**
 * The configured encoder (either kind: in-house or a Hugging Face export, as the services load it)
 * and the threshold in force: `given` (config or flag), else the encoder's calibrated one. Without
 * either, says what to set and returns undefined.
 */
async function openEncoder(
  config: RouterConfig,
  kind: 'cache' | 'tool',
  given: number | undefined,
  remedy: string,
): Promise<{ encoder: SharedEncoder; threshold: number } | undefined> {
  const encoder = await openSharedEncoder(resolve(config.classifiers.encoderDir), {
    executionProviders: config.classifiers.executionProviders,
  });
  const threshold = given ?? encoder.thresholds?.[kind];
  if (threshold !== undefined) return { encoder, threshold };
  await encoder.close();
  process.stderr.write(
    `${config.classifiers.encoderDir} has no calibrated ${kind} threshold (a Hugging Face export): ${remedy}\n`,
  );
  return undefined;
}

const ToolsFile = z.strictObject({ tools: z.array(ToolDefinition).min(1) });

/**
 * `semantic-router select-tools --tools tools.json --input queries.jsonl`: `{"text"}` →
 * `{"text","selected","scores"}` with top_k and threshold from the config or the flags.
 */
export async function selectToolsCommand(args: {
  config: string;
  tools: string;
  input: string;
  output?: string | undefined;
  topK?: number | undefined;
  threshold?: number | undefined;
}): Promise<number> {
  const config = loadConfigFile(args.config);
  const parsed = ToolsFile.safeParse(JSON.parse(readFileSync(args.tools, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    process.stderr.write(`${args.tools}: ${issue.path.join('.') || '(root)'}: ${issue.message}\n`);
    return 2;
  }
  const tools = parsed.data.tools;
  const opened = await openEncoder(
    config,
    'tool',
    args.threshold ?? config.tools.similarityThreshold,
    'set tools.similarityThreshold in the config or pass --threshold',
  );
  if (!opened) return 2;
  const { encoder, threshold } = opened;
  const ranker = new ToolRanker(encoder);
  const topK: number = args.topK ?? config.tools.topK;
  const io = openJsonl(args.input, args.output);
  let failures = 0;
  let lineNo = 0;
  for await (const line of io.lines) {
    lineNo++;
    if (line.trim() === '') continue;
    const obj = parseObjectLine(line);
    const text = typeof obj === 'string' ? { error: obj } : stringField(obj, 'text');
    if (typeof text !== 'string') {
      failures++;
      io.write({ line: lineNo, error: text.error });
      continue;
    }
    const { selected, ranking } = await ranker.select(text, tools, { topK, threshold });
    io.write({
      text,
      selected,
      scores: Object.fromEntries(ranking.map((r) => [r.name, Math.round(r.score * 10000) / 10000])),
    });
  }
  await io.close();
  await encoder.close();
  return failures > 0 ? 1 : 0;
}
