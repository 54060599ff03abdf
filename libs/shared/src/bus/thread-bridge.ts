import type { MessagePort, Worker } from 'node:worker_threads';
import { errorCodeOf } from '../errors';
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

/**
 * The bus across worker threads (embedded mode on a multi-core host). A worker thread runs some
 * services on its own in-process bus and serves it over its port; the main thread subscribes the
 * subjects those services serve and forwards each request to the thread. Services, contracts and
 * the gateway are unchanged: they only ever see a Bus.
 *
 * Protocol (structured-cloned messages):
 *   main → thread  { t: 'req', id, subject, data, headers, timeoutMs }
 *   thread → main  { t: 'rep', id, data, headers } | { t: 'err', id, code, message }
 */
export type BridgeRequest = {
  t: 'req';
  id: number;
  subject: string;
  data: Uint8Array;
  headers: Headers;
  timeoutMs: number;
};
export type BridgeReply =
  | { t: 'rep'; id: number; data: Uint8Array; headers: Headers }
  | { t: 'err'; id: number; code: string; message: string };

type Port = Pick<MessagePort, 'postMessage' | 'on' | 'off'> | Pick<Worker, 'postMessage' | 'on' | 'off'>;

/**
 * Thread side: answers forwarded requests from `local` (the thread's in-process bus). Bus errors
 * (timeout, no responders) travel back as codes. Returns a function that stops serving.
 */
export function serveBusOverPort(port: Port, local: Bus): () => void {
  const onMessage = (msg: unknown) => {
    const req = msg as Partial<BridgeRequest> | null;
    if (req?.t !== 'req') return;
    const { id, subject, data, headers, timeoutMs } = req as BridgeRequest;
    local.request(subject, data, { timeoutMs, headers }).then(
      (reply) =>
        port.postMessage({ t: 'rep', id, data: reply.data, headers: reply.headers } satisfies BridgeReply),
      (err: unknown) =>
        port.postMessage({
          t: 'err',
          id,
          code: errorCodeOf(err),
          message: String((err as Error)?.message ?? err),
        } satisfies BridgeReply),
    );
  };
  port.on('message', onMessage);
  return () => port.off('message', onMessage);
}

/** Main side of one thread: forwards requests and settles them with the thread's replies. */
export class ThreadForwarder {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: BusMessage) => void>();
  private readonly onMessage = (msg: unknown) => {
    const reply = msg as BridgeReply | null;
    if (reply?.t !== 'rep' && reply?.t !== 'err') return;
    const settle = this.pending.get(reply.id);
    if (!settle) return; // already answered as failed (the thread went away)
    this.pending.delete(reply.id);
    settle(
      reply.t === 'rep'
        ? { subject: '', data: reply.data, headers: reply.headers }
        : errorReply(reply.code, reply.message),
    );
  };

  constructor(
    private readonly port: Port,
    /** Names the thread in error messages. */
    readonly name: string,
  ) {
    port.on('message', this.onMessage);
  }

  /**
   * Subscribes `subjects` on the main bus (queue group per thread) and forwards each request.
   * Errors come back as error replies, so typed callers rethrow them with their codes.
   */
  forward(bus: Bus, subjects: readonly string[]): Subscription[] {
    return subjects.map((subject) =>
      bus.subscribe(subject, (msg) => this.request(msg), { queue: `thread:${this.name}` }),
    );
  }

  private request(msg: BusMessage): Promise<BusMessage> {
    const id = this.nextId++;
    return new Promise<BusMessage>((resolve) => {
      this.pending.set(id, resolve);
      this.port.postMessage({
        t: 'req',
        id,
        subject: msg.subject,
        data: msg.data,
        headers: msg.headers,
        // The caller's own timeout bounds its wait; this only ends work nobody waits for anymore.
        timeoutMs: THREAD_REQUEST_TIMEOUT_MS,
      } satisfies BridgeRequest);
    });
  }

  /** The thread is gone: every request in flight gets an error reply now instead of a timeout. */
  failAll(reason: string): void {
    const reply = errorReply('HANDLER_FAILED', `worker thread ${this.name} stopped: ${reason}`);
    for (const settle of this.pending.values()) settle(reply);
    this.pending.clear();
  }

  close(): void {
    this.port.off('message', this.onMessage);
    this.failAll('closed');
  }
}

const THREAD_REQUEST_TIMEOUT_MS = 60_000;

function errorReply(code: string, message: string): BusMessage {
  return {
    subject: '',
    data: new TextEncoder().encode(JSON.stringify({ error: code })),
    headers: {
      [BUS_HEADERS.errorCode]: code,
      [BUS_HEADERS.errorMessage]: message.replace(/[\r\n]+/g, ' ').slice(0, 500),
    },
  };
}

/** A bus that records the subjects subscribed through it (what a thread reports it serves). */
export class RecordingBus implements Bus {
  readonly kind: Bus['kind'];
  readonly subjects = new Set<string>();

  constructor(private readonly inner: Bus) {
    this.kind = inner.kind;
  }

  request(subject: string, data: Uint8Array, options: RequestOptions): Promise<BusMessage> {
    return this.inner.request(subject, data, options);
  }

  subscribe(subject: string, handler: Handler, options?: SubscribeOptions): Subscription {
    this.subjects.add(subject);
    return this.inner.subscribe(subject, handler, options);
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
