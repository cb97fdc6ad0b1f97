/**
 * Fulcrum benchmarks: each figure against a baseline measured in the same run on the same servers.
 * Writes bench/results/latest.json and the table in docs/benchmarks.md.
 *   BENCH_SCALE=small  (a smoke run with tiny sizes; the test suite uses it to keep this from rotting)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { backlogCommands, commandsAsHistoryGrows } from './backlog-commands';
import { SIZES, SMALL, repeated, type Figure } from './figure';
import { detectionLatency } from './detection-latency';
import { endToEnd } from './end-to-end';
import { ingestionThroughput } from './ingestion-throughput';
import { scaleOut } from './scale-out';
import { projectionRebuild } from './projection-rebuild';
import { writeDocs } from './results-docs';
import { stateMemory } from './state-memory-figure';
import { scoredFold } from './scored-fold';
import { statusBurst } from './status-burst';
import { briefRender } from './brief-render';
import { ROOT } from './bench-kit';

async function main(): Promise<void> {
  const started = new Date();
  const figures: Figure[] = [];
  // BENCH_ONLY=throughput,scale,latency,memory,scores,statuses,brief,commands,history,rebuild,e2e runs a subset and records nothing.
  const only = process.env.BENCH_ONLY?.split(',');
  const wanted = (name: string) => !only || only.includes(name);
  let sustained = Number(process.env.BENCH_RATE ?? 30000);
  if (wanted('throughput')) {
    const throughput = await ingestionThroughput();
    figures.push(throughput.figure);
    sustained = throughput.sustained;
  }
  if (wanted('scale')) figures.push(...(await scaleOut()));
  // Figures with a timing target are measured SIZES.repeats times (median, every run, the worst);
  // scale-out, history and rebuild take minutes each and are measured once.
  const times = SIZES.repeats;
  if (wanted('latency')) figures.push(await repeated(times, () => detectionLatency(sustained)));
  if (wanted('memory')) figures.push(...(await stateMemory(times)));
  if (wanted('scores')) figures.push(...(await scoredFold()));
  if (wanted('statuses')) figures.push(...(await statusBurst()));
  if (wanted('brief')) figures.push(...(await briefRender()));
  if (wanted('commands')) figures.push(await repeated(times, backlogCommands));
  if (wanted('history')) figures.push(await commandsAsHistoryGrows());
  if (wanted('rebuild')) figures.push(await projectionRebuild());
  if (wanted('e2e')) figures.push(await repeated(times, endToEnd));
  if (only) {
    console.log(JSON.stringify(figures, null, 2));
    return;
  }
  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kafka: '4.1.1 (KRaft, single node)',
    mongo: 'FerretDB 1.24.2 (PostgreSQL 15 backend)',
  };
  const result = { date: started.toISOString(), scale: SMALL ? 'small' : 'full', machine, figures };
  const out =
    process.env.BENCH_OUT ?? join(ROOT, 'bench/results', SMALL ? 'smoke.json' : 'latest.json');
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  if (!SMALL) writeDocs(result);
  console.log(JSON.stringify(result, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
