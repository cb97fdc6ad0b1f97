import { Injectable } from '@nestjs/common';
import { deterministicId } from '@fulcrum/contracts';
import { randomUUID } from 'node:crypto';
import { decideCeremony, type CeremonyCommand } from '../domain/ceremonies/ceremony.decide';
import type { CeremonyEvent } from '../domain/ceremonies/ceremony.events';
import type {
  Allocation,
  CeremonyState,
  Decision,
  DecisionKind,
} from '../domain/ceremonies/ceremony.types';
import { decisionTarget, STATUS_FOR_DECISION } from '../domain/ceremonies/decision-target';
import type { ItemStatus } from '../domain/items/item.types';
import { WrongExpectedVersionError } from '../event-store/event-store.types';
import { retryOnConflict } from './retry-on-conflict';
import { ceremonyStream } from '../domain/streams';
import { CommandHandler, type CommandOptions, type CommandResult } from './command-handler';
import { ItemsService } from './items.service';
import { ReadModelQueries } from '../read-models/read-model.queries';
import { ImpactQueries } from '../read-models/impact.queries';
import { CeremoniesRepository } from '../read-models/ceremonies/ceremonies.repository';
import { projectedDeferCost } from '../domain/impact/cost-of-delay';
import type { ItemState } from '../domain/items/item.types';
import { isCriticalReliability } from '../domain/items/critical-reliability';

@Injectable()
export class CeremoniesService {
  constructor(
    private readonly handler: CommandHandler,
    private readonly items: ItemsService,
    private readonly queries: ReadModelQueries,
    private readonly impact: ImpactQueries,
    private readonly ceremonyDocs: CeremoniesRepository,
  ) {}

  schedule(
    input: { title: string; scheduledFor: string; cadenceDays: number },
    opts: CommandOptions,
  ) {
    const ceremonyId = randomUUID();
    return this.run(
      ceremonyId,
      'schedule-ceremony',
      {
        type: 'ScheduleCeremony',
        ceremonyId,
        ...input,
        facilitator: opts.actor,
        at: new Date().toISOString(),
      },
      { ...opts, newStream: true },
    );
  }

  /**
   * Opening snapshots live model health and the recommendation it implies. One ceremony is open at
   * a time: the brief, the allocation and the decisions all speak of "the" ceremony.
   */
  async open(ceremonyId: string, opts: CommandOptions) {
    const other = (await this.ceremonyDocs.all()).find(
      (c) => c.status === 'open' && c.ceremonyId !== ceremonyId,
    );
    const models = await this.queries.models();
    const { recommended } = await this.queries.allocation();
    const snapshot = {
      takenAt: new Date().toISOString(),
      models: models.map((m) => ({
        modelId: m.modelId,
        health: m.health,
        blocksAdoption: m.blocksAdoption,
        openIncidents: m.openIncidents.map((i) => ({
          incidentId: i.incidentId,
          rule: i.rule,
          severity: i.severity,
          itemId: i.itemId,
        })),
      })),
      recommendedReliabilityShare: recommended.reliabilityPercent,
      blockingModels: recommended.blockingModels,
    };
    return this.run(
      ceremonyId,
      'open-ceremony',
      {
        type: 'OpenCeremony',
        snapshot,
        at: snapshot.takenAt,
        otherOpen: other ? { ceremonyId: other.ceremonyId, title: other.title } : null,
      },
      opts,
    );
  }

  /**
   * Records the decision on the ceremony, then moves the item. The item's event id derives from the
   * decision's, so retrying the request after a failure between the two writes completes it once,
   * and closing the ceremony completes any decision whose item move was interrupted.
   */
  async decide(
    ceremonyId: string,
    input: { itemId: string; decision: DecisionKind; rationale: string },
    opts: CommandOptions,
  ) {
    const item = await this.items.load(input.itemId);
    const target = decisionTarget(item.state, input.itemId, input.decision);
    // decisionTarget refused a missing item.
    const itemState = item.state!;
    const r = itemState.reliability;
    const projectedCostOfDelay =
      input.decision === 'defer' && r?.open
        ? await this.projectedDeferCost(ceremonyId, itemState)
        : undefined;
    const decisionEventId = deterministicId(
      'ceremony-decision',
      ceremonyId,
      input.itemId,
      input.decision,
      opts.idempotencyKey ?? randomUUID(),
    );
    const result = await this.run(
      ceremonyId,
      'record-decision',
      {
        type: 'RecordDecision',
        decision: {
          itemId: input.itemId,
          decision: input.decision,
          rationale: input.rationale,
          backlog: itemState.backlog,
          quadrant: itemState.quadrant,
          criticalReliability:
            itemState.backlog === 'reliability' && !!r && r.open && isCriticalReliability(r),
          decidedBy: opts.actor,
          at: new Date().toISOString(),
          ...(projectedCostOfDelay ? { projectedCostOfDelay } : {}),
        },
      },
      { ...opts, eventIds: () => decisionEventId },
    );
    await this.moveItem(input.itemId, target, input, ceremonyId, opts.actor, decisionEventId);
    return result;
  }

