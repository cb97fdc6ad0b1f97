import type { TelemetryRecord, TopicNames } from '@fulcrum/contracts';
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
  FULCRUM_TOPIC_TELEMETRY: topics.telemetry,
  FULCRUM_TOPIC_TELEMETRY_DLQ: topics.telemetryDlq,
  FULCRUM_TOPIC_RELIABILITY_EVENTS: topics.reliabilityEvents,
  FULCRUM_TOPIC_INGESTION_STATE: topics.ingestionState,
  FULCRUM_INGESTION_GROUP_ID: groupId,
});
