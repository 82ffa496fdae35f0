import { buildDashboard, query, row, stat, timeseries, type Dashboard, type PanelSpec, type Query } from './grafana';

/**
 * Wiber's Grafana dashboards. Edit here, then regenerate the provisioned files with
 * `npx nx run infra:generate-dashboards` (a test fails while they are out of date).
 *
 * Every expression is plain PromQL (fixed rate windows, no Grafana variables), so each can be
 * evaluated as is against any Prometheus that scrapes the apps, the local stack's included.
 * Metric names must be in infra/src/metrics-catalog.ts.
 */

const GATEWAY = 'service="gateway"';

/** Keeps only the series of the instance that currently leads (every instance exports wiber_leader). */
function fromLeader(selector: string): string {
  return `${selector} * on (instance) group_left () (wiber_leader == 1)`;
}

function quantiles(histogram: string, matchers: string, by: string[] = [], levels: number[] = [0.5, 0.95, 0.99]): Query[] {
  const groupBy = ['le', ...by].join(', ');
  const selector = matchers === '' ? `${histogram}_bucket` : `${histogram}_bucket{${matchers}}`;
  const extra = by.map((label) => ` {{${label}}}`).join('');
  return levels.map((level) =>
    query(`histogram_quantile(${level}, sum by (${groupBy}) (rate(${selector}[1m])))`, `p${Math.round(level * 100)}${extra}`),
  );
}

function errorRatio(statusPattern: string): string {
  return (
    `(sum(rate(wiber_http_requests_total{${GATEWAY},status=~"${statusPattern}"}[1m])) or vector(0))` +
    ` / sum(rate(wiber_http_requests_total{${GATEWAY}}[1m]))`
  );
}

function processPanels(service: string): PanelSpec[] {
  const of = `service="${service}"`;
  return [
    row('Process'),
    timeseries('Resident memory', 'bytes', [query(`sum by (instance) (wiber_process_resident_memory_bytes{${of}})`, '{{instance}}')], { width: 6 }),
    timeseries('CPU (cores)', 'short', [query(`sum by (instance) (rate(wiber_process_cpu_seconds_total{${of}}[1m]))`, '{{instance}}')], { width: 6 }),
    timeseries('Heap used', 'bytes', [query(`sum by (instance) (wiber_nodejs_heap_size_used_bytes{${of}})`, '{{instance}}')], { width: 6 }),
    timeseries('Event loop lag p99', 's', [query(`max by (instance) (wiber_nodejs_eventloop_lag_p99_seconds{${of}})`, '{{instance}}')], { width: 6 }),
  ];
}

const requestRate = timeseries(
  'Gateway request rate by route',
  'reqps',
  [query(`sum by (route) (rate(wiber_http_requests_total{${GATEWAY}}[1m]))`, '{{route}}')],
  { width: 8, stacked: true },
);

const requestLatency = timeseries('Gateway latency quantiles', 's', quantiles('wiber_http_request_duration_seconds', GATEWAY), {
  width: 8,
  description: 'Over all routes, from the request middleware',
});

const errorRate = timeseries('Gateway error rate', 'percentunit', [query(errorRatio('5..'), '5xx'), query(errorRatio('4..'), '4xx')], {
  width: 8,
  description: 'Share of responses with a 5xx (server) or 4xx (client) status',
  thresholds: [
    { color: 'green', value: null },
    { color: 'red', value: 0.05 },
  ],
});

const acceptedVsStored = timeseries(
  'Messages accepted vs stored',
  'ops',
  [
    query('sum(rate(wiber_gateway_messages_accepted_total[1m]))', 'accepted (gateway, Kafka acked)'),
    query('sum(rate(wiber_ingest_messages_total{result="inserted"}[1m]))', 'stored (ingest, Mongo acked)'),
    query('sum(rate(wiber_ingest_messages_total{result="duplicate"}[1m]))', 'duplicates (already stored)'),
    query('sum(rate(wiber_ingest_messages_total{result="failed"}[1m]))', 'failed (dead-lettered)'),
  ],
  { width: 12 },
);

const endToEnd = timeseries('End-to-end latency (accepted to stored)', 's', quantiles('wiber_ingest_end_to_end_latency_seconds', '', [], [0.5, 0.99]), {
  width: 12,
  description: 'From sentAt (gateway) to the Mongo acknowledgement, per newly stored message',
});

const lagByGroup = timeseries(
  'Consumer lag',
  'short',
  [
    query(`sum by (group) (${fromLeader('wiber_consumer_lag')})`, '{{group}} (leader-metrics)'),
    query('sum(wiber_ingest_consumer_lag)', 'wiber.ingest (as the ingest consumers see it)'),
  ],
  { width: 12, description: 'Records behind the end of the log; the leader computes it from committed offsets' },
);

const dlqDepth = timeseries('Dead-letter queue depth', 'short', [query(`sum(${fromLeader('wiber_dlq_depth')})`, 'records in wiber.messages.dlq')], {
  width: 6,
});

