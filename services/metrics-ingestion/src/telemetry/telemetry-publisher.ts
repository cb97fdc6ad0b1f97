import { Inject, Injectable } from '@nestjs/common';
import {
  RELIABILITY_HEADERS,
  transitionOf,
  type ModelStatus,
  type ReliabilityEvent,
} from '@fulcrum/contracts';
import type { Message } from 'kafkajs';
import { produceInSlices } from '@fulcrum/platform';
import { INGESTION_CONFIG, type IngestionConfig } from '../config/ingestion.config';
import { KafkaClients } from '../kafka/kafka.providers';
import { IngestionMetrics } from '../observability/ingestion-metrics';

/** Sends what a batch caused: reliability events, then model statuses, then dead letters. */
@Injectable()
export class TelemetryPublisher {
  constructor(
    @Inject(INGESTION_CONFIG) private readonly config: IngestionConfig,
    private readonly clients: KafkaClients,
    private readonly metrics: IngestionMetrics,
  ) {}

  async publish(
    events: readonly ReliabilityEvent[],
    statuses: readonly ModelStatus[] = [],
    deadLetters: Message[] = [],
  ): Promise<void> {
    const { producer } = this.clients;
    const { topics } = this.config;
    // Sliced: one batch of many events, or of large dead letters (up to FULCRUM_MAX_RECORD_BYTES
    // each), would exceed the broker's batch limit, fail non-retriably and stop the partition.
    await produceInSlices(
      producer,
      topics.reliabilityEvents,
      events.map((e) => ({
        key: e.modelId,
        value: JSON.stringify(e),
        headers: {
          [RELIABILITY_HEADERS.eventId]: e.eventId,
          [RELIABILITY_HEADERS.eventType]: e.type,
        },
      })),
    );
    // Statuses after the events of the same batch, and all of it before the offsets are committed.
    await produceInSlices(
      producer,
      topics.modelStatus,
      statuses.map((st) => ({ key: st.modelId, value: JSON.stringify(st) })),
    );
    await produceInSlices(producer, topics.telemetryDlq, deadLetters);
    for (const e of events)
      this.metrics.emitted.inc({ rule: e.rule, transition: transitionOf(e.type) });
  }
}
