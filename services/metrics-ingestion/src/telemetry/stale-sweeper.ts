import type { ReliabilityEvent } from '@fulcrum/contracts';
import type { Logger } from 'pino';
import { clockAt, evaluateStale } from '../evaluation/model-evaluator';
import type { ModelState } from '../model-state/model-state';
import type { ModelStateStore } from '../model-state/model-state.store';
import type { RuleSettingsResolver } from '../settings/rule-settings.loader';
import type { StateChangelogRepository } from '../state-changelog/state-changelog.repository';
import type { Checkpointer } from './checkpointer';
import type { PartitionLocks } from './partition-locks';
import type { TelemetryPublisher } from './telemetry-publisher';

/**
 * The stale rule runs on processing time, so a timer drives it instead of records: per owned
 * partition, under the partition's lock (no batch folds meanwhile), every silent model opens its
 * incident, the events are published, then the touched models checkpointed.
 */
export class StaleSweeper {
  constructor(
    private readonly store: ModelStateStore,
    private readonly locks: PartitionLocks,
    private readonly checkpoints: Checkpointer,
    private readonly rules: RuleSettingsResolver,
    private readonly publisher: TelemetryPublisher,
    private readonly changelog: StateChangelogRepository,
    private readonly logger: Logger,
  ) {}

  async sweep(now = Date.now()): Promise<void> {
    const clock = clockAt(now);
    for (const partition of this.store.owned()) {
      await this.locks.run(partition, async () => {
        const events: ReliabilityEvent[] = [];
        const touched: ModelState[] = [];
        for (const state of this.store.partition(partition).values()) {
          const event = evaluateStale(state, this.rules.for(state.modelId), clock);
          if (event) {
            events.push(event);
            touched.push(state);
          }
        }
        if (events.length === 0) return;
        try {
          await this.publisher.publish(events);
          // After the partition's checkpoints in flight (none starts while this holds its lock):
          // interleaved with their slices, an older state could land last on the compacted topic.
          await this.checkpoints.settled(partition);
          await this.changelog.checkpoint(partition, touched);
        } catch (error) {
          for (const state of touched) delete state.incidents.telemetry_stale;
          this.logger.warn({ err: error, partition }, 'stale sweep could not publish; will retry');
        }
      });
    }
  }
}
