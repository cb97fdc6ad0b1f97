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
  /** Every run's value when the figure was measured more than once; `value` is their median. */
  runs?: number[];
  /** The worst of `runs` (the highest time, the lowest rate). */
  worst?: number;
  /** What else a run has that its target is held to (e.g. "p99 135 ms"), listed per run. */
  perRun?: string;
}

/** Rates are better high; times, bytes and counts better low. */
function higherIsBetter(unit: string): boolean {
  return unit.includes('/s');
}

/**
 * Measures a figure `runs` times (one after another, fresh servers state per run as each workload
 * sets up its own topics and databases) and reports the median run's value with every run and the
 * worst. Baseline and ratio are the medians of the runs' own; the target is met only if every run
 * met it — a target counts as held only when each of five runs holds it, not on average.
 */
export async function repeated(runs: number, measure: () => Promise<Figure>): Promise<Figure> {
  const figures: Figure[] = [];
  for (let run = 0; run < runs; run++) {
    figures.push(await measure());
    console.error(`[bench] ${figures[run].name}: run ${run + 1} of ${runs}: ${figures[run].value}`);
  }
  if (runs === 1) return figures[0];
  const mid = <T>(values: T[], by: (v: T) => number): T =>
    [...values].sort((a, b) => by(a) - by(b))[Math.floor((values.length - 1) / 2)];
  const values = figures.map((f) => f.value);
  // The same rank as bench-kit's `median` (which imports this file), kept as the run itself.
  const middle = mid(figures, (f) => f.value);
  const up = higherIsBetter(middle.unit);
  const worst = up ? Math.min(...values) : Math.max(...values);
  const baselines = figures.flatMap((f) => (f.baseline ? [f.baseline.value] : []));
  const baseline =
    middle.baseline && baselines.length === runs
      ? { ...middle.baseline, value: mid(baselines, (v) => v) }
      : middle.baseline;
  return {
    ...middle,
    ...(baseline ? { baseline } : {}),
    ...(middle.ratio !== undefined && baseline
      ? { ratio: round(middle.value / baseline.value) }
      : {}),
    met: figures.every((f) => f.met),
    runs: values,
    worst,
    notes: `median of ${runs} runs (${figures.map((f) => (f.perRun ? `${f.value}: ${f.perRun}` : String(f.value))).join('; ')}; worst ${worst}; met in ${figures.filter((f) => f.met).length} of ${runs}); the median run: ${middle.notes ?? ''}`,
  };
}

export const SMALL = process.env.BENCH_SCALE === 'small';

/** Workload sizes: full, or tiny for the smoke run the test suite makes. */
export const SIZES = SMALL
  ? {
      records: 3000,
      models: 50,
      runs: 1,
      repeats: Number(process.env.BENCH_REPEATS ?? 1),
      latencySamples: 5,
      memoryModels: [200],
      rebuildEvents: 2000,
      e2eSamples: 3,
    }
  : {
      records: 200_000,
      models: 1000,
      runs: 5,
      /** Runs of each figure measured more than once (medians of ≥ 5 runs and the worst). */
      repeats: Number(process.env.BENCH_REPEATS ?? 5),
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
