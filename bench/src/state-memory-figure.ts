/** Live state per (model, feature), measured in a child process (state-memory.ts). */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { SIZES, repeated, type Figure } from './figure';
import { ROOT } from './bench-kit';

/** The memory target: at most 700 bytes per (model, feature), and the 100,000-model process under 1.5 GiB RSS. */
const BYTES_PER_MODEL_FEATURE = 700;
const RSS_LIMIT = 1.5 * 2 ** 30;

/** The smallest size `times` times (seconds each), the larger ones once (100,000 models take minutes). */
export async function stateMemory(times: number): Promise<Figure[]> {
  const [first, ...rest] = SIZES.memoryModels;
  return [
    await repeated(times, async () => measure(first)),
    ...rest.map((models) => measure(models)),
  ];
}

function measure(models: number): Figure {
  const out = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      '-r',
      join(ROOT, 'scripts/register-paths.js'),
      join(ROOT, 'dist/bench/src/state-memory.js'),
    ],
    { env: { ...process.env, BENCH_MODELS: String(models) }, maxBuffer: 1 << 20 },
  ).toString();
  const r = JSON.parse(out) as {
    models: number;
    features: number;
    rssBytes: number;
    heapDeltaBytes: number;
    bytesPerModelFeature: number;
    estimatedStateBytes: number;
  };
  return {
    name: `State memory: ${r.models} models × ${r.features} features of live state`,
    value: Math.round(r.bytesPerModelFeature),
    unit: 'bytes per (model, feature), heap',
    baseline: { name: 'process RSS in all', value: Math.round(r.rssBytes / 1048576), unit: 'MiB' },
    target: `≤ ${BYTES_PER_MODEL_FEATURE} B per (model, feature) and < 1.5 GiB in all`,
    met: r.bytesPerModelFeature <= BYTES_PER_MODEL_FEATURE && r.rssBytes < RSS_LIMIT,
    notes: `heap delta ${(r.heapDeltaBytes / 1048576).toFixed(1)} MiB; the model's own byteLength estimate ${(r.estimatedStateBytes / 1048576).toFixed(1)} MiB`,
  };
}
