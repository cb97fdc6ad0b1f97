import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createKafka } from '@fulcrum/platform';
import { Kafka, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { INGESTION_CONFIG, type IngestionConfig } from '../config/ingestion.config';

export const PINO = Symbol('PINO');

/** The kafkajs client and the one idempotent producer (acks=all) shared by events, DLQ and state. */
@Injectable()
export class KafkaClients implements OnApplicationShutdown {
  readonly kafka: Kafka;
  readonly producer: Producer;
  producerConnected = false;

  constructor(@Inject(INGESTION_CONFIG) config: IngestionConfig, @Inject(PINO) logger: Logger) {
    this.kafka = createKafka({ clientId: config.clientId, brokers: config.kafkaBrokers, logger });
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    this.producer.on(this.producer.events.CONNECT, () => (this.producerConnected = true));
    this.producer.on(this.producer.events.DISCONNECT, () => (this.producerConnected = false));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}
