/**
 * Kafka topics shared by both services, the simulator, the infra scripts and the tests.
 * Names are configuration (environment variables) with these defaults; partition counts are the
 * defaults used when the topics are created.
 */
export interface TopicSpec {
  name: string;
  partitions: number;
  config: Record<string, string>;
}

export interface TopicNames {
  telemetry: string;
  telemetryDlq: string;
  reliabilityEvents: string;
  ingestionState: string;
  modelStatus: string;
}

export const DEFAULT_TOPICS: TopicNames = {
  telemetry: 'fulcrum.telemetry.v1',
  telemetryDlq: 'fulcrum.telemetry.dlq.v1',
  reliabilityEvents: 'fulcrum.reliability-events.v1',
  ingestionState: 'fulcrum.ingestion-state.v1',
  modelStatus: 'fulcrum.model-status.v1',
};

/** Reads topic names from the environment, falling back to the defaults above. */
export function topicNamesFromEnv(env: NodeJS.ProcessEnv = process.env): TopicNames {
  return {
    telemetry: env.FULCRUM_TOPIC_TELEMETRY ?? DEFAULT_TOPICS.telemetry,
    telemetryDlq: env.FULCRUM_TOPIC_TELEMETRY_DLQ ?? DEFAULT_TOPICS.telemetryDlq,
    reliabilityEvents: env.FULCRUM_TOPIC_RELIABILITY_EVENTS ?? DEFAULT_TOPICS.reliabilityEvents,
    ingestionState: env.FULCRUM_TOPIC_INGESTION_STATE ?? DEFAULT_TOPICS.ingestionState,
    modelStatus: env.FULCRUM_TOPIC_MODEL_STATUS ?? DEFAULT_TOPICS.modelStatus,
  };
}

/** The inverse of topicNamesFromEnv: the environment that points a service at these topics. */
export function topicEnv(names: TopicNames): Record<string, string> {
  return {
    FULCRUM_TOPIC_TELEMETRY: names.telemetry,
    FULCRUM_TOPIC_TELEMETRY_DLQ: names.telemetryDlq,
    FULCRUM_TOPIC_RELIABILITY_EVENTS: names.reliabilityEvents,
    FULCRUM_TOPIC_INGESTION_STATE: names.ingestionState,
    FULCRUM_TOPIC_MODEL_STATUS: names.modelStatus,
  };
}

export const DEFAULT_TELEMETRY_PARTITIONS = 6;

/**
 * The state changelog has exactly as many partitions as the telemetry topic: a model's checkpoint is
 * written to the partition number its telemetry came from, so an instance restores exactly the
 * partitions it was assigned (the Kafka Streams changelog layout).
 */
export function topicSpecs(
  names: TopicNames,
  telemetryPartitions = DEFAULT_TELEMETRY_PARTITIONS,
): TopicSpec[] {
  return [
    {
      name: names.telemetry,
      partitions: telemetryPartitions,
      config: { 'retention.ms': '604800000' },
    },
    { name: names.telemetryDlq, partitions: 1, config: { 'retention.ms': '1209600000' } },
    { name: names.reliabilityEvents, partitions: 3, config: { 'retention.ms': '2592000000' } },
    // The latest status per model survives compaction; the backlog keeps the hourly history.
    {
      name: names.modelStatus,
      partitions: 3,
      config: {
        'cleanup.policy': 'compact',
        'min.cleanable.dirty.ratio': '0.1',
        'segment.ms': '600000',
      },
    },
    {
      name: names.ingestionState,
      partitions: telemetryPartitions,
      config: {
        'cleanup.policy': 'compact',
        // One model's state is normally a few KB, but one building its reference from raw values
        // with many features can pass the 1 MiB default.
        'max.message.bytes': '8388608',
        'min.cleanable.dirty.ratio': '0.1',
        'segment.ms': '600000',
      },
    },
  ];
}

/** Header names on dead-lettered telemetry. Values are UTF-8 strings. */
/** Headers on every reliability event: its id and type, readable without parsing the value. */
export const RELIABILITY_HEADERS = {
  eventId: 'fulcrum-event-id',
  eventType: 'fulcrum-event-type',
} as const;

export const DLQ_HEADERS = {
  reasonCode: 'fulcrum-dlq-reason-code',
  reason: 'fulcrum-dlq-reason',
  field: 'fulcrum-dlq-field',
  sourceTopic: 'fulcrum-dlq-source-topic',
  sourcePartition: 'fulcrum-dlq-source-partition',
  sourceOffset: 'fulcrum-dlq-source-offset',
  failedAt: 'fulcrum-dlq-failed-at',
} as const;
