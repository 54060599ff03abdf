import type { Tokenizer as TokenizerClass } from '@huggingface/tokenizers' with {
  'resolution-mode': 'import',
};
import { MlError } from '../runtime/errors';

// The package is ESM with a CommonJS build for `require`; TypeScript (module Node16) only sees
// its ESM types, so load the CJS build explicitly and keep the types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Tokenizer } = require('@huggingface/tokenizers') as { Tokenizer: typeof TokenizerClass };
type Tokenizer = TokenizerClass;
/** The package's `Encoding` (its .d.ts files import without extensions, so Node16 resolution loses it). */
interface Encoding {
  readonly ids: number[];
  readonly tokens: string[];
  readonly token_type_ids?: number[];
}

/** One content token of a text (no special tokens) with its character span in the original text. */
export interface TokenPiece {
  readonly id: number;
  readonly token: string;
  /** [start, end) in UTF-16 code units of the original text; start === end when it could not be aligned. */
  readonly start: number;
  readonly end: number;
  /** True for the 2nd+ piece of a word (WordPiece `##…`, or a BPE piece glued to the previous one). */
  readonly continuation: boolean;
}

/** One model input row: special tokens around a slice of the text's content tokens. */
export interface TokenWindow {
  readonly ids: readonly number[];
  readonly typeIds: readonly number[];
  /** Content tokens [first, end) of the text's pieces that this window holds. */
  readonly first: number;
  readonly end: number;
  /** Position in `ids` of content token `first` (the number of leading special tokens). */
  readonly offset: number;
}

const PROBE = 'hello world';
const BPE_SPACE = /^[\u0120\u2581]/u; // 'Ġ' (byte-level BPE), '▁' (SentencePiece)
const isSpace = (c: string): boolean => /[\s\p{Cc}\p{Cf}]/u.test(c);
const isPunct = (c: string): boolean => /[\p{P}\p{S}]/u.test(c);

/** GPT-2's byte ↔ printable character table (byte-level BPE spells byte b as BYTE_CHARS[b]). */
const CHAR_TO_BYTE: ReadonlyMap<string, number> = (() => {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const map = new Map<string, number>();
  for (const b of printable) map.set(String.fromCodePoint(b), b);
  let extra = 0;
  for (let b = 0; b < 256; b++) if (!printable.includes(b)) map.set(String.fromCodePoint(256 + extra++), b);
  return map;
})();

const isWordChar = (c: string): boolean => /[\p{L}\p{N}\p{M}]/u.test(c);

/**
 * Offsets for byte-level BPE: match each token's bytes against the text's UTF-8 bytes (exact,
 * also for pieces that split a character — they get that whole character's span), leading
 * spaces trimmed as Hugging Face's `trim_offsets` does.
 */
function alignByteLevel(text: string, enc: Encoding): TokenPiece[] {
  const bytes = Buffer.from(text, 'utf8');
  const charStart = new Int32Array(bytes.length);
  const charEnd = new Int32Array(bytes.length);
  for (let i = 0, b = 0; i < text.length;) {
    const cp = text.codePointAt(i) as number;
    const units = cp > 0xffff ? 2 : 1;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < n; k++) {
      charStart[b + k] = i;
      charEnd[b + k] = i + units;
    }
    b += n;
    i += units;
  }
  const pieces: TokenPiece[] = [];
  let cursor = 0;
  let prevEndByte = -1;
  enc.ids.forEach((id, t) => {
    const token = enc.tokens[t] ?? '';
    const tokBytes = [...token].map((c) => CHAR_TO_BYTE.get(c));
    let from = cursor;
    let to = cursor;
    if (tokBytes.length > 0 && tokBytes.every((b) => b !== undefined)) {
      const needle = Buffer.from(tokBytes as number[]);
      const at = bytes.subarray(cursor, cursor + needle.length).equals(needle)
        ? cursor
        : bytes.indexOf(needle, cursor);
      if (at >= 0) {
        from = at;
        to = at + needle.length;
      }
    }
    let trimmed = from;
    while (trimmed < to && (bytes[trimmed] === 0x20 || bytes[trimmed] === 0x0a || bytes[trimmed] === 0x09))
      trimmed++;
    const start =
      trimmed < to
        ? (charStart[trimmed] as number)
        : from < bytes.length
          ? (charStart[from] as number)
          : text.length;
    const end = trimmed < to ? (charEnd[to - 1] as number) : start;
    const first = text.slice(start, start + 1);
    const prev = pieces[pieces.length - 1];
    const continuation =
      prev !== undefined &&
      prev.end > prev.start &&
      trimmed === from &&
      from === prevEndByte &&
      from < to &&
      (isWordChar(first) || (bytes[from] as number) >= 0x80) &&
      isWordChar(text.slice(Math.max(prev.end - 1, 0), prev.end));
    pieces.push({ id, token, start, end, continuation });
    if (to > cursor) cursor = to;
    prevEndByte = to;
  });
  return pieces;
}

