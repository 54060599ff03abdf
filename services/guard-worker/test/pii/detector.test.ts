import { PiiDetector } from '../../src/pii';

describe('PiiDetector (patterns only)', () => {
  let detector: PiiDetector;
  beforeAll(async () => {
    detector = await PiiDetector.create({
      entityTypes: [
        'EMAIL_ADDRESS',
        'PHONE_NUMBER',
        'CREDIT_CARD',
        'IBAN_CODE',
        'US_SSN',
        'IP_ADDRESS',
        'URL',
        'DATE_TIME',
      ],
      includeText: true,
    });
  });

  it('finds each pattern type with offsets and scores', async () => {
    const text =
      'Email a.b@corp.com, call +44 20 7946 0958, card 4111 1111 1111 1111, SSN 536-22-5478, IBAN GB82WEST12345698765432, host 10.1.2.3';
    const spans = await detector.detect(text);
    expect(spans.map((s) => [s.type, s.text])).toEqual([
      ['EMAIL_ADDRESS', 'a.b@corp.com'],
      ['PHONE_NUMBER', '+44 20 7946 0958'],
      ['CREDIT_CARD', '4111 1111 1111 1111'],
      ['US_SSN', '536-22-5478'],
      ['IBAN_CODE', 'GB82WEST12345698765432'],
      ['IP_ADDRESS', '10.1.2.3'],
    ]);
    for (const s of spans) {
      expect(text.slice(s.start, s.end)).toBe(s.text);
      expect(s.score).toBeGreaterThanOrEqual(0.5);
      expect(s.score).toBeLessThanOrEqual(1);
    }
  });

  it('prefers a checksum-validated type over a phone reading of the same digits', async () => {
    const spans = await detector.detect(
      'my card number 630427373398 was lost; social security number 523 45 6781',
    );
    expect(spans.map((s) => [s.type, s.text])).toEqual([
      ['CREDIT_CARD', '630427373398'],
      ['US_SSN', '523 45 6781'],
    ]);
  });

  it('reads a 00 international prefix and keeps the original offsets', async () => {
    const text = 'Fax: 0044 20 7946 0958';
    const [s] = await detector.detect(text);
    expect(s).toMatchObject({ type: 'PHONE_NUMBER', text: '0044 20 7946 0958' });
  });

  it('stays quiet on numbers that are ids, versions or measurements', async () => {
    const texts = [
      'Order numbers 100234, 100235 and 100236 were merged into 100237.',
      'Order 4111111111111112 failed Luhn on purpose.',
      'ISBN 978-3-16-148410-0, ISSN 0317-8471, version 121.0.6167.85',
      'Is 982451653 prime? Latitude 48.8584, longitude 2.2945, ZIP 75534-030.',
    ];
    const found = await detector.detectBatch(texts);
    expect(found).toEqual([[], [], [], []]);
  });

  it('honours per-type thresholds and entity type filters', async () => {
    const strict = await PiiDetector.create({
      entityTypes: ['PHONE_NUMBER'],
      thresholds: { PHONE_NUMBER: 0.99 },
    });
    expect(await strict.detect('call 905-674-3793')).toEqual([]);
    const emailOnly = await PiiDetector.create({ entityTypes: ['EMAIL_ADDRESS'] });
    expect((await emailOnly.detect('x@y.com 905-674-3793')).map((s) => s.type)).toEqual(['EMAIL_ADDRESS']);
  });

  it('rejects bad options with clear messages', async () => {
    await expect(PiiDetector.create({ entityTypes: ['PASSPORT'] })).rejects.toThrow(
      /unknown entity type\(s\) PASSPORT/,
    );
    await expect(PiiDetector.create({ regions: ['USA'] })).rejects.toThrow(/phone region "USA"/);
    await expect(PiiDetector.create({ thresholds: { PERSON: 2 } })).rejects.toThrow(/threshold PERSON=2/);
    await expect(PiiDetector.create({ modelDir: '/nonexistent/pii' })).rejects.toMatchObject({
      code: 'ML_MODEL_MISSING',
    });
    await expect(detector.detect(42 as unknown as string)).rejects.toThrow(/expected a string/);
  });

  it('redacts detected spans and restores them', async () => {
    const text = 'Write to a.b@corp.com and call 905-674-3793.';
    const spans = await detector.detect(text);
    const { text: redacted, mapping } = detector.redact(text, spans);
    expect(redacted).toBe('Write to <EMAIL_ADDRESS_1> and call <PHONE_NUMBER_1>.');
    expect(detector.restore(redacted, mapping)).toBe(text);
  });
});
