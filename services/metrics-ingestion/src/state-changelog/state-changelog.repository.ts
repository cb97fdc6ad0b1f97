import { Inject, Injectable } from '@nestjs/common';
import { produceInSlices } from '@fulcrum/platform';
import type { Message } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { INGESTION_CONFIG, type IngestionConfig } from '../config/ingestion.config';
import { KafkaClients, PINO } from '../kafka/kafka.providers';
import { ModelState, type ModelStateJSON } from '../model-state/model-state';
import type { EncodedRows } from '../rules/reference-rows.codec';

const RESTORE_TIMEOUT_MS = 120_000;
const ROWS = 'reference-rows';

function rowChunkKey(modelId: string, generation: number, index: number): string {
  return `${modelId}/${ROWS}/${generation}/${index}`;
}

/** One state partition as read so far: each key's latest value, state messages and row chunks apart. */
class PartitionRead {
  readonly states = new Map<string, ModelStateJSON>();
  /** modelId → "generation/index" → rows. */
  readonly chunks = new Map<string, Map<string, EncodedRows>>();

  add(key: string, value: Buffer | null): void {
    const [modelId, kind, generation, index] = key.split('/');
    if (kind === ROWS) {
      let chunks = this.chunks.get(modelId);
      if (!chunks) this.chunks.set(modelId, (chunks = new Map<string, EncodedRows>()));
      if (value)
        chunks.set(`${generation}/${index}`, JSON.parse(value.toString('utf8')) as EncodedRows);
      else chunks.delete(`${generation}/${index}`);
    } else if (value) {
      this.states.set(key, JSON.parse(value.toString('utf8')) as ModelStateJSON);
    } else {
      this.states.delete(key);
    }
  }
}

/**
 * Model state checkpoints on the compacted state topic: key = modelId, written to the partition
 * number its telemetry came from, so restoring partition p reads state partition p only. A model
 * building its first-N reference also has its row log there, in chunks keyed
 * `<modelId>/reference-rows/<generation>/<index>` (a modelId has no "/"), written before the state
 * message that counts them and deleted after the one that no longer does (see ReferenceRowLog).
 */
@Injectable()
export class StateChangelogRepository {
  constructor(
    private readonly clients: KafkaClients,
    @Inject(INGESTION_CONFIG) private readonly config: IngestionConfig,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  /** Snapshots and writes now; on failure the models' row logs are marked lost (see ModelState). */
  async checkpoint(partition: number, states: Iterable<ModelState>): Promise<void> {
    const models = [...states];
    try {
      await this.snapshot(partition, models)();
    } catch (error) {
      for (const model of models) model.checkpointLost();
      throw error;
    }
  }

  /**
   * Serializes the models now, synchronously, and returns the write to run later: the pipeline
   * snapshots at a batch boundary and sends while the next batches are processed.
   */
  snapshot(partition: number, states: Iterable<ModelState>): () => Promise<void> {
    const messages: Message[] = [];
    const tombstones: Message[] = [];
    for (const s of states) {
      const { json, chunks, obsolete } = s.checkpoint();
      for (const c of chunks)
        messages.push({
          key: rowChunkKey(s.modelId, c.generation, c.index),
          value: JSON.stringify(c.rows),
          partition,
        });
      messages.push({ key: s.modelId, value: JSON.stringify(json), partition });
      for (const o of obsolete)
        tombstones.push({
          key: rowChunkKey(s.modelId, o.generation, o.index),
          value: null,
          partition,
        });
    }
    messages.push(...tombstones);
    // Row chunks (a model's first chunks can be ~15 KB each) can make a checkpoint megabytes: it
    // goes in slices under the batch limit, in order, so chunks land before the state naming them.
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
      const reads = new Map([...ends.keys()].map((p) => [p, new PartitionRead()]));
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
                const read = reads.get(batch.partition)!;
                for (const m of batch.messages) {
                  const key = m.key?.toString('utf8');
                  if (key) read.add(key, m.value);
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
      const now = Date.now();
      let missingRowChunks = 0;
      for (const [partition, read] of reads) {
        const models = result.get(partition)!;
        for (const [modelId, json] of read.states) {
          const model = ModelState.fromJSON(json, now, read.chunks.get(modelId));
          missingRowChunks += model.drift.missingRowChunks;
          models.set(modelId, model);
        }
      }
      const restored = [...result.values()].reduce((n, m) => n + m.size, 0);
      this.logger.info(
        { partitions, restored, ms: Date.now() - started },
        'restored model state from the changelog',
      );
      if (missingRowChunks > 0)
        this.logger.warn(
          { partitions, missingRowChunks },
          'reference-row chunks named by a checkpoint were missing; references being built lack those rows',
        );
      return result;
    } finally {
      await admin.disconnect();
    }
  }
}
