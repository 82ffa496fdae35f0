/**
 * The one list of metric names that Wiber's Grafana dashboards and Prometheus alert rules
 * query. infra/test/metrics.spec.ts checks, both ways, that
 *  - every PromQL expression in infra/grafana/dashboards and infra/prometheus/rules only
 *    selects metrics listed here, with labels listed here, and every entry is used; and
 *  - every `wiber` entry is really declared in the apps' or packages' source code, every
 *    `prom-client-default` entry is one of prom-client's default metrics (which
 *    packages/observability registers with the wiber_ prefix), and every `prometheus`
 *    entry is a series Prometheus itself produces.
 * Add a metric here before a panel or rule uses it.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram';

/** Where a metric comes from. */
export type MetricOrigin =
  /** declared with prom-client in Wiber's source (apps/<app>/src or packages/<lib>/src) */
  | 'wiber'
  /** collectDefaultMetrics() of prom-client, registered with the wiber_ prefix */
  | 'prom-client-default'
  /** produced by Prometheus for every target (up, scrape_*) */
  | 'prometheus';

export interface MetricSpec {
  name: string;
  type: MetricType;
  origin: MetricOrigin;
  /** the app whose /metrics carries it (its `service` label); 'all' for default metrics */
  service: 'gateway' | 'ingest-consumer' | 'leader-metrics' | 'all';
  /** labels the metric itself declares (labelNames), beyond the common ones */
  labels: readonly string[];
  help: string;
}

/**
 * Labels every scraped series can carry besides its own: `service` and `instance` from the
 * apps' registry defaults (Prometheus renames the latter to `exported_instance`, since the
 * scrape target's `instance` wins), and `job`/`instance` from the scrape target.
 */
export const COMMON_LABELS: readonly string[] = ['service', 'instance', 'exported_instance', 'job'];

/** Suffixes of the series a histogram is exposed as. */
export const HISTOGRAM_SUFFIXES: readonly string[] = ['_bucket', '_sum', '_count'];

/** Label of a histogram's _bucket series. */
export const HISTOGRAM_BUCKET_LABEL = 'le';

export const METRIC_PREFIX = 'wiber_';

