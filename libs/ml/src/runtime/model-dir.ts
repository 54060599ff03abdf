import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MlError } from './errors';
import { ManifestSchema } from './manifest';
import type { Manifest } from './manifest';

/** A model directory read from disk and checked: manifest valid, model bytes match its sha256. */
export interface ModelFiles {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly modelBytes: Uint8Array;
}

async function readOrThrow(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new MlError('ML_MODEL_MISSING', `${what} not found: ${path}`, { cause, details: { path } });
    throw new MlError('ML_MODEL_CORRUPT', `${what} could not be read: ${path} (${code ?? String(cause)})`, {
      cause,
      details: { path },
    });
  }
}

/** Parses and validates `manifest.json` (every problem listed in one error). */
export function parseManifest(raw: string, path: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (cause) {
    throw new MlError('ML_MANIFEST_INVALID', `${path} is not valid JSON: ${(cause as Error).message}`, {
      cause,
      details: { path },
    });
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new MlError('ML_MANIFEST_INVALID', `${path} is invalid: ${problems.join('; ')}`, {
      details: { path, problems },
    });
  }
  return parsed.data;
}

/** Reads `<dir>/manifest.json` and the model file it names, verifying size and checksum. */
export async function readModelDir(dir: string): Promise<ModelFiles> {
  const manifestPath = join(dir, 'manifest.json');
  const manifest = parseManifest(
    (await readOrThrow(manifestPath, 'model manifest')).toString('utf8'),
    manifestPath,
  );
  const modelPath = join(dir, manifest.model.file);
  const bytes = await readOrThrow(modelPath, 'model file');
  if (bytes.byteLength !== manifest.model.bytes) {
    throw new MlError(
      'ML_MODEL_CORRUPT',
      `${modelPath} has ${bytes.byteLength} bytes, manifest says ${manifest.model.bytes} (truncated or replaced?)`,
      { details: { path: modelPath } },
    );
  }
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== manifest.model.sha256) {
    throw new MlError(
      'ML_MODEL_CORRUPT',
      `${modelPath} checksum ${sha.slice(0, 12)}… does not match the manifest's ${manifest.model.sha256.slice(0, 12)}…`,
      { details: { path: modelPath } },
    );
  }
  return { dir, manifest, modelBytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A manifest before its model file is known (the writer fills in `model.file/sha256/bytes`). */
export type ManifestDraft = Omit<Manifest, 'model' | 'createdAt'> & {
  readonly model: Pick<Manifest['model'], 'inputs' | 'outputs'>;
  readonly createdAt?: string;
};

/**
 * Writes `<dir>/model.onnx` and `<dir>/manifest.json` (validated before anything is written, so
 * a bad draft never leaves a half-written directory behind).
 */
export async function writeModelDir(
  dir: string,
  modelBytes: Uint8Array,
  draft: ManifestDraft,
): Promise<Manifest> {
  const manifest = ManifestSchema.parse({
    ...draft,
    createdAt: draft.createdAt ?? new Date().toISOString(),
    model: {
      ...draft.model,
      file: 'model.onnx',
      sha256: sha256Hex(modelBytes),
      bytes: modelBytes.byteLength,
    },
  });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.onnx'), modelBytes);
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
