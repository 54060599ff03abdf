import { readFileSync } from 'node:fs';
import path from 'node:path';
import { datasetsDir } from '../../train/paths';
import { fnv1a, normalizeText } from '../features';

export function readText(rel: string): string {
  const file = path.join(datasetsDir(), rel);
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new Error(`dataset file ${file} is missing or unreadable (set SR_DATASETS_DIR?)`, { cause });
  }
}

export function readJson<T>(rel: string): T {
  return JSON.parse(readText(rel)) as T;
}

export function readJsonLines<T>(rel: string): T[] {
  return readText(rel)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

// One CSV parser for every dataset reader (RFC 4180: quoted fields, doubled quotes, newlines).
export { parseCsv } from '../../train/readers';

/**
 * Fixed split by a hash of the normalised key, so duplicates never straddle train and test and
 * every run (and every machine) agrees. Returns a number in [0, 1).
 */
export function splitPoint(key: string, salt = 'encoder'): number {
  return fnv1a(`${salt}\u0000${normalizeText(key).trim()}`, 0x5eed) / 2 ** 32;
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}

export function pick<T>(items: readonly T[], rand: () => number): T {
  return items[Math.floor(rand() * items.length)] as T;
}
