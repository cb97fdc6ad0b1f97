import { Inject, Injectable } from '@nestjs/common';
import { produceInSlices } from '@fulcrum/platform';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { INGESTION_CONFIG, type IngestionConfig } from '../config/ingestion.config';
import { KafkaClients, PINO } from '../kafka/kafka.providers';
import { ModelState } from '../model-state/model-state';

const RESTORE_TIMEOUT_MS = 120_000;

/**
 * Model state checkpoints on the compacted state topic: key = modelId, written to the partition
 * number its telemetry came from, so restoring partition p reads state partition p only.
 */
@Injectable()
export class StateChangelogRepository {
  constructor(
    private readonly clients: KafkaClients,
    @Inject(INGESTION_CONFIG) private readonly config: IngestionConfig,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  async checkpoint(partition: number, states: Iterable<ModelState>): Promise<void> {
    await this.snapshot(partition, states)();
  }

  /**
   * Serializes the models now, synchronously, and returns the write to run later: the pipeline
   * snapshots at a batch boundary and sends while the next batches are processed.
   */
  snapshot(partition: number, states: Iterable<ModelState>): () => Promise<void> {
    const messages = [...states].map((s) => ({
      key: s.modelId,
      value: JSON.stringify(s.toJSON()),
      partition,
    }));
    // A model building its reference holds up to N rows (~40 KB for 12 features): a checkpoint of
    // many such models is megabytes and must go in slices under the batch limit.
    return () =>
      produceInSlices(this.clients.stateProducer, this.config.topics.ingestionState, messages);
  }

  /**
   * Reads the given state partitions from the beginning to their current end. kafkajs has no manual
   * partition assignment, so a throwaway consumer group reads the topic and is deleted afterwards.
   */
  async restore(partitions: number[]): Promise<Map<number, Map<string, ModelState>>> {
    const topic = this.config.topics.ingestionState;
    const result = new Map<number, Map<string, ModelState>>(
      partitions.map((p) => [p, new Map<string, ModelState>()]),
    );
    const admin = this.clients.kafka.admin();
    await admin.connect();
    try {
      const ends = new Map<number, number>();
      for (const o of await admin.fetchTopicOffsets(topic)) {
        if (result.has(o.partition) && Number(o.high) > Number(o.low))
          ends.set(o.partition, Number(o.high));
      }
      if (ends.size === 0) return result;
      const groupId = `${this.config.groupId}.restore.${randomUUID()}`;
      const consumer = this.clients.kafka.consumer({
        groupId,
        sessionTimeout: 30000,
        allowAutoTopicCreation: false,
      });
      const now = Date.now();
      const started = Date.now();
      try {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () =>
              reject(
                new Error(`state restore of partitions ${[...ends.keys()].join(',')} timed out`),
              ),
            RESTORE_TIMEOUT_MS,
          );
          consumer
            .run({
              autoCommit: false,
              eachBatch: async ({ batch }) => {
                const end = ends.get(batch.partition);
                if (end === undefined) return;
                const models = result.get(batch.partition)!;
                for (const m of batch.messages) {
                  const key = m.key?.toString('utf8');
                  if (key && m.value)
                    models.set(
                      key,
                      ModelState.fromJSON(
                        JSON.parse(m.value.toString('utf8')) as ReturnType<ModelState['toJSON']>,
                        now,
                      ),
                    );
                  else if (key) models.delete(key);
                  if (Number(m.offset) >= end - 1) ends.delete(batch.partition);
                }
                if (ends.size === 0) {
                  clearTimeout(timer);
                  resolve();
                }
              },
            })
            .catch(reject);
        });
      } finally {
        await consumer.disconnect();
        await admin.deleteGroups([groupId]).catch(() => undefined);
      }
      const restored = [...result.values()].reduce((n, m) => n + m.size, 0);
      this.logger.info(
        { partitions, restored, ms: Date.now() - started },
        'restored model state from the changelog',
      );
      return result;
    } finally {
      await admin.disconnect();
    }
  }
}
