import { randomUUID } from 'node:crypto';
import { headerValue } from './auth';
import type { IncomingHeaders } from './types';

/** Response and upstream header names the gateway sets. */
export const GATEWAY_HEADERS = {
  requestId: 'x-request-id',
  selectedModel: 'x-selected-model',
  destination: 'x-gateway-destination-endpoint',
  category: 'x-semantic-router-category',
  reasoning: 'x-semantic-router-reasoning',
  cache: 'x-semantic-router-cache',
  cacheSimilarity: 'x-semantic-router-cache-similarity',
  blocked: 'x-semantic-router-blocked',
  jailbreak: 'x-semantic-router-jailbreak',
  debug: 'x-semantic-router-debug',
  decision: 'x-semantic-router-decision',
} as const;

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's `x-request-id` when it is a sane token, else a new UUID. */
export function requestIdFrom(headers: IncomingHeaders): string {
  const given = headerValue(headers, GATEWAY_HEADERS.requestId)?.trim();
  return given && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

export function wantsDebug(headers: IncomingHeaders): boolean {
  return headerValue(headers, GATEWAY_HEADERS.debug)?.trim().toLowerCase() === 'true';
}

/** `cache-control` directives that keep a request out of the cache. */
export function cacheControl(headers: IncomingHeaders): { noStore: boolean; noCache: boolean } {
  const value = (headerValue(headers, 'cache-control') ?? '').toLowerCase();
  const directives = new Set(value.split(',').map((d) => d.trim()));
  return { noStore: directives.has('no-store'), noCache: directives.has('no-cache') };
}

/** JSON safe for a header value: ASCII only, one line. */
export function headerJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A header-safe token from config text (category names may hold spaces or non-ASCII). */
export function headerToken(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}
