import {
  topicEnv,
  type ReliabilityEvent,
  type TelemetryRecord,
  type TopicNames,
} from '@fulcrum/contracts';
import { expectedEvents } from '../support/expected-events';
import {
  committedCount,
  parseValues,
  readTopic,
  waitFor,
  type ReadMessage,
} from '../support/kafka-test-kit';
import { accuracyScenario, errorBudgetScenario } from '../../tools/simulator/src/scenarios';

/**
 * Six models, each with an accuracy and an error-budget story, in event-time order, and a bad
 * record before every 50th good one: what the fault tests stream while they break things.
 */
export function crashWorkload(prefix: string): {
  messages: { key: string; value: string }[];
  valid: TelemetryRecord[];
  invalidOffsets: number;
} {
  const valid: TelemetryRecord[] = [];
  for (let m = 0; m < 6; m++)
    valid.push(...accuracyScenario(`${prefix}-${m}`), ...errorBudgetScenario(`${prefix}-${m}`));
  valid.sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime));
  const messages: { key: string; value: string }[] = [];
  let invalid = 0;
  valid.forEach((r, i) => {
    if (i % 50 === 0) {
      messages.push({ key: r.modelId, value: `{"kind":"prediction","broken":${i}}` });
      invalid++;
    }
    messages.push({ key: r.modelId, value: JSON.stringify(r) });
  });
  return { messages, valid, invalidOffsets: invalid };
}

/** Environment of a spawned metrics-ingestion on the test's own topics and group. */
export const ingestionEnv = (topics: TopicNames, groupId: string): Record<string, string> => ({
  ...topicEnv(topics),
  FULCRUM_INGESTION_GROUP_ID: groupId,
});

/**
 * Waits until the group has committed every message, then reads the reliability events until as
 * many distinct ids have arrived as an uninterrupted run emits, and checks they are the same ids.
 * Returns what was read (repeats of an id included) and what an uninterrupted run emits.
 */
export async function expectUninterruptedOutcome(
  topics: TopicNames,
  groupId: string,
  messages: number,
  valid: TelemetryRecord[],
  what: string,
): Promise<{ events: ReliabilityEvent[]; expected: ReliabilityEvent[] }> {
  await waitFor(
    what,
    async () => (await committedCount(groupId, topics.telemetry)) === messages,
    150_000,
  );
  const expected = expectedEvents(valid);
  const expectedIds = new Set(expected.map((e) => e.eventId));
  const distinct = (ms: ReadMessage[]) =>
    new Set(parseValues<ReliabilityEvent>(ms).map((e) => e.eventId)).size;
  const events = parseValues<ReliabilityEvent>(
    await readTopic(topics.reliabilityEvents, (ms) => distinct(ms) >= expectedIds.size),
  );
  expect(new Set(events.map((e) => e.eventId))).toEqual(expectedIds);
  return { events, expected };
}
