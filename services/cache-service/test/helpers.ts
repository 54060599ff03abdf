import {
  cacheScope,
  createLogger,
  exactCacheKey,
  parseConfig,
  type CacheLookupRequest,
  type CacheStoreRequest,
  type RouterConfig,
} from '@sr/shared';
import { Writable } from 'node:stream';

/** A config with the given `cache:` section lines (YAML, indented two spaces). */
export function testConfig(cacheYaml = ''): RouterConfig {
  return parseConfig(
    `
defaultModel: a
models:
  - name: a
    endpoints: [{ url: http://127.0.0.1:9/v1 }]
cache:
${cacheYaml || '  enabled: true'}
`,
    'test.yaml',
    {},
  );
}

/** A logger that keeps its lines in memory (tests check that no prompt text is logged). */
export function memoryLogger(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ service: 'cache-test', level: 'debug', destination }), lines };
}

export interface Ask {
  tenant?: string;
  system?: string;
  query: string;
}

/** Keys the way the gateway computes them. */
export function keys({ tenant = 'tenant-a', system = 'be brief', query }: Ask) {
  const scope = cacheScope({
    tenant,
    model: 'auto',
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: query },
    ],
  });
  return { scope, exactKey: exactCacheKey(scope, query), tenant };
}

export function lookupReq(ask: Ask, extra: Partial<CacheLookupRequest> = {}): CacheLookupRequest {
  const { scope, exactKey } = keys(ask);
  return { scope, exactKey, query: ask.query, ...extra };
}

export function storeReq(
  ask: Ask,
  answer: string,
  extra: Partial<CacheStoreRequest> = {},
): CacheStoreRequest {
  const { scope, exactKey, tenant } = keys(ask);
  return {
    scope,
    exactKey,
    tenant,
    model: 'auto',
    query: ask.query,
    response: {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'a',
      choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
    },
    ...extra,
  };
}
