import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { decideItem, type ItemCommand } from '../domain/items/item.decide';
import type { ItemEvent } from '../domain/items/item.events';
import type { ItemState, ItemStatus, Proposal, Scores } from '../domain/items/item.types';
import { itemStream } from '../domain/streams';
import { CommandHandler, type CommandOptions, type CommandResult } from './command-handler';
import { EventStoreRepository } from '../event-store/event-store.repository';
import type { RecordedEvent } from '../event-store/event-store.types';

/** A proposal as a client sends it: the rationale may be left out. */
export type ProposeItemInput = Omit<Proposal, 'rationale'> & { rationale?: string };

/** Item commands: each is one decide over the item's stream; and the stream itself, as history. */
@Injectable()
export class ItemsService {
  constructor(
    private readonly handler: CommandHandler,
    private readonly store: EventStoreRepository,
  ) {}

  /** The item's events, oldest first (upcast to the current schema versions). */
  history(itemId: string): Promise<RecordedEvent[]> {
    return this.store.readStream(itemStream(itemId));
  }

  propose(input: ProposeItemInput, opts: CommandOptions): Promise<CommandResult<ItemState>> {
    const itemId = randomUUID();
    return this.run(
      itemId,
      'propose-item',
      {
        type: 'ProposeItem',
        itemId,
        ...input,
        rationale: input.rationale ?? null,
        at: new Date().toISOString(),
      },
      { ...opts, newStream: true },
    );
  }

  rescore(itemId: string, scores: Scores, rationale: string, opts: CommandOptions) {
    return this.run(
      itemId,
      'rescore-item',
      { type: 'RescoreItem', scores, rationale, at: new Date().toISOString() },
      opts,
    );
  }

  changeStatus(
    itemId: string,
    to: ItemStatus,
    rationale: string,
    ceremonyId: string | null,
    opts: CommandOptions,
  ) {
    return this.run(
      itemId,
      'change-item-status',
      { type: 'ChangeItemStatus', to, rationale, ceremonyId, at: new Date().toISOString() },
      opts,
    );
  }

  run(
    itemId: string,
    name: string,
    command: ItemCommand,
    opts: CommandOptions,
  ): Promise<CommandResult<ItemState>> {
    return this.handler.execute<ItemState, ItemCommand, ItemEvent>(
      itemStream(itemId),
      name,
      decideItem,
      command,
      opts,
    );
  }

  load(itemId: string, asOf?: Date) {
    return this.handler.load<ItemState>(itemStream(itemId), asOf);
  }
}
