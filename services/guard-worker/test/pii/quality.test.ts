import { join } from 'node:path';
import { statSync } from 'node:fs';
import { COMBINED_TARGETS, evaluateCombinedPii } from '../../src/pii/eval-section';
import type { CombinedPiiResult } from '../../src/pii/eval-section';
import { PATTERN_TARGET_TYPES } from '../../src/pii/evaluate';
import { PiiDetector } from '../../src/pii';

// Quality gates on the committed model (models/pii-ner) with the real pattern recognizers: the
// issue-5 targets on presidio held-out sentences, our own texts and texts without PII.
const MODEL_DIR = join(__dirname, '../../../../models/pii-ner');

describe('PII detector quality (committed model)', () => {
  let result: CombinedPiiResult;
  beforeAll(async () => {
    expect(statSync(join(MODEL_DIR, 'model.onnx')).size).toBeGreaterThan(0);
    result = await evaluateCombinedPii({ modelDir: MODEL_DIR });
  }, 120_000);

  it.each(PATTERN_TARGET_TYPES)('%s: F1 ≥ 0.95 on presidio held-out and on our own texts', (type) => {
    for (const set of [result.presidio, result.own]) {
      const m = set.span[type]!;
      expect(m.tp + m.fn).toBeGreaterThan(0);
      expect(m.f1).toBeGreaterThanOrEqual(COMBINED_TARGETS.patternF1);
    }
  });

  it('overall F1 ≥ 0.85 on presidio held-out sentences', () => {
    expect(result.presidio.span['ALL']!.f1).toBeGreaterThanOrEqual(COMBINED_TARGETS.overallF1);
  });

  it('overall F1 ≥ 0.85 on our own hand-written texts', () => {
    expect(result.own.span['ALL']!.f1).toBeGreaterThanOrEqual(COMBINED_TARGETS.overallF1);
  });

  it('texts without PII yield no entity in ≥ 95% of cases', () => {
    expect(result.benign.cleanRate).toBeGreaterThanOrEqual(COMBINED_TARGETS.benignClean);
  });
});

describe('PII detector with the entity model', () => {
  let detector: PiiDetector;
  beforeAll(async () => {
    detector = await PiiDetector.create({ modelDir: MODEL_DIR, includeText: true });
  });
  afterAll(async () => {
    await detector.close();
  });

  it('finds names, organisations and places next to pattern types, with character offsets', async () => {
    const text =
      'Please send the contract to Maria Lopez at Quantum Freight Ltd in Rotterdam, maria.lopez@qf.nl.';
    const spans = await detector.detect(text);
    const got = spans.map((s) => [s.type, s.text]);
    expect(got).toEqual(
      expect.arrayContaining([
        ['PERSON', 'Maria Lopez'],
        ['EMAIL_ADDRESS', 'maria.lopez@qf.nl'],
      ]),
    );
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it('does not flag public historical figures', async () => {
    expect(await detector.detect('What did Isaac Newton and Marie Curie discover?')).toEqual([]);
  });

  it('redacts a mixed message and restores it', async () => {
    const text = 'Hi, I am John Carter, call me on +1 646-555-0199.';
    const spans = await detector.detect(text);
    const { text: redacted, mapping } = detector.redact(text, spans);
    expect(redacted).toContain('<PHONE_NUMBER_1>');
    expect(redacted).not.toContain('646-555-0199');
    expect(detector.restore(redacted, mapping)).toBe(text);
  });
});
