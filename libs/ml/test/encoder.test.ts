import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SentenceEncoder } from '../src/encoder/sentence-encoder';
import { cosine } from '../src/encoder/metrics';

// The committed model, loaded through the same path as the services.
const MODEL_DIR = join(__dirname, '..', '..', '..', 'models', 'encoder');

let encoder: SentenceEncoder;
beforeAll(async () => {
  encoder = await SentenceEncoder.load(MODEL_DIR);
});
afterAll(async () => {
  await encoder.close();
});

const sim = async (a: string, b: string): Promise<number> => {
  const [x, y] = await encoder.embed([a, b]);
  return cosine(x as Float32Array, y as Float32Array);
};

describe('SentenceEncoder', () => {
  it('has a small dimension and unit-length outputs', async () => {
    expect(encoder.dimension).toBeGreaterThanOrEqual(64);
    expect(encoder.dimension).toBeLessThanOrEqual(384);
    const vs = await encoder.embed([
      'How do I reset my password?',
      'Wie spät ist es in Tokio?',
      '今天天气怎么样',
    ]);
    for (const v of vs) {
      expect(v).toHaveLength(encoder.dimension);
      expect(Math.hypot(...v)).toBeCloseTo(1, 4);
    }
  });

  it('gives the same vector for a text alone or in a batch', async () => {
    const [alone] = await encoder.embed(['book a table for two']);
    const batch = await encoder.embed([
      'a much longer text that widens the padded batch tensor quite a bit',
      'book a table for two',
    ]);
    for (let i = 0; i < encoder.dimension; i++) expect(batch[1]![i]).toBeCloseTo(alone![i]!, 5);
  });

  it('splits a batch holding one very long prompt into bounded runs, with the same vectors', async () => {
    const long = Array.from({ length: 30000 }, (_, i) => `w${i}`).join(' ');
    const short = Array.from({ length: 50 }, (_, i) => `short question number ${i}`);
    const batch = await encoder.embed([...short, long, 'last one']);
    const [alone] = await encoder.embed([long]);
    const [last] = await encoder.embed(['last one']);
    expect(batch).toHaveLength(52);
    expect(cosine(batch[50]!, alone!)).toBeCloseTo(1, 5);
    expect(cosine(batch[51]!, last!)).toBeCloseTo(1, 5);
  });

  it('featurises to distinct ids with summed counts, whatever came before (reused accumulator)', () => {
    const bag = (t: string): Map<number, number> => {
      const f = encoder.features(t);
      return new Map([...f.ids].map((id, i) => [id, f.weights[i] as number]));
    };
    const once = bag('the cat sat on the mat');
    // A huge text in between grows the accumulator; the small bag must come out the same after it.
    const huge = encoder.features(Array.from({ length: 20000 }, (_, i) => `tok${i}`).join(' '));
    expect(new Set(huge.ids).size).toBe(huge.ids.length);
    expect(bag('the cat sat on the mat')).toEqual(once);
    // "the" twice: its word row has count 2; every other count is a whole number ≥ 1.
    expect([...once.values()].some((w) => w === 2)).toBe(true);
    expect([...once.values()].every((w) => Number.isInteger(w) && w >= 1)).toBe(true);
    const twice = bag('the cat sat on the mat the cat sat on the mat');
    for (const [id, w] of once) expect(twice.get(id)).toBeGreaterThanOrEqual(w);
  });

  it('maps an empty text to the zero vector', async () => {
    const [v] = await encoder.embed(['']);
    expect(Math.hypot(...v!)).toBe(0);
    expect(await encoder.embed([])).toEqual([]);
  });

  it('keeps some GloVe word meaning ("car" ~ "automobile", "doctor" ~ "physician")', async () => {
    // Training on sentences pulls single words apart (docs/models/encoder.md): the margin is modest.
    expect(await sim('car', 'automobile')).toBeGreaterThan((await sim('car', 'banana')) + 0.1);
    expect(await sim('doctor', 'physician')).toBeGreaterThan((await sim('doctor', 'guitar')) + 0.1);
    expect(await sim('buy a car', 'purchase a vehicle')).toBeGreaterThan(
      (await sim('buy a car', 'sell a guitar')) + 0.2,
    );
  });

  it('scores paraphrases above unrelated questions', async () => {
    const p = await sim('How can I improve my sleep?', 'What are some ways to sleep better?');
    const u = await sim('How can I improve my sleep?', 'What is the capital of Peru?');
    expect(p).toBeGreaterThan(u + 0.3);
  });

  it('covers the whole text: words after a shared 600-word prefix still change the vector', async () => {
    // With 512-token truncation both would embed identically (cosine exactly 1). A bag sees the
    // tail, but a long shared bulk dominates the sum, so the cache keeps long prompts exact-only.
    const prefix = Array.from({ length: 600 }, (_, i) => `word${i % 97} filler`).join(' ');
    const [a, b] = await encoder.embed([
      `${prefix} Now summarise the contract.`,
      `${prefix} Now translate the poem into German.`,
    ]);
    expect(a).not.toEqual(b);
    expect(cosine(a!, b!)).toBeLessThan(0.999999);
  });

  it('rejects bad input with a coded error', async () => {
    await expect(encoder.embed(['ok', 42 as unknown as string])).rejects.toMatchObject({
      code: 'ML_BAD_INPUT',
      message: expect.stringContaining('text 1'),
    });
    await expect(encoder.embed('text' as unknown as string[])).rejects.toMatchObject({
      code: 'ML_BAD_INPUT',
    });
  });

  it('reports a missing or corrupt model directory clearly', async () => {
    await expect(SentenceEncoder.load(join(tmpdir(), 'no-such-encoder'))).rejects.toMatchObject({
      code: 'ML_MODEL_MISSING',
    });
    const dir = await mkdtemp(join(tmpdir(), 'encoder-'));
    try {
      for (const f of ['manifest.json', 'model.onnx', 'vocab.txt'])
        await copyFile(join(MODEL_DIR, f), join(dir, f));
      const vocab = await readFile(join(dir, 'vocab.txt'), 'utf8');
      await writeFile(join(dir, 'vocab.txt'), vocab.replace('the\n', 'teh\n'));
      await expect(SentenceEncoder.load(dir)).rejects.toMatchObject({
        code: 'ML_MODEL_CORRUPT',
        message: expect.stringContaining('vocab.txt'),
      });
      const bytes = await readFile(join(MODEL_DIR, 'model.onnx'));
      bytes[bytes.length - 10] = (bytes[bytes.length - 10]! + 1) % 256;
      await writeFile(join(dir, 'vocab.txt'), vocab);
      await writeFile(join(dir, 'model.onnx'), bytes);
      await expect(SentenceEncoder.load(dir)).rejects.toMatchObject({
        code: 'ML_MODEL_CORRUPT',
        message: expect.stringContaining('checksum'),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
