import type { TopicSpec } from '@fulcrum/contracts';
import type { Admin } from 'kafkajs';

/** Creates the missing topics of `specs` (partitions and configs as specified); returns their names. */
export async function ensureTopics(admin: Admin, specs: TopicSpec[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((t) => !existing.has(t.name));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((t) => ({
      topic: t.name,
      numPartitions: t.partitions,
      replicationFactor: 1,
      configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
    })),
  });
  return missing.map((t) => t.name);
}
