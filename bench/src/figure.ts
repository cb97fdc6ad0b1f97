/** One recorded benchmark figure: the value, its same-run baseline and the target it is held to. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number; unit: string };
  ratio?: number;
  target: string;
  met: boolean;
  notes?: string;
}

export const SMALL = process.env.BENCH_SCALE === 'small';
export const KEYS = 'bench:admin:bench-admin-key-0123456789';
export const ADMIN_KEY = 'bench-admin-key-0123456789';

export function round(v: number): number {
  return Math.round(v * 100) / 100;
}
