import {
  topicEnv,
  type ReliabilityEvent,
  type TelemetryRecord,
  type TopicNames,
} from '@fulcrum/contracts';
import {
  accuracyAndBudgetEvents,
  accuracyAndBudgetStory,
  byId,
  comparable,
  told,
  type ExpectedEvent,
} from '../support/expected-events';
import {
  committedCount,
  parseValues,
  produceTelemetry,
  readAll,
  waitFor,
} from '../support/kafka-test-kit';
import { accuracyScenario, errorBudgetScenario } from '@fulcrum/testing';

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
 * Waits until the group has committed every message, then reads the whole reliability-events topic
 * (to its high-water mark, so late extras and duplicates are seen) and checks: the distinct events
 * are exactly the hand-computed ones (`accuracyAndBudgetEvents`: ids from the README's formula,
 * observed values, thresholds and windows), and any repeat of an id is the same event (at-least-once
 * delivery may repeat an event, never change it or add one). Returns what was read and the oracle.
 */
export async function expectUninterruptedOutcome(
  topics: TopicNames,
  groupId: string,
  messages: number,
  what: string,
  prefix: string,
): Promise<{ events: ReliabilityEvent[]; expected: ExpectedEvent[] }> {
  await waitFor(
    what,
    async () => (await committedCount(groupId, topics.telemetry)) === messages,
    150_000,
  );
  const models = [0, 1, 2, 3, 4, 5].map((m) => `${prefix}-${m}`);
  const story = accuracyAndBudgetStory(models);
  const expected = models.flatMap((m) => accuracyAndBudgetEvents(m));
  // Events are produced and acknowledged before the offsets that caused them are committed, so
  // everything is on the topic now: read it whole.
  const events = parseValues<ReliabilityEvent>(await readAll(topics.reliabilityEvents));
  const first = new Map<string, ReliabilityEvent>();
  for (const e of events) if (!first.has(e.eventId)) first.set(e.eventId, e);
  expect([...first.values()].map(told).sort()).toEqual(story);
  expect(byId([...first.values()].map(comparable))).toEqual(byId(expected));
  const same = ({ emittedAt: _e, ...rest }: ReliabilityEvent) => rest;
  for (const e of events) expect(same(e)).toEqual(same(first.get(e.eventId)!));
  return { events, expected };
}

/**
 * Produces `messages` in slices of 20 every 400 ms (a few seconds of steady traffic), so a fault can
 * strike while records are processed and not yet committed. `stop()` ends it early (a failed step
 * must not leave it producing into the next test file's run); `done` settles when it has finished.
 */
export function pacedProducer(
  topic: string,
  messages: { key: string; value: string }[],
): { done: Promise<void>; stop: () => void } {
  let producing = true;
  const done = (async () => {
    for (let i = 0; producing && i < messages.length; i += 20) {
      await produceTelemetry(topic, messages.slice(i, Math.min(i + 20, messages.length)));
      await new Promise((r) => setTimeout(r, 400));
    }
  })();
  return { done, stop: () => (producing = false) };
}
