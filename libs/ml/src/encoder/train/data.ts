/**
 * Training and held-out data for the sentence encoder, read from `../shared/datasets/`.
 * Every held-out choice is fixed here (hash splits, named intents, named BFCL files), so the eval
 * and the trainer cannot disagree about what was seen in training.
 */
import { toolText } from '../../tool-ranking/tool-text';
import type { OpenAiTool } from '../../tool-ranking/tool-text';
import { parseCsv, pick, readJson, readJsonLines, readText, rng, shuffle, splitPoint } from './io';

/** A training pair; `neg` is an optional hard negative for `a`; `group` must be unique in a batch. */
export interface Pair {
  readonly a: string;
  readonly b: string;
  readonly neg?: string;
  readonly group?: string;
}

/** A labelled pair for evaluation (1 = same question). */
export interface LabelledPair {
  readonly a: string;
  readonly b: string;
  readonly label: 0 | 1;
  readonly source: string;
}

const HELD_OUT = 0.2;

/** CLINC150 intents that no training pair mentions: the custom-category eval defines them from 10 examples. */
export const CLINC_HELD_OUT_INTENTS = [
  'transfer',
  'report_lost_card',
  'recipe',
  'play_music',
  'gas',
  'book_flight',
  'weather',
  'pto_request',
  'tell_joke',
  'change_language',
] as const;

// ---------------------------------------------------------------- paraphrases

interface GptCacheRow {
  origin: string;
  similar: string;
}

export function gptCachePairs(): { train: Pair[]; test: LabelledPair[] } {
  const rows = readJson<GptCacheRow[]>('e_paraphrase/gptcache_mock_data/mock_data.json');
  const train: Pair[] = [];
  const test: LabelledPair[] = [];
  for (const r of rows) {
    if (splitPoint(r.origin) < HELD_OUT)
      test.push({ a: r.origin, b: r.similar, label: 1, source: 'gptcache' });
    else train.push({ a: r.origin, b: r.similar });
  }
  return { train, test };
}

type DisflFile = Record<string, { original: string; disfluent: string }>;

/** Disfl-QA: positives (original ↔ disfluent); the next question in file order (same article) is a topical negative. */
export function disflPairs(): { train: Pair[]; test: LabelledPair[] } {
  const train: Pair[] = [];
  for (const f of ['train', 'dev']) {
    const rows = Object.values(readJson<DisflFile>(`g_more/disfl_qa/${f}.json`));
    rows.forEach((r, i) => {
      const next = rows[i + 1] ?? rows[i - 1];
      const neg = next && next.original !== r.original ? next.original : undefined;
      train.push({ a: r.original, b: r.disfluent, ...(neg ? { neg } : {}) });
    });
  }
  const rows = Object.values(readJson<DisflFile>('g_more/disfl_qa/test.json'));
  const test: LabelledPair[] = [];
  rows.forEach((r, i) => {
    test.push({ a: r.original, b: r.disfluent, label: 1, source: 'disfl-qa' });
    const next = rows[i + 1];
    if (next && next.original !== r.original)
      test.push({ a: r.original, b: next.original, label: 0, source: 'disfl-qa-topical' });
  });
  return { train, test };
}

function pawsRows(file: 'dev' | 'test'): Array<{ s1: string; s2: string; label: 0 | 1 }> {
  return readText(`e_paraphrase/paws_wiki_final_dev_test_via_simmat/data/final/${file}.tsv`)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [, s1 = '', s2 = '', label = '0'] = l.split('\t');
      return { s1, s2, label: label.trim() === '1' ? 1 : 0 };
    });
}

/** PAWS dev (training): positives, with the same sentence's non-paraphrase partner as the hard negative. */
export function pawsTrainPairs(): Pair[] {
  const bySentence = new Map<string, { pos: string[]; neg: string[] }>();
  for (const r of pawsRows('dev')) {
    const e = bySentence.get(r.s1) ?? { pos: [], neg: [] };
    (r.label === 1 ? e.pos : e.neg).push(r.s2);
    bySentence.set(r.s1, e);
  }
  const pairs: Pair[] = [];
  for (const [s1, { pos, neg }] of bySentence) {
    for (const [i, p] of pos.entries()) {
      const n = neg[i % Math.max(1, neg.length)];
      pairs.push({ a: s1, b: p, ...(n ? { neg: n } : {}) });
    }
  }
  return pairs;
}

export function pawsTestPairs(): LabelledPair[] {
  return pawsRows('test').map((r) => ({ a: r.s1, b: r.s2, label: r.label, source: 'paws' }));
}

// ---------------------------------------------------------------- XQuAD (cross-lingual)

interface SquadFile {
  data: Array<{ title?: string; paragraphs: Array<{ qas: Array<{ id: string; question: string }> }> }>;
}
const XQUAD_LANGS = ['ar', 'de', 'el', 'en', 'es', 'hi', 'ro', 'ru', 'th', 'tr', 'vi', 'zh'] as const;

