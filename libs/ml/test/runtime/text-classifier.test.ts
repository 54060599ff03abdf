import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBagClassifier } from '../../src/onnx';
import { TextClassifier, writeModelDir } from '../../src/runtime';
import type { ManifestDraft } from '../../src/runtime';
import { HashedNgramFeaturizer } from '../../src/text';
import type { HashedNgramParams } from '../../src/text';

const params: HashedNgramParams = {
  type: 'hashed-ngrams',
  buckets: 1024,
  wordNgrams: 2,
  charMin: 3,
  charMax: 4,
  maxFeatures: 256,
  seed: 7,
};

/** A 2-class model whose embedding rows for "cat" features point at class 0 and "dog" at class 1. */
async function writeToyModel(dir: string): Promise<void> {
  const dim = 2;
  const f = new HashedNgramFeaturizer(params);
  const embeddings = new Float32Array(params.buckets * dim);
  for (const id of f.features('cat')) embeddings[id * dim] = 5;
  for (const id of f.features('dog')) embeddings[id * dim + 1] = 5;
  const bytes = buildBagClassifier(
    {
      embeddings,
      rows: params.buckets,
      dim,
      weight: Float32Array.from([1, 0, 0, 1]),
      bias: new Float32Array(2),
      classes: 2,
    },
    { name: 'toy' },
  ).toBytes();
  const draft: ManifestDraft = {
    schemaVersion: 1,
    name: 'toy',
    task: 'toy',
    kind: 'text-classifier',
    labels: ['feline', 'canine'],
    preprocessing: params,
    model: { inputs: ['ids', 'mask'], outputs: ['probs', 'logits'] },
    metrics: {},
    data: { sources: [], split: { method: 'none', testFraction: 0 } },
    training: { seed: 1 },
  };
  await writeModelDir(dir, bytes, draft);
}

describe('TextClassifier', () => {
  let root: string;
  let dir: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ml-runtime-'));
    dir = join(root, 'toy');
    await writeToyModel(dir);
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('loads a model directory and classifies a batch in one call', async () => {
    const clf = await TextClassifier.load(dir);
    try {
      const out = await clf.classify(['my cat', 'the dog barks', '', 'DOG']);
      expect(out.map((p) => p.label)).toEqual(['feline', 'canine', 'feline', 'canine']);
      expect(out[1]!.score).toBeGreaterThan(0.6);
      expect(out[2]!.score).toBeCloseTo(0.5, 5); // no features: uniform
      expect(Object.keys(out[0]!.distribution)).toEqual(['feline', 'canine']);
      expect(await clf.classify([])).toEqual([]);
    } finally {
      await clf.close();
    }
  });

  it('splits inputs larger than maxBatch across calls with the same results', async () => {
    const clf = await TextClassifier.load(dir, { maxBatch: 3 });
    try {
      const texts = Array.from({ length: 10 }, (_, i) => (i % 2 ? 'cat' : 'dog'));
      expect((await clf.classify(texts)).map((p) => p.label)).toEqual(
        texts.map((t) => (t === 'cat' ? 'feline' : 'canine')),
      );
    } finally {
      await clf.close();
    }
  });

  it('returns results in input order when texts of mixed lengths are regrouped', async () => {
    const clf = await TextClassifier.load(dir);
    try {
      const texts = Array.from({ length: 150 }, (_, i) =>
        i % 3 === 0 ? 'cat' : `the ${'big '.repeat(i % 17)}dog ${i}`,
      );
      const batched = await clf.classify(texts);
      const single = await Promise.all(texts.map(async (t) => (await clf.classify([t]))[0]!));
      batched.forEach((p, i) => {
        expect(p.label).toBe(single[i]!.label);
        expect(p.score).toBeCloseTo(single[i]!.score, 5);
      });
    } finally {
      await clf.close();
    }
  });

  it('rejects non-string input with ML_BAD_INPUT', async () => {
    const clf = await TextClassifier.load(dir);
    try {
      await expect(clf.classify(['ok', 42 as unknown as string])).rejects.toMatchObject({
        code: 'ML_BAD_INPUT',
        message: expect.stringContaining('text 1'),
      });
    } finally {
      await clf.close();
    }
  });

  it('reports a missing directory as ML_MODEL_MISSING', async () => {
    await expect(TextClassifier.load(join(root, 'nope'))).rejects.toMatchObject({ code: 'ML_MODEL_MISSING' });
  });

  it('reports a changed model file as ML_MODEL_CORRUPT', async () => {
    const bad = join(root, 'corrupt');
    await writeToyModel(bad);
    const bytes = await readFile(join(bad, 'model.onnx'));
    bytes[bytes.length - 5] = (bytes[bytes.length - 5]! + 1) % 256;
    await writeFile(join(bad, 'model.onnx'), bytes);
    await expect(TextClassifier.load(bad)).rejects.toMatchObject({
      code: 'ML_MODEL_CORRUPT',
      message: expect.stringContaining('checksum'),
    });
    await writeFile(join(bad, 'model.onnx'), bytes.subarray(0, 10));
    await expect(TextClassifier.load(bad)).rejects.toMatchObject({
      code: 'ML_MODEL_CORRUPT',
      message: expect.stringContaining('bytes'),
    });
  });

  it('reports an invalid manifest with every problem named', async () => {
    const bad = join(root, 'badmanifest');
    await writeToyModel(bad);
    const manifest = JSON.parse(await readFile(join(bad, 'manifest.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    await writeFile(join(bad, 'manifest.json'), JSON.stringify({ ...manifest, name: '', schemaVersion: 2 }));
    await expect(TextClassifier.load(bad)).rejects.toMatchObject({
      code: 'ML_MANIFEST_INVALID',
      message: expect.stringMatching(/schemaVersion.*name|name.*schemaVersion/),
    });
    await writeFile(join(bad, 'manifest.json'), JSON.stringify({ ...manifest, labels: ['only'] }));
    await expect(TextClassifier.load(bad)).rejects.toMatchObject({
      code: 'ML_MANIFEST_INVALID',
      message: expect.stringContaining('two labels'),
    });
    await writeFile(join(bad, 'manifest.json'), '{not json');
    await expect(TextClassifier.load(bad)).rejects.toMatchObject({ code: 'ML_MANIFEST_INVALID' });
  });

  it('refuses an execution provider this build lacks with ML_PROVIDER_UNAVAILABLE', async () => {
    await expect(TextClassifier.load(dir, { executionProviders: ['tensorrt'] })).rejects.toMatchObject({
      code: 'ML_PROVIDER_UNAVAILABLE',
      message: expect.stringContaining('tensorrt'),
    });
  });
});
