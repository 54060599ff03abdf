import type { HeaderMap, HeaderMutation, HeaderValueOption } from './proto';

/** Which HeaderValue field carries values we send (see docs/extproc.md § Header values). */
export type HeaderValueField = 'raw_value' | 'value';

/**
 * Envoy's header map as a plain record of lower-case names. Envoy puts values in `raw_value`
 * (bytes) when `envoy.reloadable_features.send_header_raw_value` is on and in `value` otherwise;
 * we accept either. Bytes decode as latin1 and repeated names become arrays, as in Node's HTTP
 * server, so the pipeline sees the same strings from both transports.
 */
export function headerMapToRecord(map: HeaderMap | null | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const h of map?.headers ?? []) {
    if (!h.key) continue;
    const key = h.key.toLowerCase();
    const value =
      h.raw_value && h.raw_value.length > 0 ? Buffer.from(h.raw_value).toString('latin1') : (h.value ?? '');
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** First value of a header, or undefined. */
export function firstHeader(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * A mutation that overwrites each header in `set` (never appends: a client must not be able to
 * smuggle a second `x-selected-model`) and removes each name in `remove`. Values go out as
 * UTF-8 (what the proto `string` field would carry).
 */
export function headerMutation(
  set: Record<string, string>,
  remove: readonly string[],
  field: HeaderValueField,
): HeaderMutation {
  const setHeaders: HeaderValueOption[] = Object.entries(set).map(([key, value]) => ({
    header: field === 'raw_value' ? { key, raw_value: Buffer.from(value, 'utf8') } : { key, value },
    append_action: 'OVERWRITE_IF_EXISTS_OR_ADD',
  }));
  const mutation: HeaderMutation = {};
  if (setHeaders.length > 0) mutation.set_headers = setHeaders;
  if (remove.length > 0) mutation.remove_headers = [...remove];
  return mutation;
}