/** Case- and accent-insensitive folding used to find tokens in the text. */
function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * `@huggingface/tokenizers` plus what it does not give us: character offsets (by aligning tokens
 * to the text), the special tokens of the post-processor (to repeat them on every window), and
 * overlapping windows for texts longer than the model takes.
 */
export class HfTokenizer {
  readonly prefix: readonly number[];
  readonly prefixTypes: readonly number[];
  readonly suffix: readonly number[];
  readonly suffixTypes: readonly number[];
  readonly padId: number;
  private readonly continuingPrefix: string | undefined;
  private readonly unkId: number | undefined;
  /** Byte-level BPE (GPT-2, RoBERTa, ModernBERT): tokens are bytes spelled as printable characters. */
  private readonly byteLevel: boolean;

  constructor(
    private readonly tokenizer: Tokenizer,
    tokenizerJson: Record<string, unknown>,
    tokenizerConfig: Record<string, unknown>,
  ) {
    const model = (tokenizerJson['model'] ?? {}) as Record<string, unknown>;
    this.continuingPrefix =
      model['type'] === 'WordPiece' ? String(model['continuing_subword_prefix'] ?? '##') : undefined;
    const unk = typeof model['unk_token'] === 'string' ? model['unk_token'] : tokenizerConfig['unk_token'];
    this.unkId = typeof unk === 'string' ? tokenizer.token_to_id(unk) : undefined;
    this.padId = this.findPadId(tokenizerJson, tokenizerConfig);
    this.byteLevel = [tokenizerJson['pre_tokenizer'], tokenizerJson['decoder']].some((part) =>
      JSON.stringify(part ?? null).includes('"type":"ByteLevel"'),
    );
    // The post-processor's special tokens: encode a probe with and without them and diff.
    const bare = (tokenizer.encode(PROBE, { add_special_tokens: false }) as Encoding).ids;
    const full = tokenizer.encode(PROBE, {
      add_special_tokens: true,
      return_token_type_ids: true,
    }) as Encoding;
    const at = full.ids.findIndex((_, i) => bare.every((id, j) => full.ids[i + j] === id));
    if (bare.length === 0 || at < 0)
      throw new MlError('ML_MODEL_CORRUPT', 'tokenizer: cannot locate the text between its special tokens');
    const types = full.token_type_ids ?? full.ids.map(() => 0);
    this.prefix = full.ids.slice(0, at);
    this.prefixTypes = types.slice(0, at);
    this.suffix = full.ids.slice(at + bare.length);
    this.suffixTypes = types.slice(at + bare.length);
  }

