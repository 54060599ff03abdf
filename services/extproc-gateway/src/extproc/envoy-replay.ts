/**
 * Test harness: a gRPC client that plays Envoy's side of the ext_proc conversation (the real
 * `@grpc/grpc-js` client, the same proto definitions), sending the ProcessingRequest messages
 * Envoy sends and reading the answers one by one. Used by the ExtProc tests and usable by
 * integration tests and benches against a running gateway.
 */
import {
  credentials,
  loadPackageDefinition,
  type ClientDuplexStream,
  type ServiceError,
  type StatusObject,
} from '@grpc/grpc-js';
import { loadExtProcDefinition, type ProcessingRequest, type ProcessingResponse } from './proto';

export type ProcessClient = {
  Process(): ClientDuplexStream<ProcessingRequest, ProcessingResponse>;
  close(): void;
};

/** A client for the ExtProc server at `port` on the loopback, or at `host:port`. */
export function extProcClient(target: number | string): ProcessClient {
  const pkg = loadPackageDefinition(loadExtProcDefinition()) as unknown as {
    envoy: {
      service: {
        ext_proc: { v3: { ExternalProcessor: new (addr: string, creds: unknown) => ProcessClient } };
      };
    };
  };
  const Ctor = pkg.envoy.service.ext_proc.v3.ExternalProcessor;
  const address = typeof target === 'number' ? `127.0.0.1:${target}` : target;
  return new Ctor(address, credentials.createInsecure());
}

/** One ext_proc stream as Envoy drives it. */
export class EnvoyStream {
  private readonly call: ClientDuplexStream<ProcessingRequest, ProcessingResponse>;
  private readonly inbox: ProcessingResponse[] = [];
  private waiter: (() => void) | undefined;
  private ended: { code: number; details: string } | undefined;
  /** Resolves with the final gRPC status (OK or an error code). */
  readonly status: Promise<{ code: number; details: string }>;

  constructor(client: ProcessClient) {
    this.call = client.Process();
    this.status = new Promise((resolve) => {
      this.call.on('status', (s: StatusObject) => {
        this.ended = { code: s.code, details: s.details };
        resolve(this.ended);
        this.waiter?.();
      });
    });
    this.call.on('data', (m: ProcessingResponse) => {
      this.inbox.push(m);
      this.waiter?.();
    });
    // Errors also arrive as 'status'; without a listener Node would throw on 'error'.
    this.call.on('error', (_err: ServiceError) => undefined);
  }

  send(message: ProcessingRequest): this {
    this.call.write(message);
    return this;
  }

  /** The next answer; rejects (instead of hanging) if the stream ends or nothing comes in time. */
  async next(timeoutMs = 10_000): Promise<ProcessingResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.inbox.shift();
      if (m) return m;
      if (this.ended)
        throw new Error(`stream ended (code ${this.ended.code}: ${this.ended.details}) with no answer`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no answer within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  /** Answers received but not read yet. */
  get pending(): number {
    return this.inbox.length;
  }

  halfClose(): void {
    this.call.end();
  }

  cancel(): void {
    this.call.cancel();
  }
}

// ---------- the messages Envoy sends ----------

type HeaderInput = Record<string, string>;

/** Header map as current Envoy sends it: lower-case keys, values in raw_value. */
export function headerMap(headers: HeaderInput, field: 'raw_value' | 'value' = 'raw_value') {
  return {
    headers: Object.entries(headers).map(([key, value]) =>
      field === 'raw_value' ? { key, raw_value: Buffer.from(value) } : { key, value },
    ),
  };
}

export function requestHeaders(
  headers: HeaderInput,
  options: { endOfStream?: boolean; field?: 'raw_value' | 'value' } = {},
): ProcessingRequest {
  return {
    request_headers: {
      headers: headerMap(headers, options.field),
      end_of_stream: options.endOfStream ?? false,
    },
  };
}

export function chatHeaders(extra: HeaderInput = {}): HeaderInput {
  return {
    ':method': 'POST',
    ':path': '/v1/chat/completions',
    ':authority': 'router.local',
    ':scheme': 'http',
    'content-type': 'application/json',
    'x-request-id': 'req-1',
    ...extra,
  };
}

export function requestBody(body: string | Buffer | object, endOfStream = true): ProcessingRequest {
  const bytes = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return { request_body: { body: bytes, end_of_stream: endOfStream } };
}

export function responseHeaders(headers: HeaderInput, endOfStream = false): ProcessingRequest {
  return { response_headers: { headers: headerMap(headers), end_of_stream: endOfStream } };
}

export function responseBody(body: string | Buffer, endOfStream: boolean): ProcessingRequest {
  return {
    response_body: { body: Buffer.isBuffer(body) ? body : Buffer.from(body), end_of_stream: endOfStream },
  };
}

// ---------- reading answers ----------

/** Header mutation as a plain record: name → value (raw_value or value). */
export function setHeaders(
  mutation:
    | { set_headers?: Array<{ header: { key: string; value?: string; raw_value?: Buffer | Uint8Array } }> }
    | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of mutation?.set_headers ?? []) {
    const raw =
      h.header.raw_value && h.header.raw_value.length > 0
        ? Buffer.from(h.header.raw_value).toString()
        : undefined;
    out[h.header.key] = raw ?? h.header.value ?? '';
  }
  return out;
}

export interface ImmediateView {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: unknown;
  details: string;
}

export function immediate(res: ProcessingResponse): ImmediateView {
  const imm = res.immediate_response;
  if (!imm) throw new Error(`expected immediate_response, got ${res.response ?? Object.keys(res).join(',')}`);
  const body = Buffer.from(imm.body ?? Buffer.alloc(0)).toString();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const code = imm.status.code as unknown;
  // Decoded with enums as strings: map Envoy's StatusCode names back to numbers.
  const status = typeof code === 'number' ? code : (STATUS_NAMES[String(code)] ?? NaN);
  return { status, headers: setHeaders(imm.headers), body, json, details: imm.details ?? '' };
}

const STATUS_NAMES: Record<string, number> = {
  OK: 200,
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  PayloadTooLarge: 413,
  InternalServerError: 500,
  BadGateway: 502,
  ServiceUnavailable: 503,
  GatewayTimeout: 504,
};
