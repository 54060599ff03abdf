import { join } from 'node:path';
import { Registry } from 'prom-client';
import { call, createLogger, guardCheck, parseConfig, type ChatMessage } from '@sr/shared';
import { InProcessBus } from '@sr/shared/testing';
import { createGuardWorker, loadJailbreakModel, type GuardWorker } from '../src';
import { ATTACKS, BENIGN, BENIGN_TAILS, longBenignDocument, obfuscations } from './texts';

const ROOT = join(__dirname, '..', '..', '..');
const CONFIG = parseConfig(
  `
defaultModel: m
models: [{ name: m, endpoints: [{ url: http://127.0.0.1:9/v1 }] }]
guards:
  jailbreak: { enabled: true }
  pii: { enabled: true }
`,
  'test',
  {},
);

describe('guard worker over the in-process bus, real models', () => {
  const bus = new InProcessBus();
  const registry = new Registry();
  let worker: GuardWorker;
  const check = (messages: ChatMessage[], extra: { jailbreakThreshold?: number } = {}) =>
    call(
      bus,
      guardCheck,
      { messages, checks: { jailbreak: true, pii: true }, ...extra },
      { timeoutMs: 10_000 },
    );
  const user = (content: string): ChatMessage[] => [{ role: 'user', content }];

  beforeAll(async () => {
    worker = createGuardWorker({
      config: CONFIG,
      bus,
      registry,
      baseDir: ROOT,
      logger: createLogger({ service: 'guard-test', level: 'silent' }),
    });
    await worker.start();
  });
  afterAll(async () => {
    await worker.shutdown();
    await bus.close();
  });

  it('uses the model manifest recommended threshold by default', () => {
    expect(worker.engine?.jailbreakThreshold).toBeGreaterThan(0);
    expect(worker.engine?.jailbreakThreshold).toBeLessThan(1);
  });

  /** Attacks the model catches as sent: the robustness targets are about keeping these caught. */
  let caught: string[] = [];

  it('catches the hand-written attacks (at least 7 of 8) as sent', async () => {
    const replies = await Promise.all(ATTACKS.map((a) => check(user(a))));
    caught = ATTACKS.filter((_, i) => replies[i]!.jailbreak?.status === 'detected');
    for (const r of replies)
      if (r.jailbreak?.status === 'detected')
        expect(r.jailbreak).toMatchObject({ messageIndex: 0, via: 'plain' });
    expect(caught.length).toBeGreaterThanOrEqual(7);
  });

  it('allows the benign prompts: every one it flags the model alone flags too (no pipeline false positives)', async () => {
    const replies = await Promise.all(BENIGN.map((t) => check(user(t))));
    const flagged = BENIGN.filter((_, i) => replies[i]!.jailbreak?.status !== 'clean');
    const model = await loadJailbreakModel(join(ROOT, CONFIG.guards.jailbreak.modelDir));
    try {
      const raw = await model.score(flagged);
      const threshold = worker.engine!.jailbreakThreshold!;
      expect(flagged.filter((_, i) => raw[i]! < threshold)).toEqual([]);
    } finally {
      await model.close();
    }
    // The shipped model alone flags "Please translate \"good morning…\" into Spanish and French"
    // and "What is the difference between a system prompt and a user prompt…" (0.96 each).
    expect(flagged.length).toBeLessThanOrEqual(2);
  });

  it('keeps >= 95% of caught attacks caught with one to three benign sentences appended', async () => {
    const cases = caught.flatMap((attack) =>
      BENIGN_TAILS.map((_, n) => [attack, ...BENIGN_TAILS.slice(0, n + 1)].join(' ')),
    );
    const replies = await Promise.all(cases.map((t) => check(user(t))));
    const missed = cases.filter((_, i) => replies[i]!.jailbreak?.status !== 'detected');
    expect(cases.length).toBeGreaterThan(0);
    expect(missed.length / cases.length).toBeLessThanOrEqual(0.05);
  });

  it('keeps caught attacks caught under base64, leetspeak, zero-width and spaced-letter obfuscation', async () => {
    const missed: string[] = [];
    for (const attack of caught) {
      for (const [kind, text] of Object.entries(obfuscations(attack))) {
        const reply = await check(user(text));
        if (reply.jailbreak?.status !== 'detected') missed.push(`${kind}: ${attack}`);
      }
    }
    expect(missed).toEqual([]);
    const b64 = await check(user(obfuscations(caught[0]!)['base64']!));
    expect(b64.jailbreak).toMatchObject({ status: 'detected', via: expect.stringMatching(/^base64/) });
    const zw = await check(user(obfuscations(caught[0]!)['zero-width']!));
    expect(zw.jailbreak).toMatchObject({ status: 'detected' });
  });

  it('catches an injection after 2,000 benign words in a pasted document, and not the document alone', async () => {
    const doc = longBenignDocument(2000);
    const clean = await check([
      { role: 'system', content: 'You summarise documents.' },
      { role: 'user', content: `Summarise this report:\n\n${doc}` },
    ]);
    expect(clean.jailbreak?.status).toBe('clean');
    const injected = await check([
      { role: 'system', content: 'You summarise documents.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Summarise this report:' },
          { type: 'text', text: `${doc} ${ATTACKS[5]} ${doc.slice(0, 400)}` },
        ],
      },
    ]);
    expect(injected.jailbreak).toMatchObject({ status: 'detected', messageIndex: 1 });
  });

  it('scans tool results (indirect injection)', async () => {
    const reply = await check([
      { role: 'user', content: 'What does the web page say?' },
      { role: 'assistant', content: null, tool_calls: [] },
      { role: 'tool', tool_call_id: 'c1', content: `Welcome to our shop! ${caught[0]}` },
    ]);
    expect(reply.jailbreak).toMatchObject({ status: 'detected', messageIndex: 2 });
  });

  it('honours the per-request threshold and skips checks not asked for', async () => {
    const strict = await check(user(BENIGN[0]!), { jailbreakThreshold: 0 });
    expect(strict.jailbreak).toMatchObject({ status: 'detected', threshold: 0 });
    const none = await call(
      bus,
      guardCheck,
      { messages: user(ATTACKS[0]!), checks: { jailbreak: false, pii: false } },
      { timeoutMs: 5000 },
    );
    expect(none).toMatchObject({ jailbreak: null, pii: null });
  });

  it('finds PII, redacts with typed placeholders shared across messages', async () => {
    const reply = await check([
      { role: 'user', content: 'Email jane.doe@example.com or call +1 415 555 0132.' },
      { role: 'assistant', content: 'Noted.' },
      { role: 'user', content: 'Again: jane.doe@example.com, card 4111 1111 1111 1111.' },
    ]);
    expect(reply.pii?.types).toEqual(
      expect.arrayContaining(['EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD']),
    );
    const redacted = Object.fromEntries(reply.pii!.redacted.map((r) => [r.messageIndex, r.content]));
    expect(redacted[0]).toBe('Email <EMAIL_ADDRESS_1> or call <PHONE_NUMBER_1>.');
    expect(redacted[2]).toBe('Again: <EMAIL_ADDRESS_1>, card <CREDIT_CARD_1>.');
    expect(reply.pii!.placeholders).toMatchObject({
      '<EMAIL_ADDRESS_1>': 'jane.doe@example.com',
      '<CREDIT_CARD_1>': '4111 1111 1111 1111',
    });
    const email = reply.pii!.spans.find((s) => s.type === 'EMAIL_ADDRESS' && s.messageIndex === 0)!;
    expect('Email jane.doe@example.com or call +1 415 555 0132.'.slice(email.start, email.end)).toBe(
      'jane.doe@example.com',
    );
    const clean = await check(user('Order 1234-5678 ships on version 2.3.1 of the app.'));
    expect(clean.pii?.spans).toEqual([]);
  });

  it('rejects a malformed request with CONTRACT_VIOLATION (not silence)', async () => {
    const reply = await bus.request(
      'sr.v1.guard.check',
      new TextEncoder().encode(JSON.stringify({ messages: [], checks: { jailbreak: true } })),
      { timeoutMs: 5000 },
    );
    expect(reply.headers['sr-error-code']).toBe('CONTRACT_VIOLATION');
  });

  it('micro-batches concurrent requests into shared model runs and exports metrics', async () => {
    await Promise.all(BENIGN.map((t) => check(user(t))));
    const text = await registry.metrics();
    const sum = Number(/sr_guard_batch_size_sum\{model="jailbreak"[^}]*\} (\S+)/.exec(text)?.[1]);
    const count = Number(/sr_guard_batch_size_count\{model="jailbreak"[^}]*\} (\S+)/.exec(text)?.[1]);
    expect(sum / count).toBeGreaterThan(1);
    expect(text).toMatch(/sr_guard_detections_total\{type="jailbreak",via="base64[^"]*"\} \d+/);
    expect(text).toMatch(/sr_guard_pii_entities_total\{entity="EMAIL_ADDRESS"\} \d+/);
    expect(text).toMatch(/sr_guard_check_duration_seconds_count\{check="total"\} \d+/);
    expect(text).not.toMatch(/jane\.doe/);
  });
});
