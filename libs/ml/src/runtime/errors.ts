/**
 * Stable codes of the ML layer. ML_MODEL_MISSING and ML_MODEL_CORRUPT are also in the shared
 * error catalogue; the others are specific to loading and running models.
 */
export type MlErrorCode =
  | 'ML_MODEL_MISSING'
  | 'ML_MODEL_CORRUPT'
  | 'ML_MANIFEST_INVALID'
  | 'ML_PROVIDER_UNAVAILABLE'
  | 'ML_BAD_INPUT'
  | 'ML_INFERENCE_FAILED';

/** Error thrown by the ML layer; check `code`, not `instanceof` (jest realms differ). */
export class MlError extends Error {
  override readonly name = 'MlError';
  constructor(
    readonly code: MlErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.details = options.details;
  }
  readonly details: Record<string, unknown> | undefined;
}

export function isMlError(err: unknown): err is MlError {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { name?: unknown }).name === 'MlError' &&
    typeof (err as { code?: unknown }).code === 'string'
  );
}
