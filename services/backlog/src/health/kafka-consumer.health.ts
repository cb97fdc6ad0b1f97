import { Injectable } from '@nestjs/common';
import type { Observable } from 'rxjs';

/**
 * Follows the status stream of the @nestjs/microservices Kafka server: ready once connected, not
 * ready while rebalancing, after a crash or a disconnect.
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

  track(status$: Observable<string>): void {
    status$.subscribe((status) => {
      this.state = status === 'connected' ? { ready: true } : { ready: false, reason: status };
    });
  }

  status(): { ready: boolean; reason?: string } {
    return this.enabled ? this.state : { ready: true };
  }
}
