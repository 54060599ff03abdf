import { SrError } from '../errors';
import type { Bus, BusMessage, Handler, RequestOptions, SubscribeOptions, Subscription } from './bus';

interface Member {
  handler: Handler;
  inFlight: Set<Promise<unknown>>;
  active: boolean;
}

/**
 * The bus inside one process (embedded mode and unit tests), with NATS's semantics: queue groups
 * deliver to one member round-robin, plain subscriptions all get the message (first reply wins),
 * no subscriber → BUS_NO_RESPONDERS, no reply in time → BUS_TIMEOUT. Payloads are copied so
 * neither side can mutate the other's bytes.
 */
export class InProcessBus implements Bus {
  readonly kind = 'in-process' as const;
  private readonly groups = new Map<string, Map<string, { members: Member[]; next: number }>>();
  private closed = false;

  request(subject: string, data: Uint8Array, options: RequestOptions): Promise<BusMessage> {
    if (this.closed) return Promise.reject(new SrError('BUS_CLOSED', 'the in-process bus is closed'));
    const targets = this.pick(subject);
    if (targets.length === 0) {
      return Promise.reject(
        new SrError('BUS_NO_RESPONDERS', `no responders for ${subject}`, { details: { subject } }),
      );
    }
    const message: BusMessage = { subject, data: data.slice(), headers: { ...options.headers } };
    return new Promise<BusMessage>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new SrError('BUS_TIMEOUT', `no reply on ${subject} within ${options.timeoutMs} ms`, {
              details: { subject },
            }),
          ),
        options.timeoutMs,
      );
      for (const member of targets) {
        const work = member
          .handler(message)
          .then((reply) => {
            clearTimeout(timer);
            resolve({ subject, data: reply.data.slice(), headers: { ...reply.headers } });
          })
          .catch(() => {
            // A handler that throws sends no reply: the requester times out, as over NATS.
          });
        member.inFlight.add(work);
        void work.finally(() => member.inFlight.delete(work));
      }
    });
  }

  subscribe(subject: string, handler: Handler, options: SubscribeOptions = {}): Subscription {
    if (this.closed) throw new SrError('BUS_CLOSED', 'the in-process bus is closed');
    const member: Member = { handler, inFlight: new Set(), active: true };
    const bySubject = this.groups.get(subject) ?? new Map<string, { members: Member[]; next: number }>();
    this.groups.set(subject, bySubject);
    // Plain subscribers each get their own group keyed by a unique name.
    const key = options.queue ?? `\u0000${Math.random()}`;
    const group = bySubject.get(key) ?? { members: [], next: 0 };
    bySubject.set(key, group);
    group.members.push(member);
    return {
      subject,
      drain: async () => {
        member.active = false;
        group.members = group.members.filter((m: Member) => m !== member);
        await Promise.allSettled([...member.inFlight]);
      },
    };
  }

  async flush(): Promise<void> {
    // Subscriptions take effect immediately in process.
  }

  private pick(subject: string): Member[] {
    const picked: Member[] = [];
    for (const group of this.groups.get(subject)?.values() ?? []) {
      const active = group.members.filter((m) => m.active);
      if (active.length === 0) continue;
      picked.push(active[group.next++ % active.length]!);
    }
    return picked;
  }

  async close(): Promise<void> {
    this.closed = true;
    const drains: Promise<unknown>[] = [];
    for (const bySubject of this.groups.values()) {
      for (const group of bySubject.values()) {
        for (const m of group.members) {
          m.active = false;
          drains.push(Promise.allSettled([...m.inFlight]));
        }
      }
    }
    this.groups.clear();
    await Promise.all(drains);
  }
}