  setAllocation(ceremonyId: string, allocation: Allocation, opts: CommandOptions) {
    return this.run(
      ceremonyId,
      'set-allocation',
      { type: 'SetAllocation', allocation, at: new Date().toISOString() },
      opts,
    );
  }

  async close(ceremonyId: string, rationale: string | null, opts: CommandOptions) {
    await this.completeDecisions(ceremonyId, opts.actor);
    return this.run(
      ceremonyId,
      'close-ceremony',
      { type: 'CloseCeremony', rationale, at: new Date().toISOString() },
      opts,
    );
  }

  /**
   * The item half of a decision. The decision is recorded either way; five other writers in a row on
   * one item are not expected, and after them the status change is given up rather than failing the
   * decision (closing the ceremony tries again).
   */
  private async moveItem(
    itemId: string,
    target: ItemStatus,
    decision: Pick<Decision, 'decision' | 'rationale'>,
    ceremonyId: string,
    actor: string,
    decisionEventId: string,
  ): Promise<void> {
    await retryOnConflict(async () => {
      const current = await this.items.load(itemId);
      if (!current.state || current.state.status === target) return;
      await this.items.changeStatus(
        itemId,
        target,
        decision.rationale || `${decision.decision} in ceremony`,
        ceremonyId,
        { actor, eventIds: () => deterministicId(decisionEventId, 'item-status') },
      );
    }, 5).catch((error: unknown) => {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    });
  }

  /**
   * A decision whose item move never happened (the process stopped between the two writes and the
   * client did not retry) is completed before the ceremony closes: for each item its last decision
   * in this ceremony, unless the item's status changed since that decision (the move itself, or a
   * later change that must not be undone) or its lifecycle no longer allows the move.
   */
  private async completeDecisions(ceremonyId: string, actor: string): Promise<void> {
    const { state, events } = await this.load(ceremonyId);
    if (!state || state.status !== 'open') return;
    const last = new Map<string, { decision: Decision; eventId: string; at: Date }>();
    for (const e of events)
      if (e.type === 'CeremonyDecisionRecorded') {
        const decision = e.data as unknown as Decision;
        last.set(decision.itemId, { decision, eventId: e.eventId, at: e.recordedAt });
      }
    for (const [itemId, { decision, eventId, at }] of last) {
      const item = await this.items.load(itemId);
      const movedSince = item.events.some(
        (e) => e.type === 'ItemStatusChanged' && e.recordedAt >= at,
      );
      const target = STATUS_FOR_DECISION[decision.decision];
      if (!item.state || movedSince || item.state.status === target) continue;
      try {
        decisionTarget(item.state, itemId, decision.decision);
      } catch {
        continue;
      }
      await this.moveItem(itemId, target, decision, ceremonyId, actor, eventId);
    }
  }

  /** The value at risk of the item's incident now, until the next ceremony (this one + cadence). */
  private async projectedDeferCost(ceremonyId: string, item: ItemState) {
    const ceremony = (await this.load(ceremonyId)).state;
    if (!ceremony) return undefined;
    const next = new Date(
      Date.parse(ceremony.scheduledFor) + ceremony.cadenceDays * 86_400_000,
    ).toISOString();
    const [enriched] = await this.impact.enrich([{ ...item, version: 0 }]);
    const perHour =
      enriched.impact && 'valueAtRisk' in enriched.impact
        ? enriched.impact.valueAtRisk.perHour
        : null;
    const projection = projectedDeferCost(perHour, new Date().toISOString(), next);
    return { ...projection, currency: enriched.impact?.currency ?? '', until: next };
  }

  load(ceremonyId: string, asOf?: Date) {
    return this.handler.load<CeremonyState>(ceremonyStream(ceremonyId), asOf);
  }

  private run(
    ceremonyId: string,
    name: string,
    command: CeremonyCommand,
    opts: CommandOptions,
  ): Promise<CommandResult<CeremonyState>> {
    return this.handler.execute<CeremonyState, CeremonyCommand, CeremonyEvent>(
      ceremonyStream(ceremonyId),
      name,
      decideCeremony,
      command,
      opts,
    );
  }
}
