import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Keeps the benchmark harness from rotting: a tiny run end to end. Figures are not asserted. */
describe('benchmark harness smoke run', () => {
  it('runs every workload at BENCH_SCALE=small and writes a result per figure', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'fulcrum-bench-')), 'smoke.json');
    const root = join(__dirname, '..');
    execFileSync(
      process.execPath,
      ['-r', join(root, 'scripts/register-paths.js'), join(root, 'dist/bench/src/run-all.js')],
      {
        env: { ...process.env, BENCH_SCALE: 'small', BENCH_OUT: out },
        stdio: ['ignore', 'ignore', 'inherit'],
        timeout: 600_000,
      },
    );
    const result = JSON.parse(readFileSync(out, 'utf8')) as {
      figures: { name: string; value: number; baseline?: { value: number } }[];
    };
    // One per workload: throughput, scale-out (reprocessing, two instances), latency, memory, the
    // accuracy estimate's cost (per record, per model), the status burst and incident storm, the
    // brief's first screen at scale, commands, commands as history grows, rebuild, end to end.
    expect(result.figures.map((f) => f.name)).toEqual([
      expect.stringMatching(/^Ingestion throughput/),
      expect.stringMatching(/^Planned rebalance/),
      expect.stringMatching(/^Two ingestion instances/),
      expect.stringMatching(/^Detection latency/),
      expect.stringMatching(/^State memory/),
      expect.stringMatching(/^fold CPU per record with scores/),
      expect.stringMatching(/^state a calibration adds per model/),
      expect.stringMatching(/^model-status burst: /),
      expect.stringMatching(/^incident storm: /),
      expect.stringMatching(/^brief first screen in headless chromium/),
      expect.stringMatching(/^Backlog commands, /),
      expect.stringMatching(/^Backlog commands as history grows/),
      expect.stringMatching(/^Projection rebuild/),
      expect.stringMatching(/^End to end/),
    ]);
    for (const f of result.figures) {
      expect(Number.isFinite(f.value)).toBe(true);
      if (f.baseline) expect(Number.isFinite(f.baseline.value)).toBe(true);
    }
  });
});
