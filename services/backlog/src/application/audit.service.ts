import { Inject, Injectable } from '@nestjs/common';
import { deterministicId } from '@fulcrum/contracts';
import { BACKLOG_CONFIG, type BacklogConfig } from '../config/backlog.config';
import { auditModel, type Audit } from '../domain/audit/audit-checks';
import { auditItemId } from '../domain/items/item-id';
import { retryOnConflict } from './retry-on-conflict';
import { ImpactQueries } from '../read-models/impact.queries';
import { ModelStatusRepository } from '../read-models/model-status/model-status.repository';
import { ItemsRepository } from '../read-models/items/items.repository';
import { ItemsService } from './items.service';
import { inFlight } from '@fulcrum/platform';

/** Models audited at once when a batch of statuses arrives. */
const AUDITS_IN_FLIGHT = 8;

export interface AuditView extends Audit {
  tier: number | null;
  gaps: { check: string; itemId: string; open: boolean }[];
}

/**
 * The technical-debt audit of every model (domain/audit), and the work it creates: each failing
 * check opens one technical-debt item per (model, check), each check that passes again resolves it.
 * Run when a model's status or profile changes; only verdicts that differ from the items' state
 * become commands, and their event ids derive from the verdict, so redelivery opens nothing twice.
 */
/** Models whose last verdicts are remembered (a bound on memory, far above a platform's count). */
const SETTLED_MODELS = 100_000;

@Injectable()
export class AuditService {
  /**
   * Per model, the verdicts its technical-debt items were last brought in line with by this
   * instance. Only a shortcut: a model's statuses come to one instance (its partition), a profile
   * change or another instance computes other verdicts and so looks the items up again, and a
   * restart starts empty.
   */
  private readonly settled = new Map<string, string>();

  constructor(
    private readonly items: ItemsService,
    private readonly statuses: ModelStatusRepository,
    private readonly impact: ImpactQueries,
    private readonly itemDocs: ItemsRepository,
    @Inject(BACKLOG_CONFIG) private readonly config: BacklogConfig,
  ) {}

  async audit(modelId: string): Promise<AuditView | null> {
    const status = await this.statuses.latestOf(modelId);
    const profile = (await this.impact.profiles()).get(modelId) ?? null;
    if (!status && !profile) return null;
    return this.view(modelId, status, profile?.profile ?? null);
  }

  /**
   * Every model's audit with its gaps. The items are read once and grouped: one lookup per model by
   * `audit.modelId` is a scan of every item on FerretDB (no push-down of nested fields), and at 200
   * models that was most of a brief's time.
   */
  async auditAll(): Promise<AuditView[]> {
    const [audits, items] = await Promise.all([this.impact.audits(), this.itemDocs.all()]);
    const gaps = new Map<string, AuditView['gaps']>();
    for (const i of items) {
      if (!i.audit) continue;
      const list = gaps.get(i.audit.modelId) ?? [];
      list.push({ check: i.audit.check, itemId: i.itemId, open: i.audit.open });
      gaps.set(i.audit.modelId, list);
    }
    return audits.map(({ audit, profile }) => ({
      ...audit,
      tier: profile?.tier ?? null,
      gaps: gaps.get(audit.modelId) ?? [],
    }));
  }

  private view(
    modelId: string,
    status: Parameters<typeof auditModel>[1],
    profile: Parameters<typeof auditModel>[2],
  ): Promise<AuditView> {
    return this.withGaps(auditModel(modelId, status, profile, this.config.audit), profile);
  }

  private async withGaps(
    audit: Audit,
    profile: Parameters<typeof auditModel>[2],
  ): Promise<AuditView> {
    const modelId = audit.modelId;
    const gaps = (await this.itemDocs.auditItems(modelId)).map((i) => ({
      check: i.audit!.check,
      itemId: i.itemId,
      open: i.audit!.open,
    }));
    return { ...audit, tier: profile?.tier ?? null, gaps };
  }

  /** Brings the model's technical-debt items in line with its audit. */
  async sync(modelId: string): Promise<void> {
    await this.syncMany([{ modelId, status: await this.statuses.latestOf(modelId) }]);
  }

  /**
   * Brings many models' technical-debt items in line with their audits, given each model's latest
   * status: the profiles are read once for all of them (not once per model), and the models are
   * worked on 8 at a time — per applicable check a lookup of its item and, only where the verdict
   * changed, a command on that (model, check)'s own item, so no two in flight touch one stream.
   */
  async syncMany(
    models: readonly { modelId: string; status: Parameters<typeof auditModel>[1] }[],
  ): Promise<void> {
    if (models.length === 0) return;
    const profiles = await this.impact.profiles();
    await inFlight(models, AUDITS_IN_FLIGHT, async ({ modelId, status }) => {
      const profile = profiles.get(modelId)?.profile ?? null;
      const audit = auditModel(modelId, status, profile, this.config.audit);
      // A model's verdicts rarely change from one status to the next: when they are the ones this
      // instance last brought its items in line with, there is nothing to look up or do.
      const verdicts = audit.checks.map((c) => `${c.check}:${c.outcome}`).join(',');
      if (this.settled.get(modelId) === verdicts) return;
      const at = status?.at ?? new Date().toISOString();
      for (const c of audit.checks) {
        if (c.outcome === 'not-applicable') continue;
        const failing = c.outcome === 'fail';
        // Each (model, check) has its own item id: looked up by it (an equality on _id the
        // database answers from its index) rather than by the model's id inside the document,
        // which FerretDB answers by reading every item.
        const itemId = auditItemId(modelId, c.check);
        const open = (await this.itemDocs.byId(itemId))?.audit?.open ?? false;
        if (failing === open) continue;
        await retryOnConflict(() =>
          this.items.run(
            itemId,
            'audit-verdict',
            {
              type: 'RecordAuditVerdict',
              itemId,
              modelId,
              check: c.check,
              failing,
              evidence: c.evidence,
              remedy: c.remedy,
              at,
            },
            {
              actor: 'audit',
              eventIds: (i) => deterministicId(itemId, failing ? 'fail' : 'pass', at, i),
            },
          ),
        );
      }
      if (this.settled.size >= SETTLED_MODELS) this.settled.clear();
      this.settled.set(modelId, verdicts);
    });
  }
}
