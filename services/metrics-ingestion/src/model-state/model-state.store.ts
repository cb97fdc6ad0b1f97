import { Injectable } from '@nestjs/common';
import { ModelState } from './model-state';

/** Live model states grouped by the telemetry partition that owns them. */
@Injectable()
export class ModelStateStore {
  private readonly partitions = new Map<number, Map<string, ModelState>>();

  partition(p: number): Map<string, ModelState> {
    let models = this.partitions.get(p);
    if (!models) this.partitions.set(p, (models = new Map<string, ModelState>()));
    return models;
  }

  getOrCreate(p: number, modelId: string): ModelState {
    const models = this.partition(p);
    let state = models.get(modelId);
    if (!state) models.set(modelId, (state = new ModelState(modelId)));
    return state;
  }

  replace(p: number, models: Map<string, ModelState>): void {
    this.partitions.set(p, models);
  }

  drop(p: number): void {
    this.partitions.delete(p);
  }

  owned(): number[] {
    return [...this.partitions.keys()];
  }

  *all(): IterableIterator<ModelState> {
    for (const models of this.partitions.values()) yield* models.values();
  }

  get size(): number {
    let n = 0;
    for (const models of this.partitions.values()) n += models.size;
    return n;
  }
}
