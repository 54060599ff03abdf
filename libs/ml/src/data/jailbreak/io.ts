// Small readers for the shared dataset formats (CSV with quoted multi-line fields, JSON lines,
// gzip). Kept local to the jailbreak data so it does not depend on the ML core's loaders.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseCsv } from '../../train/readers';

export { datasetsDir } from '../../train/paths';

export function readText(path: string): string {
  if (!existsSync(path)) throw new Error(`dataset file missing: ${path}`);
  const buf = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function readJson<T>(path: string): T {
  return JSON.parse(readText(path)) as T;
}

export function readJsonl<T>(path: string): T[] {
  return readText(path)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines. First row = header. */
export function readCsv(path: string): Record<string, string>[] {
  const rows = parseCsv(readText(path));
  const header = rows.shift() ?? [];
  return rows
    .filter((r) => r.length > 1 || (r[0] ?? '') !== '')
    .map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

// One CSV parser for every dataset reader (RFC 4180: quoted fields, doubled quotes, newlines).
export { parseCsv } from '../../train/readers';
