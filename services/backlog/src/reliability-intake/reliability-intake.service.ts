import { Injectable } from '@nestjs/common';
import { deterministicId, parseReliabilityEvent } from '@fulcrum/contracts';
import { ItemsService } from '../application/items.service';
import { reliabilityItemId } from '../domain/items/item.decide';
import { retryOnConflict } from '../application/retry-on-conflict';
import { BacklogMetrics } from '../observability/backlog-metrics';
import { ParkedMessagesRepository } from '../parking/parked-messages.repository';

export type IntakeOutcome = 'applied' | 'duplicate' | 'parked';

/**
 * Turns reliability events into model-hygiene items. At-least-once in, exactly-once effect: the
 * item's event ids derive from the reliability event id, and the item remembers the ids it has seen.
 * A malformed event is parked with its reason instead of blocking the partition.
 */
@Injectable()
export class ReliabilityIntakeService {
  constructor(
    private readonly items: ItemsService,
    private readonly metrics: BacklogMetrics,
    private readonly parked: ParkedMessagesRepository,
  ) {}

  async intake(
    raw: unknown,
    source: { topic: string; partition: number; offset: string },
  ): Promise<IntakeOutcome> {
    const parsed = parseReliabilityEvent(raw);
    if (!parsed.ok) {
      await this.parked.park('reliability-event', source, parsed.reason, raw);
      this.metrics.reliabilityEvents.inc({ outcome: 'parked' });
      return 'parked';
    }
    const event = parsed.event;
    const itemId = reliabilityItemId(event.incidentId);
    return retryOnConflict(async () => {
      const result = await this.items.run(
        itemId,
        'reliability-intake',
        { type: 'RecordReliabilitySignal', event, at: event.emittedAt },
        {
          actor: 'metrics-ingestion',
          eventIds: (i) => deterministicId(event.eventId, i),
        },
      );
      const outcome = result.replayed ? 'duplicate' : 'applied';
      this.metrics.reliabilityEvents.inc({ outcome });
      return outcome;
    });
  }
}
