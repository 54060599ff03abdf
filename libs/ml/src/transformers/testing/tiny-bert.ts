import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GraphBuilder, floatAttr } from '../../onnx';
import { Prng } from '../../train/prng';

/**
 * A tiny BERT-like model the project builds itself (no model hub here): word + position +
 * token-type embeddings, LayerNorm, `layers` × (2-head self-attention with masking, GELU FFN,
 * residuals), plus a head for the chosen task. Weights are seeded random, except a few planted
 * directions so the model gives meaningful answers in tests: name words light up PERSON tags,
 * city words LOCATION tags, and "ignore"/"instructions" push the sequence head towards
 * "jailbreak". `forward()` is a plain TypeScript forward pass of the same weights, used to check
 * onnxruntime's outputs.
 */

export type TinyBertTask = 'sequence' | 'token' | 'embedding';

export interface TinyBertOptions {
  readonly task: TinyBertTask;
  readonly seed?: number;
  readonly layers?: number;
  readonly maxPositions?: number;
  /** Declare a `token_type_ids` input (default true); without it the graph uses type 0, like DistilBERT/ModernBERT exports. */
  readonly tokenTypeInput?: boolean;
  /** Hidden size (default 32), attention heads (default 2), FFN size (default 2 × hidden): larger settings give bench-sized models. */
  readonly hidden?: number;
  readonly heads?: number;
  readonly ffn?: number;
}

const DEFAULT_HIDDEN = 32;
const DEFAULT_HEADS = 2;
const EPS = 1e-12;
const MASK_VALUE = -10000;

export const TINY_SEQUENCE_LABELS = ['benign', 'jailbreak'] as const;
export const TINY_TOKEN_LABELS = ['O', 'B-PERSON', 'I-PERSON', 'B-LOCATION', 'I-LOCATION'] as const;

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const WORDS = [
  '.',
  ',',
  '!',
  '?',
  "'",
  '-',
  ':',
  ';',
  'the',
  'a',
  'to',
  'in',
  'is',
  'and',
  'of',
  'my',
  'name',
  'met',
  'visited',
  'lives',
  'went',
  'with',
  'for',
  'please',
  'ignore',
  'all',
  'previous',
  'instructions',
  'hello',
  'world',
  'weather',
  'today',
  'yesterday',
  'we',
  'i',
  'he',
  'she',
  'it',
  'was',
  'very',
  'nice',
  'good',
  'trip',
  'from',
  'at',
  'on',
  'this',
  'that',
  'text',
  'long',
  'some',
  'more',
  'words',
  'john',
  'mary',
  'peter',
  'anna',
  'jose',
  'smith',
  'paris',
  'london',
  'berlin',
  'lis',
  '##son',
  '##bon',
  '##s',
  '##ing',
  '##ed',
  '##er',
  '##ly',
];
/** Planted meaning: embedding dimension → words that carry it. */
const PLANTED: Readonly<Record<number, readonly string[]>> = {
  0: ['john', 'mary', 'peter', 'anna', 'jose'], // B-PERSON
  1: ['smith', '##son'], // I-PERSON
  2: ['paris', 'london', 'berlin', 'lis'], // B-LOCATION
  3: ['##bon'], // I-LOCATION
  4: ['ignore', 'instructions'], // jailbreak trigger
};

export const TINY_VOCAB: readonly string[] = [...SPECIALS, ...WORDS];

/** All weights of the tiny model (row-major, `x @ W` layout: W is [in, out]). */
export interface TinyBertWeights {
  readonly hidden: number;
  readonly heads: number;
  readonly ffn: number;
  readonly vocab: number;
  readonly maxPositions: number;
  readonly word: Float32Array;
  readonly position: Float32Array;
  readonly tokenType: Float32Array;
  readonly embLnG: Float32Array;
  readonly embLnB: Float32Array;
  readonly layers: readonly TinyLayer[];
  readonly headW: Float32Array;
  readonly headB: Float32Array;
  readonly poolW: Float32Array;
  readonly poolB: Float32Array;
  readonly labels: readonly string[];
  readonly task: TinyBertTask;
}

interface TinyLayer {
  readonly wq: Float32Array;
  readonly bq: Float32Array;
  readonly wk: Float32Array;
  readonly bk: Float32Array;
  readonly wv: Float32Array;
  readonly bv: Float32Array;
  readonly wo: Float32Array;
  readonly bo: Float32Array;
  readonly ln1G: Float32Array;
  readonly ln1B: Float32Array;
  readonly w1: Float32Array;
  readonly b1: Float32Array;
  readonly w2: Float32Array;
  readonly b2: Float32Array;
  readonly ln2G: Float32Array;
  readonly ln2B: Float32Array;
}

