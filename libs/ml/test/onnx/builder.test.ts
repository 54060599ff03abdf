import * as ort from 'onnxruntime-node';
import { GraphBuilder, buildBagClassifier, floatAttr } from '../../src/onnx';
import { toFloat16Bits } from '../../src/onnx/bag-classifier';
import { idfWeights, predictProba } from '../../src/train/fasttext';

async function run(
  bytes: Uint8Array,
  feeds: Record<string, ort.Tensor>,
): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return (await session.run(feeds)) as Record<string, ort.Tensor>;
  } finally {
    await session.release();
  }
}

describe('GraphBuilder', () => {
  it('builds a gather + masked mean + L2 normalise encoder that onnxruntime runs', async () => {
    const g = new GraphBuilder({ name: 'enc' });
    const ids = g.input('ids', 'int64', ['b', 'l']);
    const mask = g.input('mask', 'float32', ['b', 'l']);
    const table = g.initializer('E', Float32Array.from([0, 0, 3, 0, 0, 4]), [3, 2]);
    g.output(g.l2Normalize(g.maskedPool(g.gather(table, ids), mask)), 'emb', 'float32', ['b', 2]);
    const out = await run(g.toBytes(), {
      ids: new ort.Tensor('int64', BigInt64Array.from([1n, 2n, 1n, 0n]), [2, 2]),
      mask: new ort.Tensor('float32', Float32Array.from([1, 1, 1, 0]), [2, 2]),
    });
    const emb = out['emb']!.data as Float32Array;
    // Row 0: mean of (3,0) and (0,4) = (1.5, 2) → (0.6, 0.8). Row 1: only (3,0) → (1, 0).
    expect(Array.from(emb).map((v) => Number(v.toFixed(5)))).toEqual([0.6, 0.8, 1, 0]);
  });

  it('supports opset 13 reduce ops and float attributes', async () => {
    const g = new GraphBuilder({ name: 'r13', opset: 13 });
    const x = g.input('x', 'float32', [2, 2]);
    const mean = g.reduceMean(x, [1]);
    g.output(g.op('LeakyRelu', [g.sub(mean, g.scalar(2))], { alpha: floatAttr(0.5) }), 'y', 'float32', [2]);
    const out = await run(g.toBytes(), {
      x: new ort.Tensor('float32', Float32Array.from([1, 1, 4, 4]), [2, 2]),
    });
    expect(Array.from(out['y']!.data as Float32Array)).toEqual([-0.5, 2]);
  });

  it('rejects non-integer int attributes and mismatched tensor sizes', () => {
    const g = new GraphBuilder({ name: 'bad' });
    expect(() => g.op('Softmax', ['x'], { axis: 0.5 })).toThrow(/floatAttr/);
    expect(() => g.initializer('w', new Float32Array(3), [2, 2])).toThrow(/do not fit/);
    expect(() => g.input('dup', 'float32', [1]) && g.input('dup', 'float32', [1])).toThrow(/already used/);
  });

  it('builds a bag classifier whose int8 storage matches float32 closely', async () => {
    const rows = 50;
    const dim = 8;
    const classes = 3;
    const embeddings = Float32Array.from({ length: rows * dim }, (_, i) => Math.sin(i * 1.7));
    const weight = Float32Array.from({ length: dim * classes }, (_, i) => Math.cos(i * 0.9));
    const bias = Float32Array.from([0.1, -0.2, 0.3]);
    const w = { embeddings, rows, dim, weight, bias, classes };
    const feeds = {
      ids: new ort.Tensor('int32', Int32Array.from([3, 17, 42, 0]), [1, 4]),
      mask: new ort.Tensor('float32', Float32Array.from([1, 1, 1, 0]), [1, 4]),
    };
    const f32 = await run(buildBagClassifier(w, { name: 'f' }).toBytes(), feeds);
    const i8 = await run(buildBagClassifier(w, { name: 'q', storage: 'int8' }).toBytes(), feeds);
    const p = Array.from(f32['probs']!.data as Float32Array);
    const q = Array.from(i8['probs']!.data as Float32Array);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    p.forEach((v, i) => expect(Math.abs(v - q[i]!)).toBeLessThan(0.02));
    // Hand-computed reference for the float model.
    const pooled = new Array<number>(dim).fill(0);
    for (const id of [3, 17, 42]) for (let j = 0; j < dim; j++) pooled[j]! += embeddings[id * dim + j]! / 3;
    const logits = [0, 1, 2].map(
      (c) => bias[c]! + pooled.reduce((s, v, j) => s + v * weight[j * classes + c]!, 0),
    );
    expect(Array.from(f32['logits']!.data as Float32Array).map((v) => Number(v.toFixed(4)))).toEqual(
      logits.map((v) => Number(v.toFixed(4))),
    );
  });
});

describe('bag classifier storage', () => {
  it('encodes float16 bit patterns', () => {
    expect(Array.from(toFloat16Bits(Float32Array.from([1, 0.5, -2, 0.1, 0, 65504])))).toEqual([
      0x3c00, 0x3800, 0xc000, 0x2e66, 0, 0x7bff,
    ]);
  });

  it('weighted (IDF) pooling in ONNX matches the trainer maths', async () => {
    const rows = 20;
    const dim = 4;
    const classes = 2;
    const embeddings = Float32Array.from({ length: rows * dim }, (_, i) => Math.sin(i));
    const docs = [Int32Array.from([1, 2, 3]), Int32Array.from([1, 5]), Int32Array.from([1, 7, 7])];
    const rowWeights = idfWeights(docs, rows);
    const w = {
      embeddings,
      rows,
      dim,
      weight: Float32Array.from({ length: dim * classes }, (_, i) => Math.cos(i)),
      bias: Float32Array.from([0, 0.1]),
      classes,
      rowWeights,
    };
    const ids = Int32Array.from([1, 2, 7, 9]); // 9 was never seen: weight 0, ignored
    const out = await run(buildBagClassifier(w, { name: 'idf' }).toBytes(), {
      ids: new ort.Tensor('int32', ids, [1, 4]),
      mask: new ort.Tensor('float32', Float32Array.from([1, 1, 1, 1]), [1, 4]),
    });
    const expected = predictProba(w, ids);
    Array.from(out['probs']!.data as Float32Array).forEach((p, i) => expect(p).toBeCloseTo(expected[i]!, 5));
  });
});
