/**
 * The lexical half of tool ranking: how much of a query's informative vocabulary a tool's name,
 * description and parameter names contain. Nothing here is learned from tool-selection data: a
 * word's weight (IDF) comes from its rank in a general English frequency list (GloVe 6B's 10k most
 * frequent words), so a tool's score does not depend on which other tools share the request.
 */
import { splitIdentifier } from './tool-text';
import { WORDS_BY_FREQUENCY } from './word-frequency';

/** Function words and request filler ("can you please help me find …") that say nothing about a tool. */
const STOPWORDS = new Set(
  (
    'a an the and or of to in on for with by from at as is are was were be been being it its this that ' +
    'these those i me my we our you your he she they them their what which who whom how when where why ' +
    'can could would should will shall do does did done have has had not no yes if then than so such any ' +
    'some all each every more most other into about over under up down out off again further once here ' +
    'there also just only very too please help want need like get find give tell show make let know use ' +
    'using used one two etc eg ie via hey hi hello'
  ).split(' '),
);

let ranks: Map<string, number> | undefined;

/** Frequency rank of a word (1 = most frequent); words outside the list count as rank 20,000. */
function rankOf(word: string): number {
  ranks ??= new Map(WORDS_BY_FREQUENCY.split(' ').map((w, i) => [w, i + 1]));
  return ranks.get(word) ?? 20_000;
}

/** Background IDF: ~0 for the most frequent words, ~6 for words outside the 10k list. */
export function wordIdf(word: string, stemmed = stem(word)): number {
  return Math.log(1 + Math.min(rankOf(word), rankOf(stemmed)) / 50);
}

/** A light suffix stripper (plural, -ing, -ed) so "forecasts"/"forecasting" match "forecast". */
export function stem(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed')) return w.slice(0, -2);
  if (w.length > 3 && /(s|x|z|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/** Lower-cased content words of a text (identifiers split: "getWeather" → "get", "weather"). */
export function contentWords(text: string): string[] {
  const out: string[] = [];
  // One pass over alphanumeric runs; only runs with an inner capital or a separator-free
  // identifier shape go through splitIdentifier (long prompts stay linear and cheap).
  for (const run of text.match(/[A-Za-z0-9]+/g) ?? []) {
    const words = /[a-z0-9][A-Z]|[A-Z]{2}[a-z]/.test(run)
      ? splitIdentifier(run).split(' ')
      : [run.toLowerCase()];
    for (const w of words) if (w.length > 1 && !STOPWORDS.has(w)) out.push(w);
  }
  return out;
}

/** Stemmed words of one tool, each with its field weight: 2 in the name, 1 in description/parameters. */
export type LexicalIndex = ReadonlyMap<string, number>;

/** Weight of a word found in the tool's name (BM25F-style title boost) vs. its other text. */
export const NAME_WEIGHT = 2;

interface SchemaLike {
  properties?: Record<string, unknown>;
}

export function lexicalIndex(fn: { name: string; description?: string; parameters?: unknown }): LexicalIndex {
  const index = new Map<string, number>();
  const add = (text: string, weight: number): void => {
    for (const w of contentWords(text)) {
      const s = stem(w);
      index.set(s, Math.max(index.get(s) ?? 0, weight));
    }
  };
  if (fn.description) add(fn.description, 1);
  const props = (fn.parameters as SchemaLike | undefined)?.properties;
  if (props && typeof props === 'object') for (const key of Object.keys(props)) add(key, 1);
  add(fn.name, NAME_WEIGHT);
  return index;
}

/** The query's content words (stemmed, deduplicated) with their IDF. */
export type QueryTerms = ReadonlyArray<{ readonly stem: string; readonly idf: number }>;

export function queryTerms(query: string): QueryTerms {
  const seen = new Map<string, number>();
  for (const w of new Set(contentWords(query))) {
    const s = stem(w);
    if (!seen.has(s)) seen.set(s, wordIdf(w, s));
  }
  return [...seen].map(([s, idf]) => ({ stem: s, idf }));
}

/**
 * Share of the query's IDF mass that the tool's text contains, words in the tool's name counting
 * double, capped at 1: 0 when nothing informative matches, 1 when every query word is found in the
 * tool's text (or half of the query's IDF mass is in its name).
 */
export function lexicalScore(terms: QueryTerms, index: LexicalIndex): number {
  let total = 0;
  let hit = 0;
  for (const t of terms) {
    total += t.idf;
    hit += t.idf * (index.get(t.stem) ?? 0);
  }
  return total > 0 ? Math.min(1, hit / total) : 0;
}