/** Same question id across languages = positive; another question on the same paragraph = hard negative. */
export function xquadPairs(seed: number): { train: Pair[]; test: LabelledPair[] } {
  const byLang = new Map<string, Map<string, string>>();
  // Question id → paragraph key and the ids of the other questions on that paragraph.
  const paragraphOf = new Map<string, { key: string; ids: string[] }>();
  for (const lang of XQUAD_LANGS) {
    const f = readJson<SquadFile>(`g_more/xquad_parallel_questions/xquad.${lang}.json`);
    const m = new Map<string, string>();
    f.data.forEach((article, ai) =>
      article.paragraphs.forEach((p, pi) => {
        const ids = p.qas.map((q) => q.id);
        for (const q of p.qas) {
          m.set(q.id, q.question);
          if (lang === 'en') paragraphOf.set(q.id, { key: `${ai}:${pi}`, ids });
        }
      }),
    );
    byLang.set(lang, m);
  }
  const rand = rng(seed);
  const en = byLang.get('en') as Map<string, string>;
  // XQuAD and Disfl-QA both come from SQuAD dev: keep Disfl-QA's test questions out of training.
  const disflTest = new Set(
    Object.values(readJson<DisflFile>('g_more/disfl_qa/test.json')).map((r) => r.original.trim()),
  );
  const train: Pair[] = [];
  const test: LabelledPair[] = [];
  for (const [id, enQ] of en) {
    const para = paragraphOf.get(id) ?? { key: id, ids: [] };
    const heldOut = splitPoint(para.key, 'xquad-paragraph') < HELD_OUT;
    if (!heldOut && disflTest.has(enQ.trim())) continue;
    const sibling = para.ids.filter((s) => s !== id);
    for (const lang of XQUAD_LANGS) {
      if (lang === 'en') continue;
      const q = byLang.get(lang)?.get(id);
      if (!q) continue;
      const negId = sibling.length > 0 ? pick(sibling, rand) : undefined;
      const neg = negId ? byLang.get(lang)?.get(negId) : undefined;
      if (heldOut) {
        test.push({ a: enQ, b: q, label: 1, source: `xquad-en-${lang}` });
        if (neg) test.push({ a: enQ, b: neg, label: 0, source: `xquad-en-${lang}-sibling` });
      } else train.push({ a: enQ, b: q, group: id, ...(neg ? { neg } : {}) });
    }
  }
  return { train, test };
}

// ---------------------------------------------------------------- intents (same intent ≈ same request)

interface ClincFile {
  train: Array<[string, string]>;
  val: Array<[string, string]>;
  test: Array<[string, string]>;
  oos_train: Array<[string, string]>;
  oos_val: Array<[string, string]>;
  oos_test: Array<[string, string]>;
}

let clincCache: ClincFile | undefined;
export function clinc(): ClincFile {
  clincCache ??= readJson<ClincFile>('a_domain/clinc150_oos_eval/data/data_full.json');
  return clincCache;
}

export function clincDomains(): Map<string, string> {
  const d = readJson<Record<string, string[]>>('a_domain/clinc150_oos_eval/data/domains.json');
  const m = new Map<string, string>();
  for (const [domain, intents] of Object.entries(d)) for (const i of intents) m.set(i, domain);
  return m;
}

function intentPairs(
  rows: ReadonlyArray<readonly [string, string]>,
  perIntent: number,
  seed: number,
  sameDomain: (intent: string) => string[],
): Pair[] {
  const byIntent = new Map<string, string[]>();
  for (const [text, intent] of rows) byIntent.set(intent, [...(byIntent.get(intent) ?? []), text]);
  const rand = rng(seed);
  const pairs: Pair[] = [];
  for (const [intent, texts] of byIntent) {
    const peers = sameDomain(intent).filter((p) => p !== intent && byIntent.has(p));
    for (let k = 0; k < perIntent; k++) {
      const a = pick(texts, rand);
      let b = pick(texts, rand);
      if (a === b) b = pick(texts, rand);
      const negIntent = peers.length > 0 ? pick(peers, rand) : undefined;
      const neg = negIntent ? pick(byIntent.get(negIntent) as string[], rand) : undefined;
      pairs.push({ a, b, group: intent, ...(neg ? { neg } : {}) });
    }
  }
  return pairs;
}

/** CLINC150 train split, minus the held-out intents and out-of-scope. */
export function clincPairs(seed: number): Pair[] {
  const heldOut = new Set<string>(CLINC_HELD_OUT_INTENTS);
  const domains = clincDomains();
  const byDomain = new Map<string, string[]>();
  for (const [i, d] of domains) byDomain.set(d, [...(byDomain.get(d) ?? []), i]);
  const rows = clinc().train.filter(([, i]) => !heldOut.has(i) && i !== 'oos');
  return intentPairs(rows, 60, seed, (i) => byDomain.get(domains.get(i) ?? '') ?? []);
}

