import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Reads a text file, gunzipping `.gz`. */
export function readText(path: string): string {
  const buf = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8').replace(/^\uFEFF/u, '');
}

/** One JSON value per non-blank line; a bad line names the file and line number. */
export function readJsonl<T = unknown>(path: string): T[] {
  const out: T[] = [];
  readText(path)
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        out.push(JSON.parse(line) as T);
      } catch (cause) {
        throw new Error(`${path}:${i + 1}: not valid JSON`, { cause });
      }
    });
  return out;
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readText(path)) as T;
}

/** RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes) → rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** CSV with a header row → objects keyed by the header. */
export function readCsv(path: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readText(path));
  if (header === undefined) return [];
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
