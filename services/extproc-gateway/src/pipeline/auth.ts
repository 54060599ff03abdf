import { createHash, timingSafeEqual } from 'node:crypto';
import type { RouterConfig } from '@sr/shared';
import type { IncomingHeaders } from './types';

export type AuthResult =
  | {
      status: 'ok';
      tenant: string;
      /** Bounded label for metrics: a configured tenant or `anonymous`/`other`. */ label: string;
    }
  | { status: 'denied'; message: string };

export function headerValue(headers: IncomingHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The API key a client presented: `Authorization: Bearer …` or `x-api-key`. */
export function presentedKey(headers: IncomingHeaders): string | undefined {
  const auth = headerValue(headers, 'authorization');
  const bearer = auth?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  return bearer || headerValue(headers, 'x-api-key')?.trim() || undefined;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * Resolves tenants from API keys. Keys come from config as an environment variable name (the
 * key is read once and kept only as its SHA-256) or as a SHA-256 digest; comparisons are
 * constant-time on digests.
 */
export class Authenticator {
  private readonly keys: Array<{ digest: Buffer; tenant: string }>;
  private readonly tenants: Set<string>;

  constructor(
    private readonly auth: RouterConfig['auth'],
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.keys = [];
    for (const k of auth.apiKeys) {
      if (k.sha256) this.keys.push({ digest: Buffer.from(k.sha256, 'hex'), tenant: k.tenant });
      const fromEnv = k.keyEnv ? env[k.keyEnv] : undefined;
      if (fromEnv) this.keys.push({ digest: sha256(fromEnv), tenant: k.tenant });
    }
    this.tenants = new Set(auth.apiKeys.map((k) => k.tenant));
  }

  authenticate(headers: IncomingHeaders): AuthResult {
    const key = presentedKey(headers);
    if (key) {
      const digest = sha256(key);
      const match = this.keys.find((k) => timingSafeEqual(k.digest, digest));
      if (match) return { status: 'ok', tenant: match.tenant, label: match.tenant };
      if (this.auth.required) return { status: 'denied', message: 'the API key is not valid' };
    } else if (this.auth.required) {
      return { status: 'denied', message: 'an API key is required (Authorization: Bearer <key>)' };
    }
    // Without a recognised key: an `x-tenant-id` still scopes the cache (auth not required).
    const claimed = headerValue(headers, 'x-tenant-id')?.trim();
    if (claimed)
      return {
        status: 'ok',
        tenant: `claimed:${claimed}`,
        label: this.tenants.has(claimed) ? claimed : 'other',
      };
    return { status: 'ok', tenant: 'anonymous', label: 'anonymous' };
  }
}
