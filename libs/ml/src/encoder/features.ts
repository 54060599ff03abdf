/**
 * Text → sparse feature bag for the sentence encoder. The encoder's ONNX graph only sums rows of an
 * embedding table, so everything about the text lives here: normalisation, tokens, and the row ids
 * of word, word-bigram and character n-gram features (with their counts).
 *
 * The bag covers the whole text, however long: there is no token limit, so two long prompts that
 * share a 512-token prefix do not collide (the reference's #3366). Repeated features are merged
 * into one id with a count, so the tensor width is the number of distinct features, not the length.
 */

/** Layout of the embedding table; stored in the model's manifest. */
export interface EncoderFeatureSpec {
  /** Words with a dedicated row (row = 1 + index). Row 0 is the all-zero padding row. */
  readonly vocab: readonly string[];
  /** Hashed rows for words outside `vocab`. */
  readonly wordBuckets: number;
  /** Hashed rows for adjacent word pairs (gives the bag some word order: "ny to la" ≠ "la to ny"). */
  readonly bigramBuckets: number;
  /** Hashed rows for character n-grams of `<word>` (spelling variants, unseen words, other scripts). */
  readonly charBuckets: number;
  readonly charMinN: number;
  readonly charMaxN: number;
  /** Weight of one character n-gram relative to a word (there are many per word). */
  readonly charWeight: number;
  readonly bigramWeight: number;
  /**
   * The first `wholeWords` vocabulary entries (the GloVe words) weight their character n-grams by
   * `wholeWordCharWeight` (0 = none): their meaning comes mostly from the pretrained vector, and
   * n-grams shared with unrelated words ("car" in "cargo") would pull it away.
   */
  readonly wholeWords: number;
  readonly wholeWordCharWeight: number;
}

export interface FeatureBag {
  readonly ids: Int32Array;
  readonly weights: Float32Array;
}

/** Row offsets derived from a spec. */
export interface FeatureLayout {
  readonly vocabStart: number;
  readonly wordStart: number;
  readonly bigramStart: number;
  readonly charStart: number;
  readonly rows: number;
}

export function featureLayout(spec: EncoderFeatureSpec): FeatureLayout {
  const vocabStart = 1;
  const wordStart = vocabStart + spec.vocab.length;
  const bigramStart = wordStart + spec.wordBuckets;
  const charStart = bigramStart + spec.bigramBuckets;
  return { vocabStart, wordStart, bigramStart, charStart, rows: charStart + spec.charBuckets };
}

const CONTRACTIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bwon['’]t\b/g, 'will not'],
  [/\bcan['’]t\b/g, 'can not'],
  [/\bshan['’]t\b/g, 'shall not'],
  [/n['’]t\b/g, ' not'],
  [/['’](s|re|ve|ll|d|m)\b/g, ' $1'],
];

// Printable ASCII and whitespace: NFKC and accent folding leave it unchanged.
const ASCII_RE = /^[\t\n\r -~]*$/;

/** Lower-case, NFKC, Latin accents folded, contractions expanded ("don't" → "do not"). */
export function normalizeText(text: string): string {
  const ascii = ASCII_RE.test(text);
  let s = ascii ? text.toLowerCase() : text.normalize('NFKC').toLowerCase();
  // Fold accents on Latin letters only: marks are letters' vowels in Devanagari, Thai, etc.
  if (!ascii && /[^ -~\s]/.test(s))
    s = s
      .normalize('NFD')
      .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
      .normalize('NFC');
  if (s.includes("'") || s.includes('’')) for (const [re, to] of CONTRACTIONS) s = s.replace(re, to);
  return s;
}

// Words are letter runs (with marks), digit runs, or single ideographs/kana (no spaces in those scripts).
const TOKEN_RE =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{M}]+|\p{N}+(?:[.,]\p{N}+)*|[$€£¥%#@+]/gu;
// The same on lower-cased ASCII text (letters are a-z there, digits 0-9), without Unicode classes.
const ASCII_TOKEN_RE = /[a-z]+|[0-9]+(?:[.,][0-9]+)*|[$%#@+]/g;

/** Tokens of the normalised text. */
export function tokenize(text: string): string[] {
  const s = normalizeText(text);
  return (ASCII_RE.test(s) ? s.match(ASCII_TOKEN_RE) : s.match(TOKEN_RE)) ?? [];
}

/** FNV-1a over UTF-16 code units, seeded; `>>> 0` keeps it an unsigned 32-bit number. */
export function fnv1a(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const SEED_WORD = 0x9e3779b1;
const SEED_BIGRAM = 0x85ebca6b;
const SEED_CHAR = 0xc2b2ae35;

/**
 * Accumulates (row id → summed weight) in insertion order, reused across texts: an open-addressing
 * table in typed arrays instead of a Map (the featuriser's hot spot was Map updates and the garbage
 * they left). Slots are "cleared" by bumping a generation stamp.
 */
class BagAccumulator {
  private keys = new Int32Array(1024);
  private stamps = new Uint32Array(1024);
  private slotOf = new Int32Array(1024);
  private order = new Int32Array(512);
  private vals = new Float32Array(512);
  private generation = 0;
  /** 32 − log2(capacity). */
  private shift = 22;
  size = 0;

  reset(): void {
    this.size = 0;
    this.generation++;
    if (this.generation === 0xffffffff) {
      this.stamps.fill(0);
      this.generation = 1;
    }
  }

  add(id: number, w: number): void {
    const mask = this.keys.length - 1;
    // Fibonacci hashing: the top log2(capacity) bits of id × 2³²/φ.
    let slot = Math.imul(id, 0x9e3779b1) >>> this.shift;
    for (;;) {
      if (this.stamps[slot] !== this.generation) {
        if (this.size * 2 >= this.keys.length) {
          this.grow();
          this.add(id, w);
          return;
        }
        this.stamps[slot] = this.generation;
        this.keys[slot] = id;
        this.slotOf[slot] = this.size;
        this.order[this.size] = id;
        this.vals[this.size++] = w;
        return;
      }
      if (this.keys[slot] === id) {
        const k = this.slotOf[slot] as number;
        this.vals[k] = (this.vals[k] as number) + w;
        return;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** The distinct ids and their summed weights, in first-seen order. */
  take(): FeatureBag {
    return { ids: this.order.slice(0, this.size), weights: this.vals.slice(0, this.size) };
  }

  private grow(): void {
    const ids = this.order.slice(0, this.size);
    const vals = this.vals.slice(0, this.size);
    const cap = this.keys.length * 2;
    this.shift--;
    this.keys = new Int32Array(cap);
    this.stamps = new Uint32Array(cap);
    this.slotOf = new Int32Array(cap);
    this.order = new Int32Array(cap);
    this.vals = new Float32Array(cap);
    this.generation = 1;
    const n = this.size;
    this.size = 0;
    for (let i = 0; i < n; i++) this.add(ids[i] as number, vals[i] as number);
  }
}

/** Featuriser bound to one spec (keeps the vocabulary lookup table). */
export class EncoderFeaturizer {
  readonly layout: FeatureLayout;
  private readonly vocabIndex: Map<string, number>;
  private readonly acc = new BagAccumulator();

  constructor(readonly spec: EncoderFeatureSpec) {
    this.layout = featureLayout(spec);
    this.vocabIndex = new Map(spec.vocab.map((w, i) => [w, this.layout.vocabStart + i]));
  }

  get rows(): number {
    return this.layout.rows;
  }

  /** Row of a word (dedicated when in the vocabulary, else hashed). */
  wordRow(word: string): number {
    const v = this.vocabIndex.get(word);
    if (v !== undefined) return v;
    return this.layout.wordStart + (fnv1a(word, SEED_WORD) % this.spec.wordBuckets);
  }

  /** Sparse bag of the text: distinct row ids with summed weights (in first-seen order). */
  featurize(text: string): FeatureBag {
    const tokens = tokenize(text);
    // Hot path (runs per request): hashes are computed incrementally over the characters (FNV-1a
    // is sequential, so hashing w[i..i+n) step by step gives exactly fnv1a(w.slice(i, i + n))),
    // duplicates merged as they come.
    const acc = this.acc;
    acc.reset();
    const { bigramStart, charStart, vocabStart, wordStart } = this.layout;
    const {
      wordBuckets,
      bigramBuckets,
      charBuckets,
      charMinN,
      charMaxN,
      charWeight,
      bigramWeight,
      wholeWords,
      wholeWordCharWeight,
    } = this.spec;
    const wholeEnd = vocabStart + wholeWords;
    let prevBigramState = 0;
    for (let t = 0; t < tokens.length; t++) {
      const tok = tokens[t] as string;
      const v = this.vocabIndex.get(tok);
      acc.add(v ?? wordStart + (fnv1a(tok, SEED_WORD) % wordBuckets), 1);
      // Bigram hash of `${prev} ${tok}`: continue the state left after "prev ".
      if (t > 0) {
        let h = prevBigramState;
        for (let i = 0; i < tok.length; i++) h = Math.imul(h ^ tok.charCodeAt(i), 0x01000193);
        acc.add(bigramStart + ((h >>> 0) % bigramBuckets), bigramWeight);
      }
      let state = (0x811c9dc5 ^ SEED_BIGRAM) >>> 0;
      for (let i = 0; i < tok.length; i++) state = Math.imul(state ^ tok.charCodeAt(i), 0x01000193);
      prevBigramState = Math.imul(state ^ 32, 0x01000193);
      // Short tokens (a, of, 42) are fully described by the word feature.
      const len = tok.length + 2;
      if (len <= charMinN) continue;
      const cw = v !== undefined && v < wholeEnd ? charWeight * wholeWordCharWeight : charWeight;
      if (cw === 0) continue;
      for (let i = 0; i + charMinN <= len; i++) {
        let h = (0x811c9dc5 ^ SEED_CHAR) >>> 0;
        for (let n = 1; n <= charMaxN && i + n <= len; n++) {
          const k = i + n - 1;
          const c = k === 0 ? 60 : k === len - 1 ? 62 : tok.charCodeAt(k - 1); // '<' word '>'
          h = Math.imul(h ^ c, 0x01000193);
          if (n >= charMinN) acc.add(charStart + ((h >>> 0) % charBuckets), cw);
        }
      }
    }
    return acc.take();
  }
}