function randn(rng: Prng, n: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // Box–Muller; 1 - u keeps log away from 0.
    const u = 1 - rng.next();
    const v = rng.next();
    out[i] = scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return out;
}
const filled = (n: number, v: number): Float32Array => new Float32Array(n).fill(v);

/** Seeded weights with the planted directions described above. */
export function tinyBertWeights(options: TinyBertOptions): TinyBertWeights {
  const HIDDEN = options.hidden ?? DEFAULT_HIDDEN;
  const HEADS = options.heads ?? DEFAULT_HEADS;
  const FFN = options.ffn ?? 2 * HIDDEN;
  if (HIDDEN % HEADS !== 0 || HIDDEN < 8)
    throw new RangeError(`hidden ${HIDDEN} must be ≥ 8 and divisible by heads ${HEADS}`);
  const rng = new Prng(options.seed ?? 42);
  const maxPositions = options.maxPositions ?? 16;
  const vocab = TINY_VOCAB.length;
  const word = randn(rng, vocab * HIDDEN, 0.1);
  const seq = options.task === 'sequence';
  for (const [dim, words] of Object.entries(PLANTED))
    if (dim !== '4' || seq) for (const w of words) word[TINY_VOCAB.indexOf(w) * HIDDEN + Number(dim)] = 6;
  const layers: TinyLayer[] = [];
  for (let l = 0; l < (options.layers ?? 2); l++) {
    const wv = randn(rng, HIDDEN * HIDDEN, 0.05);
    const wo = randn(rng, HIDDEN * HIDDEN, 0.05);
    // Carry the trigger dimension through attention, so [CLS] sees "ignore … instructions".
    if (seq && l === 0) {
      for (let i = 0; i < HIDDEN; i++) {
        wv[i * HIDDEN + 4] = i === 4 ? 2 : 0;
        wo[i * HIDDEN + 4] = i === 4 ? 2 : 0;
      }
    }
    layers.push({
      // Larger query/key weights make attention peaky, so masking and positions matter.
      wq: randn(rng, HIDDEN * HIDDEN, 0.3),
      bq: randn(rng, HIDDEN, 0.1),
      wk: randn(rng, HIDDEN * HIDDEN, 0.3),
      bk: randn(rng, HIDDEN, 0.1),
      wv,
      bv: randn(rng, HIDDEN, 0.02),
      wo,
      bo: randn(rng, HIDDEN, 0.02),
      ln1G: filled(HIDDEN, 1),
      ln1B: randn(rng, HIDDEN, 0.02),
      w1: randn(rng, HIDDEN * FFN, 0.1),
      b1: randn(rng, FFN, 0.02),
      w2: randn(rng, FFN * HIDDEN, 0.05),
      b2: randn(rng, HIDDEN, 0.02),
      ln2G: filled(HIDDEN, 1),
      ln2B: randn(rng, HIDDEN, 0.02),
    });
  }
  const labels: readonly string[] =
    options.task === 'sequence' ? TINY_SEQUENCE_LABELS : options.task === 'token' ? TINY_TOKEN_LABELS : [];
  const nl = Math.max(labels.length, 1);
  const headW = randn(rng, HIDDEN * nl, 0.05);
  const headB = new Float32Array(nl);
  if (options.task === 'token') {
    // Label k (1..4) reads planted dimension k - 1 above a threshold; "O" wins when none is lit.
    for (let k = 1; k < nl; k++) {
      headW[(k - 1) * nl + k] = 4;
      headB[k] = -14;
    }
  } else if (seq) {
    headW[4 * nl + 1] = 3;
  }
  const poolW = randn(rng, HIDDEN * HIDDEN, 0.1);
  const poolB = randn(rng, HIDDEN, 0.02);
  const position = randn(rng, maxPositions * HIDDEN, 0.1);
  const tokenType = randn(rng, 2 * HIDDEN, 0.05);
  const embLnB = randn(rng, HIDDEN, 0.02);
  if (seq) {
    // Keep dimension 4 clean: only trigger words write it, only layer 0's attention moves it
    // (so [CLS] gets the share of trigger words), and the pooler reads nothing else.
    const clearCol = (m: Float32Array, cols: number, except = -1): void => {
      for (let i = 0; i < m.length / cols; i++) if (i !== except) m[i * cols + 4] = 0;
    };
    for (let v = 0; v < vocab; v++)
      if (!PLANTED[4]?.includes(TINY_VOCAB[v] as string)) word[v * HIDDEN + 4] = 0;
    clearCol(position, HIDDEN);
    clearCol(tokenType, HIDDEN);
    embLnB[4] = 0;
    layers.forEach((L, l) => {
      clearCol(L.wq, HIDDEN);
      clearCol(L.wk, HIDDEN);
      clearCol(L.wo, HIDDEN, l === 0 ? 4 : -1);
      clearCol(L.w2, HIDDEN);
      for (const b of [L.bo, L.b2, L.ln1B, L.ln2B, L.bq, L.bk]) b[4] = 0;
    });
    clearCol(poolW, HIDDEN, 4);
    poolW[4 * HIDDEN + 4] = 20;
  }
  const weights: TinyBertWeights = {
    hidden: HIDDEN,
    heads: HEADS,
    ffn: FFN,
    vocab,
    maxPositions,
    word,
    position,
    tokenType,
    embLnG: filled(HIDDEN, 1),
    embLnB,
    layers,
    headW,
    headB,
    poolW,
    poolB,
    labels,
    task: options.task,
  };
  if (seq) {
    // The pooler thresholds [CLS]'s trigger dimension halfway between a benign and a trigger
    // probe (calibrated with the reference forward pass; the pooler does not affect hidden states).
    const cls4 = (words: string[]): number =>
      tinyBertForward(
        weights,
        ['[CLS]', ...words, '[SEP]'].map((t) => TINY_VOCAB.indexOf(t)),
      ).hidden[0]?.[4] ?? 0;
    poolB[4] = -10 * (cls4(['hello', 'world']) + cls4(['ignore', 'all', 'previous', 'instructions']));
  }
  return weights;
}

