import { createHash } from 'node:crypto';
import OpenAI from 'openai';
import { startEnv } from './env';

const ask = (content: string) => ({ model: 'auto', messages: [{ role: 'user' as const, content }] });
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

test('the cache never crosses tenants', async () => {
  const env = await startEnv({
    extra: `auth: { apiKeys: [{ keyEnv: KEY_A, tenant: team-a }, { sha256: "${sha('sk-b')}", tenant: team-b }] }`,
    env: { KEY_A: 'sk-a' },
  });
  const client = (key: string) => new OpenAI({ baseURL: `${env.baseUrl}/v1`, apiKey: key, maxRetries: 0 });
  try {
    await client('sk-a').chat.completions.create(ask('what is a derivative'));
    await env.gateway.idle();
    expect(env.doubles.stores).toHaveLength(1);
    const again = await client('sk-a').chat.completions.create(ask('what is a derivative')).withResponse();
    expect(again.response.headers.get('x-semantic-router-cache')).toBe('hit');
    const other = await client('sk-b').chat.completions.create(ask('what is a derivative')).withResponse();
    expect(other.response.headers.get('x-semantic-router-cache')).toBe('miss');
    // A claimed x-tenant-id never shares a scope with a key's tenant of the same name.
    const claimed = await client('unknown-key')
      .chat.completions.create(ask('what is a derivative'), { headers: { 'x-tenant-id': 'team-a' } })
      .withResponse();
    expect(claimed.response.headers.get('x-semantic-router-cache')).toBe('miss');
    expect(env.doubles.stores.map((s) => s.tenant)).toEqual(['team-a', 'team-b', 'claimed:team-a']);
  } finally {
    await env.close();
  }
});

test('apiKeyEnv becomes the upstream Authorization header, never echoed to the client', async () => {
  const env = await startEnv({
    models: ({ general }) => `  - name: keyed
    endpoints: [{ url: "${general}" }]
    apiKeyEnv: UPSTREAM_KEY`,
    env: { UPSTREAM_KEY: 'sk-upstream-secret' },
  });
  try {
    const { response } = await env.client.chat.completions
      .create({ model: 'keyed', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(env.general.requests[0]!.headers.authorization).toBe('Bearer sk-upstream-secret');
    expect(env.general.requests[0]!.body.model).toBe('keyed');
    expect([...response.headers.values()].join(' ')).not.toContain('sk-upstream-secret');
  } finally {
    await env.close();
  }
});
