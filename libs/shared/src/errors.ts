/**
 * The error catalogue. Every error the router reports carries one of these stable codes; the
 * code travels across the bus in a header and is rebuilt on the other side, and HTTP answers use
 * the catalogue's status and OpenAI error type. `docs/errors.md` documents each code (a test
 * checks the two agree).
 */
export const ERROR_CATALOGUE = {
  CONFIG_INVALID: { status: 500, type: 'server_error', summary: 'The configuration file failed validation.' },
  CONFIG_NOT_FOUND: {
    status: 500,
    type: 'server_error',
    summary: 'The configuration file could not be read.',
  },
  BUS_TIMEOUT: {
    status: 504,
    type: 'server_error',
    summary: 'A bus request got no reply within its timeout.',
  },
  BUS_NO_RESPONDERS: {
    status: 503,
    type: 'server_error',
    summary: 'No worker is subscribed to the subject.',
  },
  BUS_CLOSED: { status: 503, type: 'server_error', summary: 'The bus connection is closed or draining.' },
  BUS_UNAVAILABLE: { status: 503, type: 'server_error', summary: 'The bus could not be reached.' },
  BUS_PAYLOAD_TOO_LARGE: {
    status: 413,
    type: 'invalid_request_error',
    summary: 'The request is larger than the bus carries (NATS max_payload).',
  },
  CONTRACT_VIOLATION: {
    status: 502,
    type: 'server_error',
    summary: 'A bus message did not match its schema.',
  },
  HANDLER_FAILED: { status: 500, type: 'server_error', summary: 'A worker failed while handling a request.' },
  BAD_REQUEST: { status: 400, type: 'invalid_request_error', summary: 'The request is malformed.' },
  INVALID_JSON: {
    status: 400,
    type: 'invalid_request_error',
    summary: 'The request body is not valid JSON.',
  },
  INVALID_UTF8: {
    status: 400,
    type: 'invalid_request_error',
    summary: 'The request body is not valid UTF-8.',
  },
  BODY_TOO_LARGE: {
    status: 413,
    type: 'invalid_request_error',
    summary: 'The request body exceeds the configured limit.',
  },
  MODEL_NOT_FOUND: {
    status: 404,
    type: 'invalid_request_error',
    summary: 'The requested model is not configured.',
  },
  UNAUTHORIZED: { status: 401, type: 'authentication_error', summary: 'A valid API key is required.' },
  NOT_FOUND: { status: 404, type: 'invalid_request_error', summary: 'Unknown path.' },
  METHOD_NOT_ALLOWED: {
    status: 405,
    type: 'invalid_request_error',
    summary: 'Method not allowed on this path.',
  },
  JAILBREAK_DETECTED: {
    status: 403,
    type: 'invalid_request_error',
    summary: 'The prompt was classified as a jailbreak or prompt injection.',
  },
  PII_POLICY_VIOLATION: {
    status: 403,
    type: 'invalid_request_error',
    summary: 'The prompt contains PII that no eligible model may receive.',
  },
  GUARD_UNAVAILABLE: {
    status: 503,
    type: 'server_error',
    summary: 'The guard did not answer and the failure policy is closed.',
  },
  UPSTREAM_UNAVAILABLE: {
    status: 502,
    type: 'server_error',
    summary: 'No upstream endpoint answered successfully.',
  },
  UPSTREAM_TIMEOUT: {
    status: 504,
    type: 'server_error',
    summary: 'The upstream model did not answer in time.',
  },
  ML_MODEL_MISSING: { status: 500, type: 'server_error', summary: 'A model file is missing.' },
  ML_MODEL_CORRUPT: { status: 500, type: 'server_error', summary: 'A model file could not be loaded.' },
  INTERNAL: { status: 500, type: 'server_error', summary: 'An unexpected internal error.' },
} as const satisfies Record<string, { status: number; type: string; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);
}

/** The router's error: a message, a stable code, optional details and cause. */
export class SrError extends Error {
  override readonly name = 'SrError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }
}

/** Reads the code of any thrown value; unknown errors are INTERNAL. Uses the code, not instanceof (jest realms). */
export function errorCodeOf(err: unknown): ErrorCode {
  const code = (err as { code?: unknown } | null)?.code;
  return isErrorCode(code) ? code : 'INTERNAL';
}

/** OpenAI's error body shape, with our code. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string; param: string | null };
}

export function toOpenAIError(
  code: ErrorCode,
  message: string,
  param: string | null = null,
): OpenAIErrorBody {
  return { error: { message, type: ERROR_CATALOGUE[code].type, code: code.toLowerCase(), param } };
}
