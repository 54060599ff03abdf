/**
 * A byte-level BPE `tokenizer.json` (the GPT-2 / RoBERTa / ModernBERT family) with all 256 byte
 * tokens and a few merges, for testing offsets on a non-WordPiece tokenizer.
 */
export function tinyByteLevelBpeJson(
  merges: ReadonlyArray<readonly [string, string]> = DEFAULT_MERGES,
): Record<string, unknown> {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const byteChar = new Map<number, string>(printable.map((b) => [b, String.fromCodePoint(b)]));
  let extra = 0;
  for (let b = 0; b < 256; b++) if (!byteChar.has(b)) byteChar.set(b, String.fromCodePoint(256 + extra++));
  const specials = ['<s>', '<pad>', '</s>', '<unk>'];
  const vocab: Record<string, number> = {};
  const add = (t: string): void => {
    if (vocab[t] === undefined) vocab[t] = Object.keys(vocab).length;
  };
  specials.forEach(add);
  for (let b = 0; b < 256; b++) add(byteChar.get(b) as string);
  for (const [a, b] of merges) add(a + b);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: {
      type: 'RobertaProcessing',
      sep: ['</s>', 2],
      cls: ['<s>', 0],
      trim_offsets: true,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: merges.map(([a, b]) => `${a} ${b}`),
    },
  };
}

const DEFAULT_MERGES: ReadonlyArray<readonly [string, string]> = [
  ['\u0120', 'm'],
  ['\u0120m', 'e'],
  ['\u0120me', 't'],
  ['Z', 'o'],
  ['f', 'r'],
  ['fr', 'i'],
];
