import { isCriticalReliability } from '../items/critical-reliability';

/**
 * The recommended reliability share of capacity, from live model health: a base share, raised for
 * each model whose incidents block adoption, never above the cap. Percentages.
 */
export interface AllocationPolicy {
  basePercent: number;
  perBlockingModelPercent: number;
  capPercent: number;
}

export const DEFAULT_ALLOCATION_POLICY: AllocationPolicy = {
  basePercent: 20,
  perBlockingModelPercent: 10,
  capPercent: 60,
};

export function recommendedReliabilityShare(
  blockingModels: number,
  p: AllocationPolicy = DEFAULT_ALLOCATION_POLICY,
): number {
  return Math.min(p.capPercent, p.basePercent + p.perBlockingModelPercent * blockingModels);
}

/** Planned minus recommended: negative means the team gave reliability less than health asks for. */
export function deviation(plannedReliabilityPercent: number, recommendedPercent: number): number {
  return Math.round((plannedReliabilityPercent - recommendedPercent) * 100) / 100;
}

/** Model health in [0, 1]: 1 healthy, 0.5 with warnings only, 0 with a critical or blocking incident. */
export function modelHealth(incidents: { severity: string; blocksAdoption: boolean }[]): number {
  if (incidents.some(isCriticalReliability)) return 0;
  return incidents.length ? 0.5 : 1;
}
