import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The monorepo root: `SR_REPO_ROOT`, else the nearest ancestor whose package.json declares workspaces. */
export function repoRoot(from = __dirname): string {
  const env = process.env['SR_REPO_ROOT'];
  if (env) return resolve(env);
  let dir = resolve(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { workspaces?: unknown }).workspaces !== undefined
    )
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no workspace root above ${from}`);
    dir = parent;
  }
}

/**
 * The shared datasets folder: `SR_DATASETS_DIR`, else `../shared/datasets` next to the repo.
 * Throws a clear error when absent (training and evaluation need it; inference does not).
 */
export function datasetsDir(): string {
  const candidates = [
    process.env['SR_DATASETS_DIR'],
    resolve(repoRoot(), '..', 'shared', 'datasets'),
    '/work/shared/datasets',
  ].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(join(p, 'README.md')));
  if (found === undefined)
    throw new Error(`datasets not found (looked in ${candidates.join(', ')}); set SR_DATASETS_DIR`);
  return found;
}

/** `models/<name>` under the repo root. */
export function modelDir(name: string): string {
  return join(repoRoot(), 'models', name);
}
