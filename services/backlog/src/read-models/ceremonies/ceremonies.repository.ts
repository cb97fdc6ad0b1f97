import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { guard } from '../../event-store/database-errors';
import { pageOf, type Page } from '../page';
import { CEREMONIES_VIEW } from './ceremonies.read-model';
import { versioned, type Stored, type Versioned } from '../versioned';
import type { CeremonyDocument } from './ceremony.document';

export type CeremonyRecord = Versioned<CeremonyDocument>;

/** Every read of the ceremonies read model. */
@Injectable()
export class CeremoniesRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get ceremonies(): Collection<Stored<CeremonyDocument>> {
    return this.connection.db!.collection<Stored<CeremonyDocument>>(CEREMONIES_VIEW);
  }

  /** Ceremonies in id order after `after`. */
  page(limit: number, after?: string): Promise<Page<CeremonyRecord>> {
    return pageOf(this.ceremonies, {}, limit, after);
  }

  /** Every ceremony, in id order (read page by page). */
  async all(): Promise<CeremonyRecord[]> {
    const out: CeremonyRecord[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.page(200, after);
      out.push(...page.items);
      if (!page.nextAfter) return out;
      after = page.nextAfter;
    }
  }

  byId(ceremonyId: string): Promise<CeremonyRecord | null> {
    return guard(async () => {
      const doc = await this.ceremonies.findOne({ _id: ceremonyId });
      return doc && versioned<CeremonyDocument>(doc);
    });
  }

  /** Ceremonies that have an allocation (a draft or a closed one). */
  withAllocation(): Promise<CeremonyRecord[]> {
    return guard(async () =>
      (await this.ceremonies.find({ allocation: { $ne: null } }).toArray()).map((d) =>
        versioned<CeremonyDocument>(d),
      ),
    );
  }
}
