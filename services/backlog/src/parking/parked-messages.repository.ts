import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { PARKED_MODEL_STATUS, PARKED_RELIABILITY_EVENTS } from './parked-messages.collections';

const PARKED = {
  'reliability-event': PARKED_RELIABILITY_EVENTS,
  'model-status': PARKED_MODEL_STATUS,
} as const;

export interface MessageSource {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Malformed messages from the intake topics, kept with their reason instead of blocking their
 * partition. Keyed by topic/partition/offset, so a redelivery parks the same message once.
 */
@Injectable()
export class ParkedMessagesRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async park(
    kind: keyof typeof PARKED,
    source: MessageSource,
    reason: string,
    payload: unknown,
  ): Promise<void> {
    await this.connection.db!.collection<{ _id: string }>(PARKED[kind]).updateOne(
      { _id: `${source.topic}/${source.partition}/${source.offset}` },
      {
        $setOnInsert: {
          reason,
          payload: JSON.stringify(payload)?.slice(0, 65536) ?? null,
          parkedAt: new Date(),
          ...source,
        },
      },
      { upsert: true },
    );
  }
}
