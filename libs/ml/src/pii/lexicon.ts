import { readFile, writeFile } from 'node:fs/promises';

/**
 * Name and place word lists (lower case) used as token features: they let the tagger recognise
 * "Okafor" or "Gdańsk" from a lexicon instead of only from words it saw in training sentences.
 */
export interface PiiLexicon {
  first: ReadonlySet<string>;
  last: ReadonlySet<string>;
  place: ReadonlySet<string>;
}

export const EMPTY_LEXICON: PiiLexicon = { first: new Set(), last: new Set(), place: new Set() };

function addWords(target: Set<string>, value: unknown): void {
  if (typeof value === 'string') {
    for (const w of value.toLowerCase().split(/[^\p{L}\p{M}]+/u)) if (w.length >= 2) target.add(w);
  } else if (Array.isArray(value)) for (const v of value) addWords(target, v);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) addWords(target, v);
}

/** Collects first names, last names and place names from every faker locale (training time only). */
export async function buildLexiconFromFaker(): Promise<PiiLexicon> {
  const { allFakers } = await import('@faker-js/faker');
  const first = new Set<string>();
  const last = new Set<string>();
  const place = new Set<string>();
  for (const f of Object.values(allFakers)) {
    const d = f.rawDefinitions;
    addWords(first, d.person?.first_name);
    addWords(last, d.person?.last_name);
    addWords(place, d.location?.city_name);
    addWords(place, d.location?.country);
    addWords(place, d.location?.state);
  }
  return { first, last, place };
}

export async function saveLexicon(path: string, lex: PiiLexicon): Promise<void> {
  const body = { first: [...lex.first].sort(), last: [...lex.last].sort(), place: [...lex.place].sort() };
  await writeFile(path, JSON.stringify(body) + '\n');
}

export async function loadLexicon(path: string): Promise<PiiLexicon> {
  const raw = JSON.parse(await readFile(path, 'utf8')) as {
    first?: string[];
    last?: string[];
    place?: string[];
  };
  if (!Array.isArray(raw.first) || !Array.isArray(raw.last) || !Array.isArray(raw.place))
    throw new Error(`${path}: expected arrays "first", "last" and "place"`);
  return { first: new Set(raw.first), last: new Set(raw.last), place: new Set(raw.place) };
}