/** Builds the ONNX graph (opset 18) for the weights: outputs `logits` (unless embedding) and `last_hidden_state`. */
export function buildTinyBertOnnx(
  w: TinyBertWeights,
  options: { tokenTypeInput?: boolean } = {},
): Uint8Array {
  const g = new GraphBuilder({ name: `tiny-bert-${w.task}`, opset: 18 });
  const ids = g.input('input_ids', 'int64', ['batch', 'seq']);
  const mask = g.input('attention_mask', 'int64', ['batch', 'seq']);
  const types =
    options.tokenTypeInput === false
      ? g.mul(ids, g.initializer('zero_i64', BigInt64Array.of(0n), [], 'int64'))
      : g.input('token_type_ids', 'int64', ['batch', 'seq']);
  const { hidden: HIDDEN, heads: HEADS, ffn: FFN } = w;
  const HEAD_DIM = HIDDEN / HEADS;
  const H = HIDDEN;
  const wt = (name: string, data: Float32Array, dims: number[]): string => g.initializer(name, data, dims);

  const seqLen = g.op('Slice', [g.op('Shape', [ids]), g.int64s([1]), g.int64s([2])]);
  const pos = g.op('Slice', [
    wt('pos_emb', w.position, [w.maxPositions, H]),
    g.int64s([0]),
    seqLen,
    g.int64s([0]),
  ]);
  let x = g.add(
    g.add(g.gather(wt('word_emb', w.word, [w.vocab, H]), ids), pos),
    g.gather(wt('type_emb', w.tokenType, [2, H]), types),
  );
  const ln = (v: string, gamma: Float32Array, beta: Float32Array, name: string): string =>
    g.op('LayerNormalization', [v, wt(`${name}_g`, gamma, [H]), wt(`${name}_b`, beta, [H])], {
      axis: -1,
      epsilon: floatAttr(EPS),
    });
  x = ln(x, w.embLnG, w.embLnB, 'emb_ln');

  // [b, s] int mask → additive [b, 1, 1, s]: 0 for tokens, -10000 for padding.
  const maskF = g.cast(mask, 'float32');
  const maskAdd = g.unsqueeze(g.mul(g.sub(g.scalar(1), maskF), g.scalar(MASK_VALUE)), [1, 2]);
  const gelu = (v: string): string => {
    const cube = g.mul(g.mul(v, v), v);
    const inner = g.mul(g.add(v, g.mul(cube, g.scalar(0.044715))), g.scalar(Math.sqrt(2 / Math.PI)));
    return g.mul(g.mul(v, g.scalar(0.5)), g.add(g.scalar(1), g.tanh(inner)));
  };

  w.layers.forEach((L, l) => {
    const proj = (wm: Float32Array, b: Float32Array, n: string): string =>
      g.linear(x, wt(`l${l}_${n}_w`, wm, [H, H]), wt(`l${l}_${n}_b`, b, [H]));
    const heads = (v: string, perm: number[]): string =>
      g.transpose(g.reshape(v, [0, 0, HEADS, HEAD_DIM]), perm);
    const q = heads(proj(L.wq, L.bq, 'q'), [0, 2, 1, 3]);
    const k = heads(proj(L.wk, L.bk, 'k'), [0, 2, 3, 1]);
    const v = heads(proj(L.wv, L.bv, 'v'), [0, 2, 1, 3]);
    const scores = g.add(g.mul(g.matMul(q, k), g.scalar(1 / Math.sqrt(HEAD_DIM))), maskAdd);
    const ctx = g.reshape(g.transpose(g.matMul(g.softmax(scores, -1), v), [0, 2, 1, 3]), [0, 0, H]);
    const attn = g.linear(ctx, wt(`l${l}_o_w`, L.wo, [H, H]), wt(`l${l}_o_b`, L.bo, [H]));
    x = ln(g.add(attn, x), L.ln1G, L.ln1B, `l${l}_ln1`);
    const hid = gelu(g.linear(x, wt(`l${l}_f1_w`, L.w1, [H, FFN]), wt(`l${l}_f1_b`, L.b1, [FFN])));
    const ff = g.linear(hid, wt(`l${l}_f2_w`, L.w2, [FFN, H]), wt(`l${l}_f2_b`, L.b2, [H]));
    x = ln(g.add(ff, x), L.ln2G, L.ln2B, `l${l}_ln2`);
  });

  const nl = w.labels.length;
  if (w.task === 'sequence') {
    const cls = g.gather(x, g.initializer('cls_index', BigInt64Array.of(0n), [], 'int64'), 1);
    const pooled = g.tanh(g.linear(cls, wt('pool_w', w.poolW, [H, H]), wt('pool_b', w.poolB, [H])));
    g.output(
      g.linear(pooled, wt('head_w', w.headW, [H, nl]), wt('head_b', w.headB, [nl])),
      'logits',
      'float32',
      ['batch', nl],
    );
  } else if (w.task === 'token') {
    g.output(g.linear(x, wt('head_w', w.headW, [H, nl]), wt('head_b', w.headB, [nl])), 'logits', 'float32', [
      'batch',
      'seq',
      nl,
    ]);
  }
  g.output(x, 'last_hidden_state', 'float32', ['batch', 'seq', H]);
  return g.toBytes();
}

