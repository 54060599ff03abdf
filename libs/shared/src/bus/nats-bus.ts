import { readFileSync } from 'node:fs';
import {
  connect,
  credsAuthenticator,
  ErrorCode,
  headers as natsHeaders,
  type ConnectionOptions,
  type MsgHdrs,
  type NatsConnection,
  type NatsError,
} from 'nats';
import { SrError } from '../errors';
import {
  BUS_HEADERS,
  type Bus,
  type BusMessage,
  type Handler,
  type Headers,
  type RequestOptions,
  type SubscribeOptions,
  type Subscription,
} from './bus';

export interface NatsBusOptions {
  /** Comma-separated server URLs. */
  url: string;
  name?: string;
  user?: string;
  pass?: string;
  token?: string;
  credsFile?: string;
  /** Called on connection status changes (reconnecting, reconnect, disconnect, error). */
  onStatus?: (event: { type: string; data?: unknown }) => void;
}

function toNatsHeaders(h: Headers | undefined): MsgHdrs | undefined {
  if (!h || Object.keys(h).length === 0) return undefined;
  const out = natsHeaders();
  for (const [k, v] of Object.entries(h)) out.set(k, v);
  return out;
}

function fromNatsHeaders(h: MsgHdrs | undefined): Headers {
  const out: Headers = {};
  if (!h) return out;
  for (const [k, values] of h) {
    if (values[0] !== undefined) out[k] = values[0];
  }
  return out;
}

function mapNatsError(err: unknown, subject: string, timeoutMs?: number): SrError {
  const code = (err as NatsError | undefined)?.code;
  const details = { subject };
  switch (code) {
    case ErrorCode.NoResponders:
      return new SrError('BUS_NO_RESPONDERS', `no responders for ${subject}`, { cause: err, details });
    case ErrorCode.Timeout:
      return new SrError('BUS_TIMEOUT', `no reply on ${subject} within ${timeoutMs} ms`, {
        cause: err,
        details,
      });
    case ErrorCode.MaxPayloadExceeded:
      return payloadTooLarge(subject, undefined, undefined, err);
    case ErrorCode.ConnectionClosed:
    case ErrorCode.ConnectionDraining:
      return new SrError('BUS_CLOSED', `NATS connection closed (${subject})`, { cause: err, details });
    default:
      return new SrError('BUS_UNAVAILABLE', `NATS request on ${subject} failed: ${(err as Error)?.message}`, {
        cause: err,
        details,
      });
  }
}

/**
 * A message over the server's max_payload is refused before it is sent: the caller learns at once
 * (no timeout) that the request is too large for the bus, with both sizes and the remedy.
 */
function payloadTooLarge(subject: string, bytes?: number, limit?: number, cause?: unknown): SrError {
  const sizes = bytes !== undefined && limit !== undefined ? ` (${bytes} bytes, limit ${limit})` : '';
  return new SrError(
    'BUS_PAYLOAD_TOO_LARGE',
    `the message for ${subject} is larger than the NATS server accepts${sizes}; ` +
      `raise max_payload in nats-server.conf or lower limits.maxBodyBytes`,
    { cause, details: { subject, ...(bytes !== undefined ? { bytes, limit } : {}) } },
  );
}

/** The bus over NATS core request-reply; reconnects forever, queue groups for replicas. */
export class NatsBus implements Bus {
  readonly kind = 'nats' as const;
  private readonly subs = new Set<Subscription>();

  private constructor(readonly connection: NatsConnection) {}

  static async connect(options: NatsBusOptions): Promise<NatsBus> {
    const connectOptions: ConnectionOptions = {
      servers: options.url.split(',').map((s) => s.trim()),
      name: options.name,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      waitOnFirstConnect: false,
    };
    if (options.user) connectOptions.user = options.user;
    if (options.pass) connectOptions.pass = options.pass;
    if (options.token) connectOptions.token = options.token;
    if (options.credsFile) connectOptions.authenticator = credsAuthenticator(readFileSync(options.credsFile));
    let nc: NatsConnection;
    try {
      nc = await connect(connectOptions);
    } catch (cause) {
      throw new SrError(
        'BUS_UNAVAILABLE',
        `cannot connect to NATS at ${options.url}: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
    if (options.onStatus) {
      const onStatus = options.onStatus;
      void (async () => {
        for await (const s of nc.status()) onStatus({ type: String(s.type), data: s.data });
      })().catch(() => undefined);
    }
    return new NatsBus(nc);
  }

  async request(subject: string, data: Uint8Array, options: RequestOptions): Promise<BusMessage> {
    if (this.connection.isClosed() || this.connection.isDraining()) {
      throw new SrError('BUS_CLOSED', `NATS connection closed (${subject})`);
    }
    const limit = this.connection.info?.max_payload;
    if (limit !== undefined && data.byteLength > limit)
      throw payloadTooLarge(subject, data.byteLength, limit);
    try {
      const reply = await this.connection.request(subject, data, {
        timeout: options.timeoutMs,
        headers: toNatsHeaders(options.headers),
      });
      return { subject, data: reply.data, headers: fromNatsHeaders(reply.headers) };
    } catch (err) {
      throw mapNatsError(err, subject, options.timeoutMs);
    }
  }

  subscribe(subject: string, handler: Handler, options: SubscribeOptions = {}): Subscription {
    const inFlight = new Set<Promise<unknown>>();
    const sub = this.connection.subscribe(subject, {
      queue: options.queue,
      callback: (err, msg) => {
        if (err) return;
        const work = handler({ subject: msg.subject, data: msg.data, headers: fromNatsHeaders(msg.headers) })
          .then((reply) => {
            if (!msg.reply) return;
            const limit = this.connection.info?.max_payload;
            if (limit !== undefined && reply.data.byteLength > limit) {
              // Silence would leave the caller waiting for its timeout: say why instead.
              const err = payloadTooLarge(`the reply on ${subject}`, reply.data.byteLength, limit);
              msg.respond(new TextEncoder().encode(JSON.stringify({ error: err.code })), {
                headers: toNatsHeaders({
                  [BUS_HEADERS.errorCode]: err.code,
                  [BUS_HEADERS.errorMessage]: err.message,
                }),
              });
              return;
            }
            msg.respond(reply.data, { headers: toNatsHeaders(reply.headers) });
          })
          .catch(() => {
            // The typed layer turns handler errors into error replies; a raw throw sends nothing.
          });
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
      },
    });
    const subscription: Subscription = {
      subject,
      drain: async () => {
        this.subs.delete(subscription);
        if (!sub.isClosed()) await sub.drain().catch(() => undefined);
        await Promise.allSettled([...inFlight]);
      },
    };
    this.subs.add(subscription);
    return subscription;
  }

  async flush(): Promise<void> {
    await this.connection.flush();
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.subs].map((s) => s.drain()));
    if (!this.connection.isClosed()) await this.connection.drain().catch(() => this.connection.close());
  }
}
