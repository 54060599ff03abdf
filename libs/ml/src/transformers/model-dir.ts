import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MlError } from '../runtime/errors';

/** What a Hugging Face export directory declares (the parts of `config.json` we use). */
export interface HfConfig {
  readonly architectures: readonly string[];
  /** Labels in logit order, from `id2label` (empty when the config has none). */
  readonly labels: readonly string[];
  readonly maxPositionEmbeddings: number | undefined;
  readonly problemType: string | undefined;
  readonly raw: Readonly<Record<string, unknown>>;
}

export type HfTask = 'sequence-classification' | 'token-classification' | 'embedding';

/** `in-house`: our manifest-based models (or the PII tagger); `hf`: a Hugging Face export. */
export type ModelKind = 'in-house' | 'hf';

/**
 * Which loader a model directory needs: `manifest.json` (or our PII tagger's config) means
 * in-house; `config.json` + `tokenizer.json` means a Hugging Face export.
 */
export function detectModelKind(dir: string): ModelKind {
  if (existsSync(join(dir, 'manifest.json'))) return 'in-house';
  const hasConfig = existsSync(join(dir, 'config.json'));
  if (hasConfig && existsSync(join(dir, 'tokenizer.json'))) return 'hf';
  if (hasConfig && existsSync(join(dir, 'lexicon.json'))) return 'in-house';
  throw new MlError(
    'ML_MODEL_MISSING',
    `${dir} is neither an in-house model (manifest.json) nor a Hugging Face export (config.json + tokenizer.json${hasConfig ? '; tokenizer.json is missing' : ''})`,
    { details: { dir } },
  );
}

/** The task a config's `architectures` names (`…ForSequenceClassification` etc.), else `embedding`. */
export function inferTask(config: HfConfig): HfTask {
  if (config.architectures.some((a) => a.endsWith('ForSequenceClassification')))
    return 'sequence-classification';
  if (config.architectures.some((a) => a.endsWith('ForTokenClassification'))) return 'token-classification';
  return 'embedding';
}

async function readJson(path: string, what: string, required: boolean): Promise<unknown> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (!required && code === 'ENOENT') return undefined;
    throw new MlError(
      code === 'ENOENT' || code === 'ENOTDIR' ? 'ML_MODEL_MISSING' : 'ML_MODEL_CORRUPT',
      `${what} not found or unreadable: ${path}`,
      { cause, details: { path } },
    );
  }
  try {
    return JSON.parse(raw);
  } catch (cause) {
    throw new MlError('ML_MANIFEST_INVALID', `${path} is not valid JSON: ${(cause as Error).message}`, {
      cause,
      details: { path },
    });
  }
}

/** Parses `config.json`; `id2label` must map 0..n-1 without gaps when present. */
export function parseHfConfig(json: unknown, path: string): HfConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new MlError('ML_MANIFEST_INVALID', `${path} is not a JSON object`);
  const raw = json as Record<string, unknown>;
  const labels: string[] = [];
  const id2label = raw['id2label'];
  if (id2label !== undefined) {
    if (typeof id2label !== 'object' || id2label === null)
      throw new MlError('ML_MANIFEST_INVALID', `${path}: id2label must be an object {"0": "label", …}`);
    const entries = Object.entries(id2label as Record<string, unknown>);
    for (let i = 0; i < entries.length; i++) {
      const label = (id2label as Record<string, unknown>)[String(i)];
      if (typeof label !== 'string' || label === '')
        throw new MlError(
          'ML_MANIFEST_INVALID',
          `${path}: id2label has no label for id ${i} (ids must be 0..${entries.length - 1})`,
        );
      labels.push(label);
    }
  }
  const maxPos = raw['max_position_embeddings'];
  return {
    architectures: Array.isArray(raw['architectures']) ? raw['architectures'].map(String) : [],
    labels,
    maxPositionEmbeddings: typeof maxPos === 'number' && maxPos > 2 ? maxPos : undefined,
    problemType: typeof raw['problem_type'] === 'string' ? raw['problem_type'] : undefined,
    raw,
  };
}

export interface HfModelFiles {
  readonly dir: string;
  readonly config: HfConfig;
  readonly tokenizerJson: unknown;
  readonly tokenizerConfig: Record<string, unknown>;
  readonly modelBytes: Uint8Array;
}

/** Reads the files of an export directory; each missing or broken file is named in the error. */
export async function readHfModelDir(dir: string): Promise<HfModelFiles> {
  const configPath = join(dir, 'config.json');
  const config = parseHfConfig(await readJson(configPath, 'config.json', true), configPath);
  const tokenizerJson = await readJson(join(dir, 'tokenizer.json'), 'tokenizer.json', true);
  const tokenizerConfig = ((await readJson(
    join(dir, 'tokenizer_config.json'),
    'tokenizer_config.json',
    false,
  )) ?? {}) as Record<string, unknown>;
  const modelPath = join(dir, 'model.onnx');
  let modelBytes: Buffer;
  try {
    modelBytes = await readFile(modelPath);
  } catch (cause) {
    throw new MlError('ML_MODEL_MISSING', `model.onnx not found or unreadable: ${modelPath}`, {
      cause,
      details: { path: modelPath },
    });
  }
  return {
    dir,
    config,
    tokenizerJson,
    tokenizerConfig,
    modelBytes: new Uint8Array(modelBytes.buffer, modelBytes.byteOffset, modelBytes.byteLength),
  };
}
