import { join } from 'node:path';
import { openSharedEncoder } from '../../src/runtime/shared-encoder';
import type { SentenceEncoder } from '../../src/encoder/sentence-encoder';

// The committed encoder: the shared handle must give exactly what the encoder gives.
const DIR = join(__dirname, '../../../../models/encoder');

/** Counts the texts that reach the underlying encoder. */
function countCalls(encoder: SentenceEncoder): { texts: number; restore(): void } {
  const original = encoder.embed.bind(encoder);
  const counter = {
    texts: 0,
    restore: () => {
      encoder.embed = original;
    },
  };
  encoder.embed = (texts) => {
    counter.texts += texts.length;
    return original(texts);
  };
  return counter;
}

describe('openSharedEncoder', () => {
  it('loads one encoder per directory and embeds a repeated text once', async () => {
    const a = await openSharedEncoder(DIR);
    const b = await openSharedEncoder(DIR);
    try {
      expect(b.encoder).toBe(a.encoder);
      const calls = countCalls(a.encoder);
      const text = `How do I reset my router password? ${Math.random()}`;
      const [first] = await a.embed([text]);
      const [second, other] = await b.embed([text, 'a different question about taxes']);
      expect(calls.texts).toBe(2); // the text once, the other text once
      calls.restore();
      const [direct] = await a.encoder.embed([text]);
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
    expect(v!.length).toBe(b.encoder.dimension);
    await b.close();
    const c = await openSharedEncoder(DIR);
    try {
      expect(c.encoder).not.toBe(b.encoder);
      const [w] = await c.embed(['a new session works']);
      expect(w!.length).toBe(c.encoder.dimension);
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
      const calls = countCalls(shared.encoder);
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
