import { statSync } from 'node:fs';
import { join } from 'node:path';
import { PiiEntityModel } from '../src/pii/entity-model';
import { evalPiiModel } from '../src/pii/eval-pii-model';
import { MODEL_TARGET_F1 } from '../src/pii/eval-section';
import { datasetsDir } from '../src/train/paths';

// Quality gate on the committed entity model (issue 4): F1 ≥ 0.85 for PERSON, LOCATION and
// ORGANIZATION on presidio-research sentences held out of training, exact character spans.
const MODEL_DIR = join(__dirname, '../../../models/pii-ner');

describe('PII entity model (committed)', () => {
  it('is a small ONNX file (≤ 8 MB)', () => {
    expect(statSync(join(MODEL_DIR, 'model.onnx')).size).toBeLessThanOrEqual(8 * 1024 * 1024);
  });

  it('tags names, places, organisations, addresses and dates with character offsets', async () => {
    const model = await PiiEntityModel.load(MODEL_DIR);
    try {
      const text =
        'My name is Daniel Okafor and I live at 15 Rue des Lilas, Paris. I work for Halvorsen Logistics.';
      const spans = await model.predict(text);
      const got = spans.map((s) => [s.type, text.slice(s.start, s.end)]);
      expect(got).toEqual(expect.arrayContaining([['PERSON', 'Daniel Okafor']]));
      expect(spans.some((s) => s.type === 'STREET_ADDRESS')).toBe(true);
      for (const s of spans) {
        expect(s.score).toBeGreaterThan(0);
        expect(s.score).toBeLessThanOrEqual(1);
      }
      expect(await model.predict('')).toEqual([]);
    } finally {
      await model.close();
    }
  });

  it('meets F1 ≥ 0.85 for PERSON, LOCATION, ORGANIZATION on held-out presidio sentences', async () => {
    const r = await evalPiiModel(MODEL_DIR, 'sentence', datasetsDir());
    for (const t of ['PERSON', 'LOCATION', 'ORGANIZATION'])
      expect(r.presidioHeldOut.span[t]!.f1).toBeGreaterThanOrEqual(MODEL_TARGET_F1);
  }, 120_000);

  it('refuses a directory without a model with a coded error', async () => {
    await expect(PiiEntityModel.load('/nonexistent/pii-ner')).rejects.toMatchObject({
      code: 'ML_MODEL_MISSING',
    });
  });
});
