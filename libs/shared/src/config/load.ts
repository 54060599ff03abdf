import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { SrError } from '../errors';
import { ConfigSchema, type RouterConfig } from './schema';

/** One problem in a config file, with the dotted path of the offending key. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** Thrown when a config fails validation: lists every problem, each with its path. */
export class ConfigError extends SrError {
  readonly problems: readonly ConfigProblem[];
  constructor(source: string, problems: ConfigProblem[]) {
    super(
      'CONFIG_INVALID',
      `invalid config ${source}: ${problems.length} problem(s)\n` +
        problems.map((p) => `  - ${p.path || '(root)'}: ${p.message}`).join('\n'),
      { details: { problems } },
    );
    this.problems = problems;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

/** Environment variables that override config keys (12-factor style, for containers). */
type RawNode = Record<string, unknown>;
const ENV_OVERRIDES: Array<{ env: string; apply: (raw: RawNode, value: string) => void }> = [
  { env: 'SR_HTTP_PORT', apply: (r, v) => (ensure(r, 'listeners', 'http').port = Number(v)) },
  { env: 'SR_GRPC_PORT', apply: (r, v) => (ensure(r, 'listeners', 'grpc').port = Number(v)) },
  { env: 'SR_METRICS_PORT', apply: (r, v) => (ensure(r, 'listeners', 'metrics').port = Number(v)) },
  { env: 'SR_BUS_MODE', apply: (r, v) => (ensure(r, 'bus').mode = v) },
  { env: 'NATS_URL', apply: (r, v) => (ensure(r, 'bus', 'nats').url = v) },
  { env: 'SR_CACHE_BACKEND', apply: (r, v) => (ensure(r, 'cache').backend = v) },
  { env: 'QDRANT_URL', apply: (r, v) => (ensure(r, 'cache', 'qdrant').url = v) },
  { env: 'SR_LOG_LEVEL', apply: (r, v) => (ensure(r, 'observability').logLevel = v) },
];

function ensure(root: RawNode, ...keys: string[]): RawNode {
  let node = root;
  for (const key of keys) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as RawNode;
  }
  return node;
}

/** The raw document with the list/record fields crossCheck reads made safe to read. */
function lenient(raw: RawNode): RouterConfig {
  const arr = (v: unknown) => (Array.isArray(v) ? v.filter((x) => typeof x === 'object' && x !== null) : []);
  const obj = (v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as RawNode) : {};
  const defaults = ConfigSchema.shape;
  return {
    ...raw,
    models: arr(raw.models).map((m) => ({ ...m, name: String((m as RawNode).name ?? '') })),
    categories: arr(raw.categories).map((c) => ({
      ...c,
      modelScores: arr((c as RawNode).modelScores),
      examples: Array.isArray((c as RawNode).examples) ? (c as RawNode).examples : [],
      keywords: Array.isArray((c as RawNode).keywords) ? (c as RawNode).keywords : [],
    })),
    autoModelNames: Array.isArray(raw.autoModelNames)
      ? raw.autoModelNames
      : defaults.autoModelNames.parse(undefined),
    reasoningFamilies: { ...defaults.reasoningFamilies.parse(undefined), ...obj(raw.reasoningFamilies) },
    auth: { required: obj(raw.auth).required === true, apiKeys: arr(obj(raw.auth).apiKeys) },
    defaultModel: typeof raw.defaultModel === 'string' ? raw.defaultModel : '',
  } as unknown as RouterConfig;
}

/** Cross-field rules zod's per-field schema cannot express. */
function crossCheck(config: RouterConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const modelNames = new Set<string>();
  config.models.forEach((m, i) => {
    if (modelNames.has(m.name))
      problems.push({ path: `models[${i}].name`, message: `duplicate model "${m.name}"` });
    modelNames.add(m.name);
    if (m.reasoningFamily && !config.reasoningFamilies[m.reasoningFamily]) {
      problems.push({
        path: `models[${i}].reasoningFamily`,
        message: `unknown reasoning family "${m.reasoningFamily}" (known: ${Object.keys(config.reasoningFamilies).join(', ')})`,
      });
    }
    if (config.autoModelNames.includes(m.name)) {
      problems.push({ path: `models[${i}].name`, message: `"${m.name}" is an auto model name` });
    }
  });
  if (!modelNames.has(config.defaultModel)) {
    problems.push({ path: 'defaultModel', message: `"${config.defaultModel}" is not a configured model` });
  }
  const categoryNames = new Set<string>();
  config.categories.forEach((c, i) => {
    if (categoryNames.has(c.name))
      problems.push({ path: `categories[${i}].name`, message: `duplicate category "${c.name}"` });
    categoryNames.add(c.name);
    c.modelScores.forEach((s, j) => {
      if (!modelNames.has(s.model)) {
        problems.push({
          path: `categories[${i}].modelScores[${j}].model`,
          message: `"${s.model}" is not a configured model`,
        });
      }
    });
    if (c.signal === 'custom' && c.examples.length === 0 && c.keywords.length === 0) {
      problems.push({
        path: `categories[${i}].examples`,
        message: 'a custom category needs examples or keywords',
      });
    }
  });
  config.auth.apiKeys.forEach((k, i) => {
    if (!k.keyEnv === !k.sha256)
      problems.push({ path: `auth.apiKeys[${i}]`, message: 'set exactly one of keyEnv, sha256' });
  });
  if (config.auth.required && config.auth.apiKeys.length === 0) {
    problems.push({ path: 'auth.apiKeys', message: 'auth.required is true but no API keys are configured' });
  }
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Parses and validates config text. Throws one ConfigError listing every problem.
 * @param env environment for overrides (pass `{}` to ignore the process environment).
 */
export function parseConfig(
  text: string,
  source = '<inline>',
  env: NodeJS.ProcessEnv = process.env,
): RouterConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => ({ path: '', message: `YAML syntax: ${e.message.split('\n')[0]}` })),
    );
  }
  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(source, [{ path: '', message: 'the config must be a YAML mapping' }]);
  }
  for (const { env: name, apply } of ENV_OVERRIDES) {
    const value = env[name];
    if (value !== undefined && value !== '') apply(raw as RawNode, value);
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    // Report the cross-field problems too (one error lists everything), as far as the raw shape allows.
    const problems = issuesToProblems(parsed.error.issues);
    const seen = new Set(problems.map((p) => p.path));
    for (const p of crossCheck(lenient(raw as RawNode))) if (!seen.has(p.path)) problems.push(p);
    throw new ConfigError(source, problems);
  }
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) throw new ConfigError(source, problems);
  return deepFreeze(parsed.data);
}

function issuesToProblems(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return { path: formatPath(issue.path), message: `unknown key(s): ${issue.keys.join(', ')}` };
    }
    return { path: formatPath(issue.path), message: issue.message };
  });
}

/** Reads and validates a config file. */
export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): RouterConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new SrError('CONFIG_NOT_FOUND', `cannot read config file ${file}: ${(cause as Error).message}`, {
      cause,
    });
  }
  return parseConfig(text, file, env);
}