const dlqRate = timeseries('Dead-lettered by reason', 'ops', [query('sum by (reason) (rate(wiber_dlq_messages_total[5m]))', '{{reason}}')], {
  width: 6,
});

const currentLeader = stat('Current leader', 'none', [query('wiber_leader == 1', '{{exported_instance}} ({{instance}})')], {
  showName: true,
  description: 'The leader-metrics instance holding partition 0 of wiber.leader-election',
});

const leaderEpoch = stat('Leader epoch', 'none', [query('max(wiber_leader_epoch)', 'epoch')], {
  description: 'Generation id of the current leadership (its fencing token)',
});

const elections = stat('Leader elections (1h)', 'none', [query('sum(increase(wiber_leader_elections_total[1h]))', 'elections')]);

const leaderCount = stat('Instances leading', 'none', [query('sum(wiber_leader)', 'leaders')], {
  description: 'Exactly 1 when healthy',
  thresholds: [
    { color: 'red', value: null },
    { color: 'green', value: 1 },
    { color: 'red', value: 2 },
  ],
});

const messagesPerMinute = stat('Messages per minute', 'none', [query(`max(${fromLeader('wiber_messages_per_minute')})`, 'messages/min')]);
const activeConversations = stat('Active conversations', 'none', [query(`max(${fromLeader('wiber_active_conversations')})`, 'conversations')]);
const activeUsers = stat('Active users', 'none', [query(`max(${fromLeader('wiber_active_users')})`, 'users')]);

export const OVERVIEW = buildDashboard({
  uid: 'wiber-overview',
  title: 'Wiber — overview',
  description: 'Traffic, latency, errors, message flow, lag, dead letters and the elected leader',
  tags: ['wiber'],
  panels: [
    row('Gateway'),
    requestRate,
    requestLatency,
    errorRate,
    row('Messages'),
    acceptedVsStored,
    endToEnd,
    lagByGroup,
    dlqDepth,
    dlqRate,
    row('Leader'),
    currentLeader,
    leaderEpoch,
    elections,
    leaderCount,
    messagesPerMinute,
    activeConversations,
    activeUsers,
  ],
});

export const GATEWAY_DASHBOARD = buildDashboard({
  uid: 'wiber-gateway',
  title: 'Wiber — gateway',
  description: 'The HTTP API: requests, latency, errors and producing to Kafka',
  tags: ['wiber', 'gateway'],
  panels: [
    row('HTTP'),
    timeseries(
      'Requests by route and status',
      'reqps',
      [query(`sum by (route, status) (rate(wiber_http_requests_total{${GATEWAY}}[1m]))`, '{{route}} {{status}}')],
      { width: 12 },
    ),
    timeseries('Latency p99 by route', 's', quantiles('wiber_http_request_duration_seconds', GATEWAY, ['route'], [0.99]), { width: 12 }),
    requestLatency,
    errorRate,
    timeseries('Responses by status', 'reqps', [query(`sum by (status) (rate(wiber_http_requests_total{${GATEWAY}}[1m]))`, '{{status}}')], {
      width: 8,
      stacked: true,
    }),
    row('Kafka'),
    timeseries('Messages accepted', 'ops', [query('sum(rate(wiber_gateway_messages_accepted_total[1m]))', 'accepted')], { width: 12 }),
    timeseries('Produce latency (acks=all)', 's', quantiles('wiber_gateway_produce_duration_seconds', '', ['outcome'], [0.5, 0.99]), {
      width: 12,
    }),
    ...processPanels('gateway'),
  ],
});

export const INGEST_DASHBOARD = buildDashboard({
  uid: 'wiber-ingest-consumer',
  title: 'Wiber — ingest-consumer',
  description: 'Consumer group wiber.ingest: throughput, batches, Mongo writes, retries, lag',
  tags: ['wiber', 'ingest-consumer'],
  panels: [
    row('Throughput'),
    timeseries('Records by result', 'ops', [query('sum by (result) (rate(wiber_ingest_messages_total[1m]))', '{{result}}')], { width: 12 }),
    timeseries('End-to-end latency', 's', quantiles('wiber_ingest_end_to_end_latency_seconds', ''), { width: 12 }),
    timeseries('Batch size', 'short', quantiles('wiber_ingest_batch_size', '', [], [0.5, 0.99]), { width: 8 }),
    timeseries('Mongo write duration', 's', quantiles('wiber_ingest_write_duration_seconds', '', [], [0.5, 0.99]), { width: 8 }),
    timeseries('Unprocessable by reason', 'ops', [query('sum by (reason) (rate(wiber_ingest_unprocessable_total[5m]))', '{{reason}}')], {
      width: 8,
    }),
    row('Health'),
    timeseries('Retries by operation', 'ops', [query('sum by (operation) (rate(wiber_ingest_retries_total[1m]))', '{{operation}}')], {
      width: 12,
    }),
    stat('Circuit open', 'none', [query('max(wiber_ingest_circuit_open)', 'open')], {
      description: '1 while consumption is paused because Mongo or the registry keeps failing',
      thresholds: [
        { color: 'green', value: null },
        { color: 'red', value: 1 },
      ],
    }),
    stat('Instances up', 'none', [query('count(up{job="ingest-consumer"} == 1)', 'instances')]),
    row('Partitions'),
    timeseries('Lag by partition', 'short', [query('sum by (partition) (wiber_ingest_consumer_lag)', 'partition {{partition}}')], {
      width: 12,
    }),
    timeseries('Assigned partitions by instance', 'short', [query('sum by (instance) (wiber_ingest_assigned_partitions)', '{{instance}}')], {
      width: 12,
    }),
    ...processPanels('ingest-consumer'),
  ],
});

