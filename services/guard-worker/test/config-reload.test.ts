import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { call, ConfigStore, createLogger, guardCheck, parseConfig } from '@sr/shared';
import { InProcessBus } from '@sr/shared/testing';
import { createGuardWorker } from '../src';

const ROOT = join(__dirname, '..', '..', '..');
const yaml = (threshold: string) => `
defaultModel: m
models: [{ name: m, endpoints: [{ url: http://127.0.0.1:9/v1 }] }]
guards: { jailbreak: { ${threshold} }, pii: { enabled: false } }
`;

it('applies a reloaded jailbreak threshold without a restart', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sr-guard-')), 'config.yaml');
  writeFileSync(file, yaml('enabled: true'));
  const store = new ConfigStore({ file, initial: parseConfig(readFileSync(file, 'utf8'), file, {}) });
  const bus = new InProcessBus();
  const worker = createGuardWorker({
    configStore: store,
    bus,
    registry: new Registry(),
    baseDir: ROOT,
    logger: createLogger({ service: 'guard-reload', level: 'silent' }),
  });
  await worker.start();
  try {
    const ask = () =>
      call(
        bus,
        guardCheck,
        {
          messages: [{ role: 'user', content: 'What is the capital of Australia?' }],
          checks: { jailbreak: true, pii: false },
        },
        { timeoutMs: 5000 },
      );
    const before = await ask();
    expect(before.jailbreak).toMatchObject({ status: 'clean', threshold: worker.engine!.jailbreakThreshold });
    writeFileSync(file, yaml('enabled: true, threshold: 0'));
    expect((await store.reload()).status).toBe('applied');
    expect((await ask()).jailbreak).toMatchObject({ status: 'detected', threshold: 0 });
  } finally {
    await worker.shutdown();
    await bus.close();
  }
});