export function banking77Rows(file: 'train' | 'test'): Array<[string, string]> {
  return parseCsv(readText(`g_more/banking77/${file}.csv`))
    .slice(1)
    .filter((r) => r.length >= 2)
    .map((r) => [r[0] as string, r[1] as string]);
}

export function banking77Pairs(seed: number): Pair[] {
  const rows = banking77Rows('train');
  const intents = [...new Set(rows.map(([, i]) => i))];
  return intentPairs(rows, 60, seed, () => intents);
}

// ---------------------------------------------------------------- tools

export interface MetaToolData {
  /** name → description for all 199 tools. */
  readonly tools: ReadonlyMap<string, string>;
  readonly heldOutTools: ReadonlySet<string>;
  readonly train: Pair[];
  /** Queries whose tool was held out of training. */
  readonly test: Array<{ query: string; tool: string }>;
}

export function metaTool(seed: number): MetaToolData {
  const desc = readJson<Record<string, string>>('d_tools/metatool/dataset/plugin_des.json');
  const tools = new Map(Object.entries(desc));
  const heldOutTools = new Set([...tools.keys()].filter((t) => splitPoint(t, 'metatool-tool') < HELD_OUT));
  const rows = parseCsv(readText('d_tools/metatool/dataset/data/all_clean_data.csv')).slice(1);
  const byTool = new Map<string, string[]>();
  for (const [query, tool] of rows) {
    if (!query || !tool || !tools.has(tool)) continue;
    byTool.set(tool, [...(byTool.get(tool) ?? []), query]);
  }
  const rand = rng(seed);
  const train: Pair[] = [];
  const test: Array<{ query: string; tool: string }> = [];
  for (const [tool, queries] of byTool) {
    const text = toolText({ name: tool, description: tools.get(tool) ?? '' });
    if (heldOutTools.has(tool)) {
      // Cap per tool so FinanceTool's 1,122 queries do not dominate the metric.
      for (const q of shuffle([...queries], rand).slice(0, 40)) test.push({ query: q, tool });
    } else {
      for (const q of shuffle([...queries], rand).slice(0, 80)) train.push({ a: q, b: text, group: tool });
    }
  }
  return { tools, heldOutTools, train, test };
}

interface BfclRow {
  id: string;
  question: Array<Array<{ role: string; content: string }>>;
  function: Array<{ name: string; description?: string; parameters?: unknown }>;
}
interface BfclAnswer {
  id: string;
  ground_truth: Array<Record<string, unknown>>;
}

export interface BfclCase {
  readonly query: string;
  readonly tools: OpenAiTool[];
  readonly gold: string[];
}

const BFCL_DIR = 'd_tools/gorilla_bfcl/berkeley-function-call-leaderboard/bfcl_eval/data';

export function bfclCases(category: string): BfclCase[] {
  const rows = readJsonLines<BfclRow>(`${BFCL_DIR}/BFCL_v4_${category}.json`);
  const answers = new Map(
    readJsonLines<BfclAnswer>(`${BFCL_DIR}/possible_answer/BFCL_v4_${category}.json`).map((a) => [a.id, a]),
  );
  const cases: BfclCase[] = [];
  for (const r of rows) {
    const answer = answers.get(r.id);
    const query =
      r.question[0]
        ?.filter((m) => m.role === 'user')
        .map((m) => m.content)
        .join('\n') ?? '';
    if (!answer || !query) continue;
    const gold = [...new Set(answer.ground_truth.flatMap((g) => Object.keys(g)))];
    cases.push({ query, gold, tools: r.function.map((f) => ({ type: 'function' as const, function: f })) });
  }
  return cases;
}

/** Training BFCL categories; `live_multiple` (the eval) is never read by training. */
export const BFCL_TRAIN_CATEGORIES = [
  'simple_python',
  'simple_java',
  'simple_javascript',
  'multiple',
  'parallel',
  'parallel_multiple',
  'live_simple',
  'live_parallel',
  'live_parallel_multiple',
] as const;

export function bfclTrainPairs(seed: number): Pair[] {
  const rand = rng(seed);
  const pairs: Pair[] = [];
  for (const cat of BFCL_TRAIN_CATEGORIES) {
    for (const c of bfclCases(cat)) {
      for (const g of c.gold) {
        const tool = c.tools.find((t) => t.function.name === g);
        if (!tool) continue;
        const others = c.tools.filter((t) => !c.gold.includes(t.function.name));
        const neg = others.length > 0 ? toolText(pick(others, rand).function) : undefined;
        pairs.push({ a: c.query, b: toolText(tool.function), group: g, ...(neg ? { neg } : {}) });
      }
    }
  }
  return pairs;
}