// ---- plain TypeScript forward pass (float64 arithmetic) ----

function matVec(
  x: Float64Array,
  wm: Float32Array,
  b: Float32Array,
  inDim: number,
  outDim: number,
): Float64Array {
  const y = new Float64Array(outDim);
  for (let o = 0; o < outDim; o++) {
    let s = b[o] as number;
    for (let i = 0; i < inDim; i++) s += (x[i] as number) * (wm[i * outDim + o] as number);
    y[o] = s;
  }
  return y;
}
function layerNorm(x: Float64Array, gamma: Float32Array, beta: Float32Array): Float64Array {
  const n = x.length;
  let mean = 0;
  for (const v of x) mean += v;
  mean /= n;
  let varSum = 0;
  for (const v of x) varSum += (v - mean) ** 2;
  const denom = Math.sqrt(varSum / n + EPS);
  return x.map((v, i) => ((v - mean) / denom) * (gamma[i] as number) + (beta[i] as number));
}
const geluTanh = (v: number): number =>
  0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));

export interface TinyForward {
  /** [seq][hidden] */
  readonly hidden: Float64Array[];
  /** sequence: [labels]; token: [seq][labels] flattened row-major; embedding: empty. */
  readonly logits: Float64Array;
}

/** The reference forward pass for one sequence (mask 1 = token, 0 = padding). */
export function tinyBertForward(
  w: TinyBertWeights,
  ids: readonly number[],
  mask: readonly number[] = ids.map(() => 1),
  types: readonly number[] = ids.map(() => 0),
): TinyForward {
  const { hidden: HIDDEN, heads: HEADS, ffn: FFN } = w;
  const HEAD_DIM = HIDDEN / HEADS;
  const H = HIDDEN;
  const row = (t: Float32Array, r: number): Float64Array => Float64Array.from(t.subarray(r * H, (r + 1) * H));
  let x = ids.map((id, p) => {
    const e = row(w.word, id);
    const pe = row(w.position, p);
    const te = row(w.tokenType, types[p] ?? 0);
    return layerNorm(
      e.map((v, i) => v + (pe[i] as number) + (te[i] as number)),
      w.embLnG,
      w.embLnB,
    );
  });
  const n = ids.length;
  for (const L of w.layers) {
    const q = x.map((h) => matVec(h, L.wq, L.bq, H, H));
    const k = x.map((h) => matVec(h, L.wk, L.bk, H, H));
    const v = x.map((h) => matVec(h, L.wv, L.bv, H, H));
    const ctx = x.map(() => new Float64Array(H));
    for (let head = 0; head < HEADS; head++) {
      const off = head * HEAD_DIM;
      for (let i = 0; i < n; i++) {
        const scores = new Float64Array(n);
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let d = 0; d < HEAD_DIM; d++) s += (q[i]![off + d] as number) * (k[j]![off + d] as number);
          scores[j] = s / Math.sqrt(HEAD_DIM) + (1 - (mask[j] ?? 0)) * MASK_VALUE;
        }
        const max = Math.max(...scores);
        const exps = scores.map((s) => Math.exp(s - max));
        const sum = exps.reduce((a, b) => a + b, 0);
        for (let j = 0; j < n; j++)
          for (let d = 0; d < HEAD_DIM; d++)
            ctx[i]![off + d] =
              (ctx[i]![off + d] as number) + ((exps[j] as number) / sum) * (v[j]![off + d] as number);
      }
    }
    x = x.map((h, i) => {
      const attn = matVec(ctx[i]!, L.wo, L.bo, H, H);
      const a = layerNorm(
        attn.map((val, d) => val + (h[d] as number)),
        L.ln1G,
        L.ln1B,
      );
      const ff = matVec(matVec(a, L.w1, L.b1, H, FFN).map(geluTanh), L.w2, L.b2, FFN, H);
      return layerNorm(
        ff.map((val, d) => val + (a[d] as number)),
        L.ln2G,
        L.ln2B,
      );
    });
  }
  const nl = w.labels.length;
  let logits: Float64Array = new Float64Array(0);
  if (w.task === 'sequence') {
    const pooled = matVec(x[0]!, w.poolW, w.poolB, H, H).map(Math.tanh);
    logits = matVec(pooled, w.headW, w.headB, H, nl);
  } else if (w.task === 'token') {
    logits = new Float64Array(n * nl);
    x.forEach((h, i) => logits.set(matVec(h, w.headW, w.headB, H, nl), i * nl));
  }
  return { hidden: x, logits };
}

