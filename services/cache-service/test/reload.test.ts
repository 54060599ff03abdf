import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cacheLookup,
  cacheStore,
  call,
  ConfigStore,
  createMetricsRegistry,
  InProcessBus,
  parseConfig,
} from '@sr/shared';
import { createCacheService } from '../src';
import { HashingTestEmbedder, NumbersTestVerifier } from '../src/testing';
import { lookupReq, memoryLogger, storeReq } from './helpers';

const yaml = (cache: string) => `
defaultModel: a
models:
  - name: a
    endpoints: [{ url: http://127.0.0.1:9/v1 }]
cache:
${cache}
`;

describe('cache service with a config store', () => {
  it('applies enabled and the default threshold on reload, and warns about restart-only keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr-cache-reload-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, yaml('  similarityThreshold: 0.99'));
    const initial = parseConfig(yaml('  similarityThreshold: 0.99'), file, {});
    const configStore = new ConfigStore({ file, initial, env: {} });
    const bus = new InProcessBus();
    const log = memoryLogger();
    const service = createCacheService({
      config: initial,
      configStore,
      bus,
      logger: log.logger,
      registry: createMetricsRegistry('reload-test').registry,
      embedder: new HashingTestEmbedder(64),
      verifier: new NumbersTestVerifier(),
    });
    const opts = { timeoutMs: 2000 };
    try {
      await service.start();
      await call(bus, cacheStore, storeReq({ query: 'is the museum open on sunday' }, 'yes'), opts);
      const near = lookupReq({ query: 'is the city museum open sunday' });
      expect(await call(bus, cacheLookup, near, opts)).toMatchObject({ reason: 'below-threshold' });

      writeFileSync(file, yaml('  similarityThreshold: 0.5\n  maxEntries: 5'));
      expect(await configStore.reload()).toMatchObject({ status: 'applied' });
      expect(await call(bus, cacheLookup, near, opts)).toMatchObject({ status: 'hit', kind: 'semantic' });
      expect(log.lines.join('')).toMatch(/need a restart.*maxEntries|maxEntries.*need a restart/);

      writeFileSync(file, yaml('  enabled: false'));
      await configStore.reload();
      expect(await call(bus, cacheLookup, near, opts)).toEqual({ status: 'miss', reason: 'disabled' });
    } finally {
      await service.shutdown();
      await bus.close();
      configStore.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