  static fromJson(tokenizerJson: unknown, tokenizerConfig: unknown = {}): HfTokenizer {
    if (typeof tokenizerJson !== 'object' || tokenizerJson === null)
      throw new MlError('ML_MODEL_CORRUPT', 'tokenizer.json is not a JSON object');
    const cfg = (
      typeof tokenizerConfig === 'object' && tokenizerConfig !== null ? tokenizerConfig : {}
    ) as Record<string, unknown>;
    let tokenizer: Tokenizer;
    try {
      tokenizer = new Tokenizer(tokenizerJson, cfg);
    } catch (cause) {
      throw new MlError(
        'ML_MODEL_CORRUPT',
        `tokenizer.json could not be loaded: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
    return new HfTokenizer(tokenizer, tokenizerJson as Record<string, unknown>, cfg);
  }

  private findPadId(json: Record<string, unknown>, cfg: Record<string, unknown>): number {
    const padding = json['padding'] as { pad_id?: unknown } | null | undefined;
    if (typeof padding?.pad_id === 'number') return padding.pad_id;
    for (const t of [cfg['pad_token'], '[PAD]', '<pad>']) {
      const content = typeof t === 'object' && t !== null ? (t as { content?: unknown }).content : t;
      const id = typeof content === 'string' ? this.tokenizer.token_to_id(content) : undefined;
      if (id !== undefined) return id;
    }
    return 0; // Masked out anyway; any valid id will do.
  }

  /** Content tokens of `text` with character offsets into `text`. */
  tokenize(text: string): TokenPiece[] {
    const enc = this.tokenizer.encode(text, { add_special_tokens: false }) as Encoding;
    if (this.byteLevel) return alignByteLevel(text, enc);
    // Folded text with a map back to original offsets (folding may add or drop code units).
    let folded = '';
    const origin: number[] = [];
    const originEnd: number[] = [];
    for (let i = 0; i < text.length;) {
      const cp = text.codePointAt(i) as number;
      const len = cp > 0xffff ? 2 : 1;
      const f = fold(String.fromCodePoint(cp));
      for (let k = 0; k < f.length; k++) {
        origin.push(i);
        originEnd.push(i + len);
      }
      folded += f;
      i += len;
    }
    const pieces: TokenPiece[] = [];
    let cursor = 0;
    let prevEnd = -1;
    enc.ids.forEach((id, t) => {
      const token = enc.tokens[t] ?? '';
      let surface = token;
      let continuation = false;
      if (
        this.continuingPrefix !== undefined &&
        token.startsWith(this.continuingPrefix) &&
        token.length > this.continuingPrefix.length
      ) {
        surface = token.slice(this.continuingPrefix.length);
        continuation = true;
      } else if (BPE_SPACE.test(token)) {
        surface = token.slice(1);
      }
      surface = fold(surface);
      while (cursor < folded.length && isSpace(folded[cursor] as string)) cursor++;
      let from = cursor;
      let to = cursor;
      if (id === this.unkId || surface === '') {
        // Unknown word: it spans one pre-token (a punctuation mark, or letters up to the next break).
        if (cursor < folded.length && isPunct(folded[cursor] as string)) to = cursor + 1;
        else
          while (to < folded.length && !isSpace(folded[to] as string) && !isPunct(folded[to] as string)) to++;
      } else if (folded.startsWith(surface, cursor)) {
        to = cursor + surface.length;
      } else {
        const idx = folded.indexOf(surface, cursor);
        if (idx >= 0) {
          from = idx;
          to = idx + surface.length;
        }
      }
      const start =
        from < to ? (origin[from] as number) : from < origin.length ? (origin[from] as number) : text.length;
      const end = from < to ? (originEnd[to - 1] as number) : start;
      if (this.continuingPrefix === undefined && !BPE_SPACE.test(token) && t > 0)
        continuation = start === prevEnd && from < to && !isPunct(folded[from] as string);
      pieces.push({ id, token, start, end, continuation });
      cursor = to;
      prevEnd = end;
    });
    return pieces;
  }

  /** Content tokens per window for a model that takes `maxLength` tokens including special ones. */
  contentBudget(maxLength: number): number {
    return maxLength - this.prefix.length - this.suffix.length;
  }

  /**
   * Splits `pieces` into windows of at most `maxLength` tokens, each with the special tokens;
   * consecutive windows share `stride` content tokens. Nothing is dropped.
   */
  windows(pieces: readonly TokenPiece[], maxLength: number, stride: number): TokenWindow[] {
    const budget = this.contentBudget(maxLength);
    if (budget < 1 || stride < 0 || stride >= budget)
      throw new MlError(
        'ML_BAD_INPUT',
        `window of ${maxLength} tokens leaves ${budget} for text; stride ${stride} must be in [0, ${budget - 1}]`,
      );
    const out: TokenWindow[] = [];
    for (let first = 0; ; first += budget - stride) {
      const end = Math.min(first + budget, pieces.length);
      const content = pieces.slice(first, end).map((p) => p.id);
      out.push({
        ids: [...this.prefix, ...content, ...this.suffix],
        typeIds: [...this.prefixTypes, ...content.map(() => 0), ...this.suffixTypes],
        first,
        end,
        offset: this.prefix.length,
      });
      if (end >= pieces.length) break;
    }
    return out;
  }
}
