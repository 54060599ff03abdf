import { PiiDetector } from '../src/pii';
import { PiiGuard } from '../src/pii-guard';

describe('PiiGuard (real pattern recognizers)', () => {
  let guard: PiiGuard;
  let batches: number[];

  beforeAll(async () => {
    batches = [];
    guard = new PiiGuard(
      await PiiDetector.create({ entityTypes: ['EMAIL_ADDRESS', 'PHONE_NUMBER', 'US_SSN', 'CREDIT_CARD'] }),
      {
        onBatch: (n) => batches.push(n),
      },
    );
  });
  afterAll(() => guard.close());

  it('numbers placeholders per type across the whole request; the same value keeps its placeholder', async () => {
    const result = await guard.check([
      { role: 'system', content: 'You are a support agent.' },
      { role: 'user', content: 'I am bob@example.com, SSN 536-22-1234.' },
      { role: 'assistant', content: 'Thanks.' },
      {
        role: 'user',
        content: [{ type: 'text', text: 'Also alice@example.org and again bob@example.com.' }],
      },
    ]);
    expect(result.types).toEqual(['EMAIL_ADDRESS', 'US_SSN']);
    expect(result.redacted).toEqual([
      { messageIndex: 1, content: 'I am <EMAIL_ADDRESS_1>, SSN <US_SSN_1>.' },
      { messageIndex: 3, content: 'Also <EMAIL_ADDRESS_2> and again <EMAIL_ADDRESS_1>.' },
    ]);
    expect(result.placeholders).toEqual({
      '<EMAIL_ADDRESS_1>': 'bob@example.com',
      '<US_SSN_1>': '536-22-1234',
      '<EMAIL_ADDRESS_2>': 'alice@example.org',
    });
    expect(result.spans.map((s) => [s.type, s.messageIndex])).toEqual([
      ['EMAIL_ADDRESS', 1],
      ['US_SSN', 1],
      ['EMAIL_ADDRESS', 3],
      ['EMAIL_ADDRESS', 3],
    ]);
  });

  it('reports nothing for text without PII (Luhn-failing order numbers, versions)', async () => {
    const result = await guard.check([
      { role: 'user', content: 'Order 4111 1111 1111 1112 of release 2.4.1 shipped.' },
    ]);
    expect(result).toEqual({ spans: [], types: [], redacted: [], placeholders: {} });
  });

  it('batches the messages of concurrent requests into shared detector runs', async () => {
    batches.length = 0;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        guard.check([{ role: 'user', content: `mail me at u${i}@example.com` }]),
      ),
    );
    expect(batches.reduce((a, b) => a + b, 0)).toBe(10);
    expect(batches.length).toBeLessThan(10);
  });
});