export const METRICS: readonly MetricSpec[] = [
  // gateway (the HTTP metrics come from packages/observability's Express middleware)
  {
    name: 'wiber_http_requests_total',
    type: 'counter',
    origin: 'wiber',
    service: 'gateway',
    labels: ['method', 'route', 'status'],
    help: 'HTTP requests handled, by method, route template and status',
  },
  {
    name: 'wiber_http_request_duration_seconds',
    type: 'histogram',
    origin: 'wiber',
    service: 'gateway',
    labels: ['method', 'route', 'status'],
    help: 'HTTP request latency',
  },
  {
    name: 'wiber_gateway_messages_accepted_total',
    type: 'counter',
    origin: 'wiber',
    service: 'gateway',
    labels: [],
    help: 'Messages acknowledged by Kafka and answered 202',
  },
  {
    name: 'wiber_gateway_produce_duration_seconds',
    type: 'histogram',
    origin: 'wiber',
    service: 'gateway',
    labels: ['outcome'],
    help: 'Time from produce to Kafka acknowledgement (acks=all), by outcome',
  },

  // ingest-consumer
  {
    name: 'wiber_ingest_messages_total',
    type: 'counter',
    origin: 'wiber',
    service: 'ingest-consumer',
    labels: ['result'],
    help: 'Records handled, by result: inserted, duplicate, failed',
  },
  {
    name: 'wiber_ingest_unprocessable_total',
    type: 'counter',
    origin: 'wiber',
    service: 'ingest-consumer',
    labels: ['reason'],
    help: 'Records that can never be stored and were skipped, by reason',
  },
  {
    name: 'wiber_ingest_batch_size',
    type: 'histogram',
    origin: 'wiber',
    service: 'ingest-consumer',
    labels: [],
    help: 'Documents per Mongo insertMany',
  },
  {
    name: 'wiber_ingest_write_duration_seconds',
    type: 'histogram',
    origin: 'wiber',
    service: 'ingest-consumer',
    labels: [],
    help: 'Time until Mongo acknowledged an insertMany',
  },
  {
    name: 'wiber_ingest_end_to_end_latency_seconds',
    type: 'histogram',
    origin: 'wiber',
    service: 'ingest-consumer',
    labels: [],
    help: 'From sentAt (accepted by the gateway) to acknowledged by Mongo',
  },
  {
    name: 'wiber_ingest_retries_total',
    type: 'counter',
    origin: 'wiber',
    service: 'ingest-consumer',
    labels: ['operation'],
    help: 'Failed attempts that will be retried after a backoff, by operation',
  },
  {
    name: 'wiber_ingest_circuit_open',
    type: 'gauge',
    origin: 'wiber',
    service: 'ingest-consumer',
    labels: [],
    help: '1 while consumption is paused because a dependency keeps failing',
  },
  {
    name: 'wiber_ingest_consumer_lag',
    type: 'gauge',
    origin: 'wiber',
    service: 'ingest-consumer',
    labels: ['topic', 'partition'],
    help: 'Records behind the high watermark after the last commit, per assigned partition',
  },
  {
    name: 'wiber_ingest_assigned_partitions',
    type: 'gauge',
    origin: 'wiber',
    service: 'ingest-consumer',
    labels: [],
    help: 'Partitions assigned to this instance',
  },

  // leader-metrics (every instance exports wiber_leader; the leader computes the rest)
  {
    name: 'wiber_leader',
    type: 'gauge',
    origin: 'wiber',
    service: 'leader-metrics',
    labels: [],
    help: '1 on the instance that holds partition 0 of wiber.leader-election, else 0',
  },
  {
    name: 'wiber_leader_epoch',
    type: 'gauge',
    origin: 'wiber',
    service: 'leader-metrics',
    labels: [],
    help: 'Generation id of the current leadership (the fencing token)',
  },
  {
    name: 'wiber_leader_elections_total',
    type: 'counter',
    origin: 'wiber',
    service: 'leader-metrics',
    labels: [],
    help: 'Times this instance became leader',
  },
  {
    name: 'wiber_leader_snapshots_published_total',
    type: 'counter',
    origin: 'wiber',
    service: 'leader-metrics',
    labels: [],
    help: 'MetricsSnapshots this instance published as leader',
  },
  {
    name: 'wiber_leader_snapshot_failures_total',
    type: 'counter',
    origin: 'wiber',
    service: 'leader-metrics',
    labels: ['stage'],
    help: 'Snapshots not published, by stage: collect, publish, fenced',
  },
  {
    name: 'wiber_leader_snapshot_timestamp_seconds',
    type: 'gauge',
    origin: 'wiber',
    service: 'leader-metrics',
    labels: [],
    help: 'When the figures the leader shows were computed',
  },
  {
    name: 'wiber_messages_per_minute',
    type: 'gauge',
    origin: 'wiber',
    service: 'leader-metrics',
    labels: [],
    help: 'Messages stored in the last minute',
  },
  {
    name: 'wiber_active_conversations',
    type: 'gauge',
    origin: 'wiber',
    service: 'leader-metrics',
    labels: [],
    help: 'Conversations with a message in the activity window',
  },
  {
    name: 'wiber_active_users',
    type: 'gauge',
    origin: 'wiber',
    service: 'leader-metrics',
    labels: [],
    help: 'Users who sent a message in the activity window',
  },
  {
    name: 'wiber_consumer_lag',
    type: 'gauge',
    origin: 'wiber',
    service: 'leader-metrics',
    labels: ['group', 'topic', 'partition'],
    help: 'Consumer lag per group and partition, from the committed offsets',
  },
  {
    name: 'wiber_dlq_depth',
    type: 'gauge',
    origin: 'wiber',
    service: 'leader-metrics',
    labels: [],
    help: 'Records in wiber.messages.dlq',
  },

  // dead-letter queue (written by the ingest-consumer's DLQ sink)
  {
    name: 'wiber_dlq_messages_total',
    type: 'counter',
    origin: 'wiber',
    service: 'ingest-consumer',
    labels: ['reason'],
    help: 'Records written to wiber.messages.dlq, by reason',
  },

  // prom-client default metrics of every app
  {
    name: 'wiber_process_cpu_seconds_total',
    type: 'counter',
    origin: 'prom-client-default',
    service: 'all',
    labels: [],
    help: 'User and system CPU time',
  },
  {
    name: 'wiber_process_resident_memory_bytes',
    type: 'gauge',
    origin: 'prom-client-default',
    service: 'all',
    labels: [],
    help: 'Resident memory size',
  },
  {
    name: 'wiber_nodejs_heap_size_used_bytes',
    type: 'gauge',
    origin: 'prom-client-default',
    service: 'all',
    labels: [],
    help: 'V8 heap in use',
  },
  {
    name: 'wiber_nodejs_eventloop_lag_p99_seconds',
    type: 'gauge',
    origin: 'prom-client-default',
    service: 'all',
    labels: [],
    help: '99th percentile of the event loop lag',
  },

  // Prometheus
  {
    name: 'up',
    type: 'gauge',
    origin: 'prometheus',
    service: 'all',
    labels: [],
    help: '1 if the last scrape of the target succeeded',
  },
];

/** The catalogue entry a selected series name belongs to (histogram suffixes resolved). */
export function findMetric(seriesName: string, metrics: readonly MetricSpec[] = METRICS): MetricSpec | undefined {
  const exact = metrics.find((metric) => metric.name === seriesName);
  if (exact !== undefined) return exact;
  for (const suffix of HISTOGRAM_SUFFIXES) {
    if (!seriesName.endsWith(suffix)) continue;
    const base = seriesName.slice(0, -suffix.length);
    const histogram = metrics.find((metric) => metric.name === base && metric.type === 'histogram');
    if (histogram !== undefined) return histogram;
  }
  return undefined;
}

/** Labels a selector of `seriesName` may use: the metric's, the common ones, and `le` on buckets. */
export function allowedLabels(seriesName: string, metric: MetricSpec): readonly string[] {
  const bucket = metric.type === 'histogram' && seriesName.endsWith('_bucket') ? [HISTOGRAM_BUCKET_LABEL] : [];
  return [...metric.labels, ...COMMON_LABELS, ...bucket];
}
