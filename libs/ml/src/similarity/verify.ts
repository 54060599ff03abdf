/**
 * Second opinion for the semantic cache: once the embedding says two prompts are close, reject the
 * pair when they differ in something an embedding averages away but an answer depends on:
 * numbers, named entities, negation, or direction ("NY to LA" vs "LA to NY").
 * Pure string work, microseconds per pair, no model.
 */
import { GAZETTEER } from './gazetteer';

export type VerifyReason =
  'number-mismatch' | 'entity-mismatch' | 'negation-mismatch' | 'direction-mismatch' | 'antonym-mismatch';

export type VerifyResult =
  { readonly ok: true } | { readonly ok: false; readonly reason: VerifyReason; readonly detail: string };

export interface VerifyOptions {
  /** Checks to run; all by default. */
  readonly checks?: readonly VerifyReason[];
}

const NUMBER_WORDS: Record<string, string> = {
  // "one", "first", "second", "half" are left out: far more often idiom ("at once", "in one go",
  // "share it first") than quantity, and "a" vs "one" would then look like a number change.
  zero: '0',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  ten: '10',
  eleven: '11',
  twelve: '12',
  thirteen: '13',
  fourteen: '14',
  fifteen: '15',
  sixteen: '16',
  seventeen: '17',
  eighteen: '18',
  nineteen: '19',
  twenty: '20',
  thirty: '30',
  forty: '40',
  fifty: '50',
  sixty: '60',
  seventy: '70',
  eighty: '80',
  ninety: '90',
  hundred: '100',
  thousand: '1000',
  million: '1000000',
  billion: '1000000000',
  third: '3rd',
  fourth: '4th',
  fifth: '5th',
};

const NEGATIONS = new Set([
  'not',
  'no',
  'never',
  'none',
  'nobody',
  'nothing',
  'neither',
  'nor',
  'nowhere',
  'without',
  'cannot',
  'dont',
  'doesnt',
  'didnt',
  'isnt',
  'arent',
  'wasnt',
  'werent',
  'wont',
  'cant',
  'shouldnt',
  'wouldnt',
  'couldnt',
  'havent',
  'hasnt',
  'hadnt',
  'except',
  'excluding',
  'nicht',
  'kein',
  'keine',
  'pas',
  'jamais',
  'nunca',
  'nessun',
]);

// Sentence-initial or always-capitalised words that are not entities.
const CAPITALISED_COMMON = new Set([
  'i',
  'a',
  'an',
  'the',
  'what',
  'whats',
  'how',
  'why',
  'who',
  'whom',
  'whose',
  'when',
  'where',
  'which',
  'is',
  'are',
  'was',
  'were',
  'do',
  'does',
  'did',
  'can',
  'could',
  'would',
  'should',
  'will',
  'shall',
  'may',
  'might',
  'must',
  'please',
  'tell',
  'give',
  'show',
  'find',
  'list',
  'explain',
  'describe',
  'write',
  'make',
  'create',
  'help',
  'hi',
  'hello',
  'hey',
  'thanks',
  'ok',
  'okay',
  'yes',
  'no',
  'in',
  'on',
  'at',
  'for',
  'to',
  'from',
  'of',
  'by',
  'with',
  'and',
  'or',
  'but',
  'if',
  'so',
  'my',
  'me',
  'we',
  'you',
  'your',
  'our',
  'it',
  'its',
  'this',
  'that',
  'these',
  'those',
  'there',
  'here',
  'im',
  'ive',
  'id',
  'is',
  'be',
  'let',
  'lets',
  'set',
  'get',
  'book',
  'send',
  'convert',
  'translate',
  'calculate',
  'compare',
  'search',
  'check',
  'any',
  'some',
  'all',
  'q',
  'a:',
  'question',
  'answer',
  'hmm',
  'well',
  'also',
  'then',
  'now',
  'today',
  'tomorrow',
  'yesterday',
  'parameters',
]);

