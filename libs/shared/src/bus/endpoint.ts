import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { z } from 'zod';
import { errorCodeOf, isErrorCode, SrError } from '../errors';
import { BUS_HEADERS, type Bus, type Headers, type Subscription } from './bus';

/** A versioned subject with the schemas of its request and reply. */
export interface Endpoint<Req extends z.ZodType, Rep extends z.ZodType> {
  readonly subject: string;
  readonly request: Req;
  readonly reply: Rep;
}

export function defineEndpoint<Req extends z.ZodType, Rep extends z.ZodType>(
  subject: string,
  request: Req,
  reply: Rep,
): Endpoint<Req, Rep> {
  return { subject, request, reply };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const tracer = trace.getTracer('semantic-router.bus');

function encode(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

function decode(data: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(decoder.decode(data));
  } catch (cause) {
    throw new SrError('CONTRACT_VIOLATION', `${what} is not valid JSON`, { cause });
  }
}

function check<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new SrError('CONTRACT_VIOLATION', `${what} does not match its schema: ${first}`);
  }
  return parsed.data;
}

export interface CallOptions {
  timeoutMs: number;
  requestId?: string;
  headers?: Headers;
}

/**
 * Sends a typed request and returns the validated reply. The request is validated before it
 * leaves; an error reply is rebuilt as an SrError with the code the worker sent. Trace context
 * travels in the headers, and the call is a CLIENT span.
 */
export async function call<Req extends z.ZodType, Rep extends z.ZodType>(
  bus: Bus,
  endpoint: Endpoint<Req, Rep>,
  request: z.input<Req>,
  options: CallOptions,
): Promise<z.output<Rep>> {
  const body = check(endpoint.request, request, `request to ${endpoint.subject}`);
  return tracer.startActiveSpan(
    `${endpoint.subject} request`,
    {
      kind: SpanKind.CLIENT,
      attributes: { 'messaging.system': bus.kind, 'messaging.destination.name': endpoint.subject },
    },
    async (span) => {
      try {
        const headers: Headers = { ...options.headers };
        if (options.requestId) headers[BUS_HEADERS.requestId] = options.requestId;
        propagation.inject(context.active(), headers);
        const reply = await bus.request(endpoint.subject, encode(body), {
          timeoutMs: options.timeoutMs,
          headers,
        });
        const code = reply.headers[BUS_HEADERS.errorCode];
        if (code) {
          throw new SrError(
            isErrorCode(code) ? code : 'HANDLER_FAILED',
            reply.headers[BUS_HEADERS.errorMessage] ?? `worker on ${endpoint.subject} failed`,
            { details: { subject: endpoint.subject } },
          );
        }
        return check(
          endpoint.reply,
          decode(reply.data, `reply from ${endpoint.subject}`),
          `reply from ${endpoint.subject}`,
        );
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorCodeOf(err) });
        span.setAttribute('error.type', errorCodeOf(err));
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

export interface HandlerContext {
  requestId: string | undefined;
  headers: Headers;
}

/**
 * Serves a typed endpoint: validates each request (a bad one gets a CONTRACT_VIOLATION error
 * reply, not silence), runs the handler in a SERVER span continuing the caller's trace, validates
 * the reply, and turns thrown errors into error replies carrying their code.
 */
export function serve<Req extends z.ZodType, Rep extends z.ZodType>(
  bus: Bus,
  endpoint: Endpoint<Req, Rep>,
  handler: (request: z.output<Req>, ctx: HandlerContext) => Promise<z.input<Rep>>,
  options: { queue?: string; onError?: (err: unknown) => void } = {},
): Subscription {
  return bus.subscribe(
    endpoint.subject,
    async (msg) => {
      const parent = propagation.extract(context.active(), msg.headers);
      return context.with(parent, () =>
        tracer.startActiveSpan(
          `${endpoint.subject} process`,
          {
            kind: SpanKind.SERVER,
            attributes: { 'messaging.system': bus.kind, 'messaging.destination.name': endpoint.subject },
          },
          async (span) => {
            try {
              const request = check(
                endpoint.request,
                decode(msg.data, `request on ${endpoint.subject}`),
                `request on ${endpoint.subject}`,
              );
              const result = await handler(request, {
                requestId: msg.headers[BUS_HEADERS.requestId],
                headers: msg.headers,
              });
              const reply = check(endpoint.reply, result, `reply on ${endpoint.subject}`);
              return { data: encode(reply) };
            } catch (err) {
              const code = errorCodeOf(err);
              span.setStatus({ code: SpanStatusCode.ERROR, message: code });
              options.onError?.(err);
              return {
                data: encode({ error: code }),
                headers: {
                  [BUS_HEADERS.errorCode]: code === 'INTERNAL' ? 'HANDLER_FAILED' : code,
                  // Header values are single-line; messages never include prompt text.
                  [BUS_HEADERS.errorMessage]: String((err as Error)?.message ?? err)
                    .replace(/[\r\n]+/g, ' ')
                    .slice(0, 500),
                },
              };
            } finally {
              span.end();
            }
          },
        ),
      );
    },
    { queue: options.queue },
  );
}