export const LEADER_DASHBOARD = buildDashboard({
  uid: 'wiber-leader-metrics',
  title: 'Wiber — leader-metrics',
  description: 'The elected aggregator: leadership, failovers and the system metrics it computes',
  tags: ['wiber', 'leader-metrics'],
  panels: [
    row('Leadership'),
    currentLeader,
    leaderEpoch,
    leaderCount,
    stat('Instances up', 'none', [query('count(up{job="leader-metrics"} == 1)', 'instances')]),
    timeseries('Leader by instance', 'none', [query('max by (instance) (wiber_leader)', '{{instance}}')], { width: 12 }),
    timeseries('Elections by instance (1h)', 'none', [query('sum by (instance) (increase(wiber_leader_elections_total[1h]))', '{{instance}}')], {
      width: 12,
    }),
    timeseries(
      'Snapshots published and failed',
      'ops',
      [
        query('sum(rate(wiber_leader_snapshots_published_total[5m]))', 'published'),
        query('sum by (stage) (rate(wiber_leader_snapshot_failures_total[5m]))', 'failed: {{stage}}'),
      ],
      { width: 12, description: 'MetricsSnapshots written to wiber.metrics by the leader; failures by stage (collect, publish, fenced)' },
    ),
    stat('Age of the figures', 's', [query('time() - max(wiber_leader_snapshot_timestamp_seconds)', 'age')], {
      width: 12,
      description: 'Seconds since the leader last computed the figures below',
      thresholds: [
        { color: 'green', value: null },
        { color: 'red', value: 120 },
      ],
    }),
    row('System metrics (from the leader)'),
    timeseries('Messages per minute', 'none', [query(`max(${fromLeader('wiber_messages_per_minute')})`, 'messages/min')], { width: 8 }),
    timeseries(
      'Active conversations and users',
      'none',
      [query(`max(${fromLeader('wiber_active_conversations')})`, 'conversations'), query(`max(${fromLeader('wiber_active_users')})`, 'users')],
      { width: 8 },
    ),
    dlqDepth,
    timeseries('Consumer lag by group and partition', 'short', [
      query(`sum by (group, partition) (${fromLeader('wiber_consumer_lag')})`, '{{group}} / {{partition}}'),
    ], { width: 24 }),
    ...processPanels('leader-metrics'),
  ],
});

export const DLQ_DASHBOARD = buildDashboard({
  uid: 'wiber-dlq',
  title: 'Wiber — dead letters and dlq-replayer',
  description: 'What is dead-lettered, why, and what the dlq-replayer has not replayed yet',
  tags: ['wiber', 'dlq-replayer'],
  panels: [
    row('Dead letters'),
    stat('Dead-lettered (1h)', 'none', [query('sum(increase(wiber_dlq_messages_total[1h])) or vector(0)', 'records')]),
    stat('Queue depth', 'none', [query(`sum(${fromLeader('wiber_dlq_depth')})`, 'records')]),
    stat('Not replayed yet', 'none', [query(`sum(${fromLeader('wiber_consumer_lag{group="wiber.dlq-replayer"}')})`, 'records')], {
      description: 'Lag of the dlq-replayer consumer group on wiber.messages.dlq',
    }),
    stat('Ingest records failed (1h)', 'none', [query('sum(increase(wiber_ingest_messages_total{result="failed"}[1h]))', 'records')]),
    timeseries('Dead-lettered by reason', 'ops', [query('sum by (reason) (rate(wiber_dlq_messages_total[5m]))', '{{reason}}')], { width: 12 }),
    timeseries('Unprocessable in ingest by reason', 'ops', [
      query('sum by (reason) (rate(wiber_ingest_unprocessable_total[5m]))', '{{reason}}'),
    ], { width: 12 }),
    timeseries('Depth over time', 'short', [query(`sum(${fromLeader('wiber_dlq_depth')})`, 'records in wiber.messages.dlq')], { width: 24 }),
  ],
});

/** file name (in infra/grafana/dashboards) -> dashboard */
export const DASHBOARDS: ReadonlyArray<{ file: string; dashboard: Dashboard }> = [
  { file: 'wiber-overview.json', dashboard: OVERVIEW },
  { file: 'wiber-gateway.json', dashboard: GATEWAY_DASHBOARD },
  { file: 'wiber-ingest-consumer.json', dashboard: INGEST_DASHBOARD },
  { file: 'wiber-leader-metrics.json', dashboard: LEADER_DASHBOARD },
  { file: 'wiber-dlq.json', dashboard: DLQ_DASHBOARD },
];
