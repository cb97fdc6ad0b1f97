import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { decideItem, type ItemCommand } from '../domain/items/item.decide';
import type { ItemEvent } from '../domain/items/item.events';
import type { Backlog, ItemState, ItemStatus, Quadrant, Scores } from '../domain/items/item.types';
import { itemStream } from '../projections/stream-kinds';
import { CommandHandler, type CommandOptions, type CommandResult } from './command-handler';

export interface ProposeItemInput {
  backlog: Backlog;
  quadrant: Quadrant;
  title: string;
  description: string;
  linkedModels: string[];
  scores: Scores;
  rationale?: string;
}

/** Item commands: each is one decide over the item's stream. */
@Injectable()
export class ItemsService {
  constructor(private readonly handler: CommandHandler) {}

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
