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
  private state: { ready: boolean; reason?: string } = {
    ready: false,
    reason: 'consumer not started',
  };
  private enabled = true;

  disable(): void {
    this.enabled = false;
  }

  track(server: KafkaIntakeServer): void {
    let following: Consumer | null = null;
    server.status.subscribe((status) => {
      if (status === 'connected') {
        const [, consumer] = server.unwrap<[unknown, Consumer | null, unknown]>();
        if (consumer && consumer !== following) {
          following = consumer;
          consumer.on(consumer.events.GROUP_JOIN, () => (this.state = { ready: true }));
        }
        if (!this.state.ready) this.state = { ready: false, reason: 'joining its consumer group' };
        return;
      }
      this.state = { ready: false, reason: status };
    });
  }

  status(): { ready: boolean; reason?: string } {
    return this.enabled ? this.state : { ready: true };
  }
}
