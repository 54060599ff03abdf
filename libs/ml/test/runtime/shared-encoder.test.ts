import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SentenceEncoder } from '../../src/encoder/sentence-encoder';
import { openSharedEncoder } from '../../src/runtime/shared-encoder';
import { HfSentenceEmbedder } from '../../src/transformers/sentence-embedder';
import { writeTinyBert } from '../../src/transformers/testing/tiny-bert';

// The committed encoder: the shared handle must give exactly what the encoder gives.
const DIR = join(__dirname, '../../../../models/encoder');

/** Counts the texts that reach the underlying model (any instance of `cls`). */
function countCalls(cls: { prototype: { embed(texts: readonly string[]): Promise<Float32Array[]> } }) {
  const spy = jest.spyOn(cls.prototype, 'embed');
  return {
    get texts() {
      return spy.mock.calls.reduce((n, [texts]) => n + texts.length, 0);
    },
    restore: () => spy.mockRestore(),
  };
}

describe('openSharedEncoder', () => {
  it('loads one encoder per directory and embeds a repeated text once', async () => {
    const a = await openSharedEncoder(DIR);
    const b = await openSharedEncoder(DIR);
    try {
      expect(b.id).toBe(a.id);
      expect(a.kind).toBe('in-house');
      expect(a.thresholds?.cache).toBeGreaterThan(0);
      const calls = countCalls(SentenceEncoder);
      const text = `How do I reset my router password? ${Math.random()}`;
      const [first] = await a.embed([text]);
      const [second, other] = await b.embed([text, 'a different question about taxes']);
      expect(calls.texts).toBe(2); // the text once, the other text once
      calls.restore();
      const direct = (
        await SentenceEncoder.load(DIR).then(async (e) => {
          const out = await e.embed([text]);
          await e.close();
          return out;
        })
      )[0];
      expect(Array.from(first!)).toEqual(Array.from(direct!));
      expect(Array.from(second!)).toEqual(Array.from(direct!));
      expect(Array.from(other!)).not.toEqual(Array.from(direct!));
      // Callers get their own arrays: changing one never changes what the memo serves next.
      first!.fill(0);
      const [third] = await a.embed([text]);
      expect(Array.from(third!)).toEqual(Array.from(direct!));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps the session open until the last handle closes, then loads afresh', async () => {
    const a = await openSharedEncoder(DIR);
    const b = await openSharedEncoder(DIR);
    await a.close();
    await a.close(); // closing twice does not release someone else's reference
    const [v] = await b.embed(['still open for b']);
    expect(v!.length).toBe(b.dimension);
    await b.close();
    const loads = jest.spyOn(SentenceEncoder, 'load');
    const c = await openSharedEncoder(DIR);
    try {
      expect(loads).toHaveBeenCalledTimes(1); // the last close released it: a fresh load
      loads.mockRestore();
      const [w] = await c.embed(['a new session works']);
      expect(w!.length).toBe(c.dimension);
    } finally {
      await c.close();
    }
  });

  it('reports a missing model directory, and a later good open still works', async () => {
    await expect(openSharedEncoder(join(DIR, 'no-such-model'))).rejects.toThrow(/no-such-model/);
    const ok = await openSharedEncoder(DIR);
    await ok.close();
  });

  it('embeds texts longer than the memo limit without remembering them', async () => {
    const shared = await openSharedEncoder(DIR);
    try {
      const calls = countCalls(SentenceEncoder);
      const long = 'word '.repeat(2000);
      await shared.embed([long]);
      await shared.embed([long]);
      expect(calls.texts).toBe(2);
      calls.restore();
    } finally {
      await shared.close();
    }
  });
});

describe('openSharedEncoder with a Hugging Face export', () => {
  it('loads the export (mean pooling), has no calibrated thresholds, and memoises the same way', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sr-shared-hf-')), 'model');
    await writeTinyBert(dir, { task: 'embedding', seed: 5 });
    const shared = await openSharedEncoder(dir);
    try {
      expect(shared.kind).toBe('hf');
      expect(shared.thresholds).toBeUndefined();
      expect(shared.id).toMatch(/^hf:model@[0-9a-f]{16}$/);
      const calls = countCalls(HfSentenceEmbedder);
      const [a] = await shared.embed(['hello world']);
      const [b] = await shared.embed(['hello world']);
      expect(calls.texts).toBe(1);
      calls.restore();
      expect(a!.length).toBe(shared.dimension);
      expect(Array.from(b!)).toEqual(Array.from(a!));
    } finally {
      await shared.close();
    }
  });
});