// ---- tokenizer.json / config.json ----

/** A Hugging Face `tokenizer.json` for a BERT WordPiece tokenizer over `vocab`. */
export function tinyTokenizerJson(vocab: readonly string[] = TINY_VOCAB): Record<string, unknown> {
  const id = (t: string): number => vocab.indexOf(t);
  const special = (t: string): Record<string, unknown> => ({
    id: id(t),
    content: t,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map(special),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
}

export function tinyConfigJson(w: TinyBertWeights): Record<string, unknown> {
  const { hidden: HIDDEN, heads: HEADS, ffn: FFN } = w;
  const architectures = {
    sequence: 'BertForSequenceClassification',
    token: 'BertForTokenClassification',
    embedding: 'BertModel',
  }[w.task];
  return {
    architectures: [architectures],
    model_type: 'bert',
    hidden_size: HIDDEN,
    num_attention_heads: HEADS,
    num_hidden_layers: w.layers.length,
    intermediate_size: FFN,
    hidden_act: 'gelu_new',
    max_position_embeddings: w.maxPositions,
    type_vocab_size: 2,
    vocab_size: w.vocab,
    layer_norm_eps: EPS,
    ...(w.labels.length > 0
      ? {
          id2label: Object.fromEntries(w.labels.map((l, i) => [String(i), l])),
          label2id: Object.fromEntries(w.labels.map((l, i) => [l, i])),
        }
      : {}),
  };
}

/** Writes `model.onnx`, `tokenizer.json`, `tokenizer_config.json` and `config.json` to `dir`. */
export async function writeTinyBert(dir: string, options: TinyBertOptions): Promise<TinyBertWeights> {
  const w = tinyBertWeights(options);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'model.onnx'),
    buildTinyBertOnnx(w, { tokenTypeInput: options.tokenTypeInput ?? true }),
  );
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tinyTokenizerJson()));
  await writeFile(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({
      do_lower_case: true,
      model_max_length: w.maxPositions,
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      mask_token: '[MASK]',
      tokenizer_class: 'BertTokenizer',
    }),
  );
  await writeFile(join(dir, 'config.json'), JSON.stringify(tinyConfigJson(w), null, 2));
  return w;
}
