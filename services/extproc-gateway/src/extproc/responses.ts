import { toOpenAIError, type ErrorCode, ERROR_CATALOGUE } from '@sr/shared';
import { headerMutation, type HeaderValueField } from './headers';
import type {
  CommonResponse,
  HeaderMutation,
  ImmediateResponse,
  ProcessingMode,
  ProcessingResponse,
} from './proto';

/** Builders for the ProcessingResponse messages the session sends. One place, so shapes stay right. */

export function continueRequestHeaders(modeOverride?: ProcessingMode): ProcessingResponse {
  const res: ProcessingResponse = { request_headers: { response: { status: 'CONTINUE' } } };
  if (modeOverride) res.mode_override = modeOverride;
  return res;
}

export function continueRequestBody(common: CommonResponse = { status: 'CONTINUE' }): ProcessingResponse {
  return { request_body: { response: common } };
}

export function continueResponseHeaders(
  mutation?: HeaderMutation,
  modeOverride?: ProcessingMode,
): ProcessingResponse {
  const common: CommonResponse = { status: 'CONTINUE' };
  if (mutation && (mutation.set_headers?.length || mutation.remove_headers?.length)) {
    common.header_mutation = mutation;
  }
  const res: ProcessingResponse = { response_headers: { response: common } };
  if (modeOverride) res.mode_override = modeOverride;
  return res;
}

export function continueResponseBody(common: CommonResponse = { status: 'CONTINUE' }): ProcessingResponse {
  return { response_body: { response: common } };
}

export function emptyTrailers(kind: 'request_trailers' | 'response_trailers'): ProcessingResponse {
  return { [kind]: {} };
}

export interface ImmediateInput {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
  /** Short reason for Envoy's access log (%RESPONSE_CODE_DETAILS%); never prompt text. */
  details: string;
}

/**
 * An immediate (local) reply. Envoy adds `content-type: text/plain` by default, so the caller's
 * content-type always goes in the header mutation.
 */
export function immediateResponse(input: ImmediateInput, field: HeaderValueField): ProcessingResponse {
  const body = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : Buffer.from(input.body);
  const immediate: ImmediateResponse = {
    status: { code: input.status },
    headers: headerMutation(input.headers, [], field),
    body,
    // Envoy's access log rejects spaces in response code details.
    details: input.details.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 128),
  };
  return { immediate_response: immediate };
}

/** An immediate reply in OpenAI's error shape, with the catalogue's status and type. */
export function immediateError(
  code: ErrorCode,
  message: string,
  extraHeaders: Record<string, string>,
  field: HeaderValueField,
): ProcessingResponse {
  return immediateResponse(
    {
      status: ERROR_CATALOGUE[code].status,
      headers: { 'content-type': 'application/json', ...extraHeaders },
      body: JSON.stringify(toOpenAIError(code, message)),
      details: `semantic_router_${code.toLowerCase()}`,
    },
    field,
  );
}
