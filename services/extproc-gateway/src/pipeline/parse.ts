import { ChatCompletionRequest, type ErrorCode } from '@sr/shared';

export type ParseResult =
  | { status: 'ok'; request: ChatCompletionRequest }
  | { status: 'error'; code: ErrorCode; message: string; param: string | null };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks a chat completion request body: size, UTF-8, JSON, shape. Each failure names what was
 * wrong (the field path for shape errors), never echoing the prompt.
 */
export function parseChatRequest(bytes: Uint8Array, maxBodyBytes: number): ParseResult {
  if (bytes.byteLength > maxBodyBytes)
    return {
      status: 'error',
      code: 'BODY_TOO_LARGE',
      message: `request body is ${bytes.byteLength} bytes, over the limit of ${maxBodyBytes}`,
      param: null,
    };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { status: 'error', code: 'INVALID_UTF8', message: 'request body is not valid UTF-8', param: null };
  }
  if (text.trim() === '')
    return { status: 'error', code: 'INVALID_JSON', message: 'request body is empty', param: null };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const detail = (err as Error).message.replace(/\s+/g, ' ').slice(0, 120);
    return {
      status: 'error',
      code: 'INVALID_JSON',
      message: `request body is not valid JSON: ${detail}`,
      param: null,
    };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return {
      status: 'error',
      code: 'BAD_REQUEST',
      message: 'request body must be a JSON object',
      param: null,
    };
  const parsed = ChatCompletionRequest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.');
    return {
      status: 'error',
      code: 'BAD_REQUEST',
      message: path ? `${path}: ${issue.message}` : issue.message,
      param: path || null,
    };
  }
  return { status: 'ok', request: parsed.data };
}
