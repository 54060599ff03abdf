/** Message headers: string values only (NATS headers and our in-process bus agree on this). */
export type Headers = Record<string, string>;

/** A message as a handler or requester sees it. */
export interface BusMessage {
  subject: string;
  data: Uint8Array;
  headers: Headers;
}

/** What a handler answers: a payload and optional headers (e.g. an error code). */
export interface BusReply {
  data: Uint8Array;
  headers?: Headers;
}

export interface RequestOptions {
  timeoutMs: number;
  headers?: Headers;
}

export interface SubscribeOptions {
  /** Queue group: each message goes to one member, so replicas share the load. */
  queue?: string;
}

export type Handler = (msg: BusMessage) => Promise<BusReply>;

export interface Subscription {
  readonly subject: string;
  /** Stops taking new messages and waits for the ones in flight. */
  drain(): Promise<void>;
}

/**
 * The transport between the gateway and the workers. Request-reply only; both implementations
 * reject with SrError codes BUS_TIMEOUT, BUS_NO_RESPONDERS or BUS_CLOSED.
 */
export interface Bus {
  readonly kind: 'nats' | 'in-process';
  request(subject: string, data: Uint8Array, options: RequestOptions): Promise<BusMessage>;
  subscribe(subject: string, handler: Handler, options?: SubscribeOptions): Subscription;
  /** Resolves once the server has seen every subscription made so far (then the worker is reachable). */
  flush(): Promise<void>;
  /** Drains subscriptions, then closes the connection. */
  close(): Promise<void>;
}

/** Header names used on the bus. */
export const BUS_HEADERS = {
  errorCode: 'sr-error-code',
  errorMessage: 'sr-error-message',
  requestId: 'x-request-id',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;
