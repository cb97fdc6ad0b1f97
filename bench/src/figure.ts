/** One recorded benchmark figure: the value, its same-run baseline and the target it is held to. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number; unit: string };
  ratio?: number;
  /** A second, outside reference (e.g. Kafka's Java consumer) with the figure's ratio to it. */
  reference?: { name: string; value: number; unit: string; ratio: number };
  target: string;
  met: boolean;
  notes?: string;
}

export const SMALL = process.env.BENCH_SCALE === 'small';

/** Workload sizes: full, or tiny for the smoke run the test suite makes. */
export const SIZES = SMALL
  ? {
      records: 3000,
      models: 50,
      runs: 1,
      latencySamples: 5,
      memoryModels: [200],
      rebuildEvents: 2000,
      e2eSamples: 3,
    }
  : {
      records: 200_000,
      models: 1000,
      runs: 3,
      latencySamples: 40,
      memoryModels: [10_000, 100_000],
      rebuildEvents: 200_000,
      e2eSamples: 30,
    };

export const KEYS = 'bench:admin:bench-admin-key-0123456789';
export const ADMIN_KEY = 'bench-admin-key-0123456789';

export function round(v: number): number {
  return Math.round(v * 100) / 100;
}
