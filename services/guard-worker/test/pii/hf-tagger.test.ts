import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HfTokenClassifier, writeTinyBert } from '@sr/ml';
import { PiiDetector } from '../../src/pii/detector';
import { presidioEntityName } from '../../src/pii/tagger';

describe('PII entity model from a Hugging Face export', () => {
  it('maps common NER label names to Presidio entity names', () => {
    expect(presidioEntityName('PER')).toBe('PERSON');
    expect(presidioEntityName('loc')).toBe('LOCATION');
    expect(presidioEntityName('GPE')).toBe('LOCATION');
    expect(presidioEntityName('ORG')).toBe('ORGANIZATION');
    expect(presidioEntityName('DATE')).toBe('DATE_TIME');
    expect(presidioEntityName('MISC')).toBe('MISC'); // passes through; the detector drops unasked types
  });

  it('loads a token-classification export in the detector, next to the pattern recognizers', async () => {
    // The project's tiny BERT (labels O, B/I-PERSON, B/I-LOCATION), standing in for a user's NER model.
    const dir = join(mkdtempSync(join(tmpdir(), 'sr-hf-pii-')), 'model');
    await writeTinyBert(dir, { task: 'token', seed: 11 });
    const detector = await PiiDetector.create({ modelDir: dir, thresholds: 0 });
    try {
      expect(detector.hasModel).toBe(true);
      const text = 'Ada Lovelace wrote from London, mail ada@example.com';
      const spans = await detector.detect(text);
      // The pattern recognizers still run beside the model.
      expect(
        spans.some((s) => s.type === 'EMAIL_ADDRESS' && text.slice(s.start, s.end) === 'ada@example.com'),
      ).toBe(true);
      // What the model contributes comes out under Presidio's names, with valid offsets.
      const hf = await HfTokenClassifier.load(dir);
      const raw = (await hf.predictBatch([text]))[0]!;
      await hf.close();
      const modelTypes = new Set(raw.map((s) => presidioEntityName(s.type)));
      for (const s of spans) {
        expect(s.start).toBeGreaterThanOrEqual(0);
        expect(s.end).toBeLessThanOrEqual(text.length);
        expect(s.end).toBeGreaterThan(s.start);
        expect(['EMAIL_ADDRESS', 'URL', ...modelTypes]).toContain(s.type);
      }
    } finally {
      await detector.close();
    }
  });
});