// Things that are entities whatever their case.
const PATTERNS: readonly RegExp[] = [
  /\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g, // email
  /\bhttps?:\/\/\S+/g, // URL
  /(?:^|\s)(?:\/[\w.-]+){2,}/g, // path
  /\b[a-z]+(?:[A-Z][a-z0-9]+)+\b/g, // camelCase identifier
  /\b[a-z0-9]+(?:_[a-z0-9]+)+\b/g, // snake_case identifier
  /"[^"]{1,60}"|'[^']{2,60}'|`[^`]{1,60}`/g, // quoted literal
];

function normTok(t: string): string {
  return t.toLowerCase().replace(/['’]/g, '');
}

function words(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .match(
        /[\p{L}\p{M}][\p{L}\p{M}'’.-]*[\p{L}\p{M}]|[\p{L}\p{M}]|\p{N}+(?:[.,:]\p{N}+)*(?:st|nd|rd|th)?/gu,
      ) ?? []
  );
}

/** Numbers as a multiset key list ("2", "5.5", "3rd"); number words count as their digits. */
export function extractNumbers(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    const t = normTok(w);
    if (/^\p{N}/u.test(t)) out.push(t.replace(/,(?=\d{3}\b)/g, '').replace(/^0+(?=\d)/, ''));
    else if (NUMBER_WORDS[t]) out.push(NUMBER_WORDS[t] as string);
  }
  return [...new Set(out)].sort();
}

/**
 * Entity keys: capitalised words not at the start of a sentence (and not common words), places
 * from a small gazetteer in any case, and pattern matches (emails, URLs, paths, identifiers, quotes).
 */
export function extractEntities(text: string): Set<string> {
  const out = new Set<string>();
  for (const re of PATTERNS) for (const m of text.matchAll(re)) out.add(m[0].trim().toLowerCase());
  const sentenceStarts = new Set<number>();
  for (const m of text.matchAll(/(?:^|[.!?:;]\s+|\n\s*)(\S)/g))
    sentenceStarts.add((m.index ?? 0) + m[0].length - 1);
  for (const m of text.matchAll(
    /(?<![\p{L}\p{N}])(?:[\p{L}\p{M}][\p{L}\p{M}\p{N}'’.-]*[\p{L}\p{M}\p{N}]|[\p{L}\p{M}])/gu,
  )) {
    const w = m[0].replace(/['’]s$/i, '').replace(/\.$/, '');
    const key = normTok(w);
    if (GAZETTEER.has(key)) {
      out.add(key);
      continue;
    }
    const upper = /^\p{Lu}/u.test(w);
    if (!upper || CAPITALISED_COMMON.has(key)) continue;
    // A capital at the start of a sentence is only an entity if the word has more capitals (iPhone, NASA).
    if (sentenceStarts.has(m.index ?? -1) && !/^\p{Lu}{2,}|\p{Ll}\p{Lu}/u.test(w)) continue;
    out.add(key);
  }
  return out;
}

// Spoken self-corrections ("In what country is Norse found no wait Normandy?"): the words before
// the repair are discarded by the speaker, so entities and numbers only they mention do not count.
const REPAIR_RE =
  /\bno+,?\s+(?=(?:what|which|who|whom|whose|when|where|why|how|tell|let|i|make|scratch|rather|sorry|wait|um+|uh+|no|actually|oops|instead|nix|the|that|in|is|was|were|did|does|do|forget|change|swap|scratch|nevermind|never)\b)|\bor\s+(?:rather|no|uh+|um+|actually|wait|really|maybe|instead)\b|\bi mean\b|\bi meant\b|\bi guess\b|\bi think\b|\bmake that\b|\b(?:scratch|nix|forget|change|swap) (?:that|it)\b|\bnever\s?mind\b|\blet me rephrase\b|\brather\b(?!\s+than)|\boops\b|\bnope\b|\b(?:uh+|um+|er+m?|ah+|ugh+|hm+)\b|\bsorry\b|\b(?:oh|no|or|ah|um) wait\b|\bwait,? no\b|\bactually\b|\binstead\b(?!\s+of)|\b(?:no+,? )?that(?: is|['’]s) (?:not|no) right\b|\bthat(?: is|['’]s) wrong\b|\bwrong again\b|\b(?:no+|nope|wait|sorry),?\s+not (?:that|this)\b|\bnot (?:that|this),? but\b|\bno correction\b|\bhold up\b/gi;

// Case-sensitive forms: "… Canadian no New York borough", "The dollar, no, prices …", "no not him".
const REPAIR_CASED_RE = /[\p{L}\p{N}],?\s+no,?\s+(?=\p{Lu}|not\b|darn\b)|[\p{L}\p{N}],\s+no,\s/u;

// Words after which "no" negates what follows ("there is no", "with no sugar", "have no idea").
// After any other word ("Who drives no convenes …", "What continent no country …") a bare "no"
// replaces the word before it: a spoken repair, not a negation.
const NO_NEGATES_AFTER = new Set([
  'is',
  'are',
  'was',
  'were',
  'be',
  'been',
  'being',
  'am',
  'has',
  'have',
  'had',
  'having',
  'there',
  'theres',
  'with',
  'and',
  'but',
  'nor',
  'that',
  'of',
  'for',
  'to',
  'by',
  'at',
  'on',
  'in',
  'into',
  'do',
  'does',
  'did',
  'say',
  'says',
  'said',
  'saying',
  'i',
  'we',
  'you',
  'they',
  'he',
  'she',
  'it',
  'need',
  'needs',
  'want',
  'wants',
  'require',
  'requires',
  'give',
  'gives',
  'gave',
  'take',
  'takes',
  'took',
  'make',
  'makes',
  'made',
  'show',
  'shows',
  'showed',
  'leave',
  'leaves',
  'left',
  'get',
  'gets',
  'got',
  'find',
  'found',
  'see',
  'saw',
  'hold',
  'holds',
  'held',
  'contain',
  'contains',
  'contained',
  'pose',
  'poses',
  'play',
  'plays',
  'played',
  'bear',
  'bears',
  'offer',
  'offers',
  'will',
  'would',
  'can',
  'could',
  'should',
  'may',
  'might',
  'must',
  'shall',
  'absolutely',
  'definitely',
  'still',
  'almost',
  'nearly',
  'virtually',
  'practically',
  'by',
  'under',
  'at',
  'where',
  'if',
  'when',
  'so',
  'yes',
  'mean',
  'means',
  'whether',
  'or',
  'then',
  'than',
  'as',
  'receive',
  'receives',
  'received',
  'allow',
  'allows',
  'allowed',
  'permit',
  'permits',
  'accept',
  'accepts',
  'mine',
  'your',
  'yet',
  'why',
  'these',
  'those',
]);

/** Whether `text` has a spoken self-correction ("… Norse found no wait Normandy?"). */
export function hasSelfCorrection(text: string): boolean {
  REPAIR_RE.lastIndex = 0;
  return REPAIR_RE.test(text) || REPAIR_CASED_RE.test(text) || repairNoAt(words(text).map(normTok)) >= 0;
}

/** Index of the first bare "no" that follows a word it cannot negate after (a repair), or -1. */
function repairNoAt(ws: readonly string[]): number {
  for (let i = 1; i < ws.length; i++)
    if (ws[i] === 'no' && ws[i + 1] !== undefined && ws[i + 1] !== 'longer' && ws[i + 1] !== 'more')
      if (!NO_NEGATES_AFTER.has(ws[i - 1] as string)) return i;
  return -1;
}

/** The part of a self-correcting text after its last repair marker: what the speaker settled on. */
function afterLastRepair(text: string): string | undefined {
  let end = -1;
  REPAIR_RE.lastIndex = 0;
  for (const m of text.matchAll(REPAIR_RE)) end = Math.max(end, (m.index ?? 0) + m[0].length);
  for (const m of text.matchAll(new RegExp(REPAIR_CASED_RE.source, 'gu')))
    end = Math.max(end, (m.index ?? 0) + m[0].length);
  const noRe = /(?<![\p{L}\p{N}])no(?![\p{L}\p{N}])/giu;
  for (const m of text.matchAll(noRe)) {
    const before = words(text.slice(0, m.index)).map(normTok);
    const after = words(text.slice((m.index ?? 0) + 2)).map(normTok);
    if (repairNoAt([...before.slice(-1), 'no', ...after.slice(0, 1)]) === 1)
      end = Math.max(end, (m.index ?? 0) + 2);
  }
  return end >= 0 ? text.slice(end) : undefined;
}

function negationCount(text: string): number {
  // Repair markers ("no wait") and an answer-initial "No," are not negations of the request.
  const cleaned = text
    .replace(REPAIR_RE, ' ')
    // The same repairs as REPAIR_CASED_RE, with a following "not" ("no not him but …") removed too.
    .replace(/([\p{L}\p{N}]),?\s+no,?\s+(?:not\s+)?(?=\p{Lu}|darn\b)/gu, '$1 ')
    .replace(/([\p{L}\p{N}]),\s+no,\s/gu, '$1 ')
    .replace(/(^|[.!?]\s+)no\s*,/gi, '$1');
  const ws = words(cleaned);
  const seen = new Set<string>();
  let n = 0;
  ws.forEach((w, i) => {
    const t = normTok(w);
    const next = ws[i + 1] ? normTok(ws[i + 1] as string) : '';
    // "Normandy not Norse": a correction naming something said before, not a negated request.
    const correction = t === 'not' && next !== '' && seen.has(next);
    const repairNo =
      t === 'no' &&
      i > 0 &&
      next !== '' &&
      next !== 'longer' &&
      next !== 'more' &&
      !NO_NEGATES_AFTER.has(normTok(ws[i - 1] as string));
    if (!correction && !repairNo && (NEGATIONS.has(t) || /n['’]t$/i.test(w))) n++;
    seen.add(t);
  });
  return n;
}

// Opposites that word vectors place close together ("east"/"west" are neighbours in GloVe), so
// an embedding cannot tell "flows east" from "flows west"; one side using a word, the other its
// opposite, is a different question.
const ANTONYM_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['east', 'west'],
  ['north', 'south'],
  ['left', 'right'],
  ['up', 'down'],
  ['before', 'after'],
  ['first', 'last'],
  ['most', 'fewest'],
  ['most', 'least'],
  ['more', 'less'],
  ['more', 'fewer'],
  ['maximum', 'minimum'],
  ['max', 'min'],
  ['highest', 'lowest'],
  ['high', 'low'],
  ['largest', 'smallest'],
  ['biggest', 'smallest'],
  ['big', 'small'],
  ['best', 'worst'],
  ['increase', 'decrease'],
  ['rise', 'fall'],
  ['buy', 'sell'],
  ['import', 'export'],
  ['upload', 'download'],
  ['enable', 'disable'],
  ['encrypt', 'decrypt'],
  ['add', 'remove'],
  ['open', 'close'],
  ['start', 'stop'],
  ['hot', 'cold'],
  ['cheap', 'expensive'],
  ['cheapest', 'most expensive'],
  ['win', 'lose'],
  ['won', 'lost'],
  ['winter', 'summer'],
  ['spring', 'autumn'],
  ['morning', 'evening'],
  ['true', 'false'],
  ['benefits', 'risks'],
  ['benefits', 'side effects'],
  ['advantages', 'disadvantages'],
  ['pros', 'cons'],
  ['good', 'bad'],
  ['positive', 'negative'],
  ['early', 'late'],
  ['earliest', 'latest'],
  ['inside', 'outside'],
  ['above', 'below'],
  ['over', 'under'],
  ['young', 'old'],
  ['youngest', 'oldest'],
  ['male', 'female'],
  ['men', 'women'],
  ['input', 'output'],
  ['client', 'server'],
  ['private', 'public'],
  ['sync', 'async'],
  ['synchronous', 'asynchronous'],
  ['ascending', 'descending'],
  ['horizontal', 'vertical'],
  ['light', 'dark'],
];

function phraseSet(text: string): string {
  return ` ${words(text).map(normTok).join(' ')} `;
}

function antonymClash(a: string, b: string): string | undefined {
  const pa = phraseSet(a);
  const pb = phraseSet(b);
  const has = (p: string, w: string): boolean => p.includes(` ${w} `);
  for (const [x, y] of ANTONYM_PAIRS) {
    if (
      (has(pa, x) && !has(pa, y) && has(pb, y) && !has(pb, x)) ||
      (has(pa, y) && !has(pa, x) && has(pb, x) && !has(pb, y))
    )
      return `${x} / ${y}`;
  }
  return undefined;
}

interface Direction {
  readonly from: string;
  readonly to: string;
}

const FROM_WORDS = new Set(['from', 'de', 'von', 'desde']);
const TO_WORDS = new Set(['to', 'into', 'towards', 'toward', 'a', 'nach', 'hacia', '->', '→', 'minus', '-']);
const SKIP = new Set(['the', 'a', 'an', 'my', 'our', 'your']);

/** Ordered (source, target) pairs: "from X to Y", "X to Y", "Y from X", "X -> Y". */
export function extractDirections(text: string): Direction[] {
  const toks = (
    text.normalize('NFKC').match(/->|→|(?<=\s)-(?=\s)|[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}'’.-]*/gu) ?? []
  )
    .map((t) => normTok(t).replace(/[.'’-]+$/, ''))
    .filter((t) => !SKIP.has(t));
  const out: Direction[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as string;
    if (FROM_WORDS.has(t)) {
      // "from X to Y" or "Y from X"
      const src = toks[i + 1];
      const toAt = toks.findIndex((x, k) => k > i + 1 && TO_WORDS.has(x));
      if (src && toAt > 0 && toks[toAt + 1]) out.push({ from: src, to: toks[toAt + 1] as string });
      else if (src && i > 0) out.push({ from: src, to: toks[i - 1] as string });
    } else if (t === 'divided' && toks[i + 1] === 'by' && i > 0 && toks[i + 2]) {
      out.push({ from: toks[i - 1] as string, to: toks[i + 2] as string });
    } else if (TO_WORDS.has(t) && t !== 'a' && i > 0 && toks[i + 1]) {
      const prev = toks[i - 1] as string;
      const prevFrom = toks[i - 2] !== undefined && FROM_WORDS.has(toks[i - 2] as string);
      if (!prevFrom) out.push({ from: prev, to: toks[i + 1] as string });
    }
  }
  return out;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Levenshtein distance ≤ 1 (a typo such as INSTALLATIO / INSTALLATION). */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Whether entity `x` of one text is present in the other text (`other` lower-cased, `otherWords` its words). */
function present(x: string, other: string, otherWords: readonly string[]): boolean {
  const bare = x.replace(/^["'`]|["'`]$/g, '');
  if (new RegExp(`(?:^|[^\\p{L}\\p{N}])${escapeRe(bare)}(?:$|[^\\p{L}])`, 'u').test(other)) return true;
  // Acronym spelled out on the other side: "NLP" ↔ "natural language processing".
  if (/^[a-z]{2,6}$/.test(bare)) {
    for (let i = 0; i + bare.length <= otherWords.length; i++)
      if (otherWords.slice(i, i + bare.length).every((w, k) => w[0] === bare[k])) return true;
  }
  return bare.length >= 6 && otherWords.some((w) => w.length >= 5 && withinOneEdit(w, bare));
}

/** Words of `text` that spell out an acronym of `otherText` ("Machine Learning" for "ML"). */
function expandedAcronymWords(text: string, otherText: string): Set<string> {
  const covered = new Set<string>();
  const ws = words(text).map(normTok);
  for (const m of otherText.matchAll(/\b\p{Lu}{2,6}\b/gu)) {
    const acr = m[0].toLowerCase();
    for (let i = 0; i + acr.length <= ws.length; i++) {
      const span = ws.slice(i, i + acr.length);
      if (span.every((w, k) => w[0] === acr[k])) span.forEach((w) => covered.add(w));
    }
  }
  return covered;
}

function missingIn(entities: ReadonlySet<string>, text: string, otherText: string): string[] {
  const other = otherText.toLowerCase();
  const otherWords = words(other).map(normTok);
  const covered = expandedAcronymWords(text, otherText);
  return [...entities].filter((x) => !covered.has(x) && !present(x, other, otherWords));
}

/** Checks whether two prompts that embed close together really ask the same thing. */
export function verifySimilarPair(a: string, b: string, options: VerifyOptions = {}): VerifyResult {
  const checks = new Set<VerifyReason>(
    options.checks ?? [
      'number-mismatch',
      'entity-mismatch',
      'negation-mismatch',
      'antonym-mismatch',
      'direction-mismatch',
    ],
  );
  // Extra numbers/entities on a self-correcting side are forgiven (they are what was corrected away).
  const repairA = hasSelfCorrection(a);
  const repairB = hasSelfCorrection(b);
  if (checks.has('number-mismatch')) {
    const na = extractNumbers(a);
    const nb = extractNumbers(b);
    const onlyA = na.filter((x) => !nb.includes(x));
    const onlyB = nb.filter((x) => !na.includes(x));
    if (!sameSet(na, nb) && ((onlyA.length > 0 && !repairA) || (onlyB.length > 0 && !repairB)))
      return {
        ok: false,
        reason: 'number-mismatch',
        detail: `numbers [${na.join(', ')}] vs [${nb.join(', ')}]`,
      };
  }
  if (checks.has('entity-mismatch')) {
    const onlyA = repairA ? [] : missingIn(extractEntities(a), a, b);
    const onlyB = repairB ? [] : missingIn(extractEntities(b), b, a);
    if (onlyA.length > 0 || onlyB.length > 0)
      return {
        ok: false,
        reason: 'entity-mismatch',
        detail: `only in a: [${onlyA.join(', ')}], only in b: [${onlyB.join(', ')}]`,
      };
  }
  if (checks.has('negation-mismatch')) {
    const ga = negationCount(a) % 2;
    const gb = negationCount(b) % 2;
    // A self-correcting side counts as what the speaker settled on: the text after the repair.
    const settled = (text: string, repair: boolean, g: number): number[] => {
      const tail = repair ? afterLastRepair(text) : undefined;
      return tail === undefined ? [g] : [g, negationCount(tail) % 2];
    };
    const sa = settled(a, repairA, ga);
    const sb = settled(b, repairB, gb);
    if (!sa.some((x) => sb.includes(x)))
      return { ok: false, reason: 'negation-mismatch', detail: `negated: a=${ga === 1}, b=${gb === 1}` };
  }
  if (checks.has('antonym-mismatch') && !repairA && !repairB) {
    const clash = antonymClash(a, b);
    if (clash) return { ok: false, reason: 'antonym-mismatch', detail: clash };
  }
  if (checks.has('direction-mismatch')) {
    const da = extractDirections(a);
    const db = extractDirections(b);
    for (const x of da)
      for (const y of db)
        if (x.from === y.to && x.to === y.from && x.from !== x.to)
          return {
            ok: false,
            reason: 'direction-mismatch',
            detail: `${x.from} → ${x.to} vs ${y.from} → ${y.to}`,
          };
  }
  return { ok: true };
}
