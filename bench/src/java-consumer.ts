/**
 * Kafka's own Java consumer as a reference: `org.apache.kafka.tools.ConsumerPerformance` from the
 * Kafka jars the infra scripts fetch, on the same topic and broker.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BROKERS, ROOT, uniqueName } from './bench-kit';

function kafkaLibs(): string | null {
  const infra = join(ROOT, '.infra');
  if (!existsSync(infra)) return null;
  const home = readdirSync(infra).find((d) => /^kafka-\d/.test(d));
  return home ? join(infra, home, 'libs', '*') : null;
}

/**
 * Records per second the Java consumer fetched `records` at, from its own report: fetch.nMsg.sec
 * counts from the end of its group join to the last record, like the other two rates. Null when
 * the Kafka jars are not there (the figure then goes without it).
 */
export async function javaConsumerRate(topic: string, records: number): Promise<number | null> {
  const libs = kafkaLibs();
  if (!libs) return null;
  const args = [
    '-Xmx512m',
    '-cp',
    libs,
    'org.apache.kafka.tools.ConsumerPerformance',
    '--bootstrap-server',
    BROKERS.join(','),
    '--topic',
    topic,
    '--messages',
    String(records),
    '--group',
    uniqueName('bench-java'),
    '--timeout',
    '120000',
  ];
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`ConsumerPerformance exited ${code}: ${text}`)),
    );
  });
  // Header then one CSV row: start.time, end.time, data.consumed.in.MB, MB.sec,
  // data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const lines = out.trim().split('\n');
  const header = lines.findIndex((l) => l.includes('fetch.nMsg.sec'));
  if (header < 0 || !lines[header + 1])
    throw new Error(`unexpected ConsumerPerformance output: ${out}`);
  const names = lines[header].split(',').map((s) => s.trim());
  const values = lines[header + 1].split(',').map((s) => s.trim());
  return Number(values[names.indexOf('fetch.nMsg.sec')]);
}
