import { Injectable } from '@nestjs/common';
import type { Consumer } from 'kafkajs';
import type { Observable } from 'rxjs';

/** What this needs of the @nestjs/microservices Kafka server: its status stream and its clients. */
export interface KafkaIntakeServer {
  readonly status: Observable<string>;
  unwrap<T>(): T;
}

/**
 * Readiness of the Kafka intake: ready once its consumer is a member of its group, not ready while
 * rebalancing, after a crash, a stop or a disconnect. Nest's own status says "connected" when the
 * consumer connects — before it has joined — and never says it again after a rebalance, so a
 * backlog that had been through one rebalance reported "rebalancing" for good; the consumer's
 * GROUP_JOIN says exactly when it can consume (as metrics-ingestion's readiness does).
 */
@Injectable()
export class KafkaConsumerHealth {
  /** One state per tracked intake (reliability events, model status): ready only when all are. */
  private readonly states: { ready: boolean; reason?: string }[] = [];
  private enabled = true;

  disable(): void {
    this.enabled = false;
  }

  /** `name` prefixes the reason when more than one intake is tracked. */
  track(server: KafkaIntakeServer, name?: string): void {
    const { set, ready } = this.register(name, 'consumer not started');
    let following: Consumer | null = null;
    server.status.subscribe((status) => {
      if (status === 'connected') {
        const [, consumer] = server.unwrap<[unknown, Consumer | null, unknown]>();
        if (consumer && consumer !== following) {
          following = consumer;
          consumer.on(consumer.events.GROUP_JOIN, () => set(true));
        }
        if (!ready()) set(false, 'joining its consumer group');
        return;
      }
      set(false, status);
    });
  }

  /** The same for a kafkajs consumer run directly: ready from its GROUP_JOIN until it stops. */
  trackConsumer(consumer: Consumer, name: string): void {
    const { set } = this.register(name, 'joining its consumer group');
    const { GROUP_JOIN, REBALANCING, CRASH, STOP, DISCONNECT } = consumer.events;
    consumer.on(GROUP_JOIN, () => set(true));
    consumer.on(REBALANCING, () => set(false, 'rebalancing'));
    consumer.on(CRASH, () => set(false, 'crashed'));
    consumer.on(STOP, () => set(false, 'stopped'));
    consumer.on(DISCONNECT, () => set(false, 'disconnected'));
  }

  /** A new tracked intake, not ready yet: how to set its state and read whether it is ready. */
  private register(name: string | undefined, reason: string) {
    const prefix = (r?: string) => (name ? `${name}: ${r}` : r);
    const index = this.states.push({ ready: false, reason: prefix(reason) }) - 1;
    return {
      set: (ready: boolean, why?: string) =>
        (this.states[index] = ready ? { ready } : { ready, reason: prefix(why) }),
      ready: () => this.states[index].ready,
    };
  }

  status(): { ready: boolean; reason?: string } {
    if (!this.enabled) return { ready: true };
    if (this.states.length === 0) return { ready: false, reason: 'consumer not started' };
    return this.states.find((s) => !s.ready) ?? { ready: true };
  }
}
