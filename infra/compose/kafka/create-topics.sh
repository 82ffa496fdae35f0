#!/usr/bin/env bash
# One-shot job (service kafka-init): creates the design's topics if they do not exist and
# (re)applies their configs, so running it again converges instead of failing.
# The topic table must match packages/kafka/src/topics.ts (infra/test/compose.spec.ts checks it).
set -euo pipefail

BOOTSTRAP="${KAFKA_BOOTSTRAP:-kafka-1:9092,kafka-2:9092,kafka-3:9092}"
BIN=/opt/kafka/bin
REPLICATION_FACTOR=3
WEEK_MS=604800000

# name | partitions | configs (comma-separated key=value; list values in [brackets])
TOPICS=(
  "wiber.messages|6|min.insync.replicas=2"
  "wiber.messages.dlq|3|min.insync.replicas=2"
  "wiber.metrics|1|min.insync.replicas=2,cleanup.policy=[compact,delete],retention.ms=${WEEK_MS}"
  "wiber.leader-election|1|min.insync.replicas=2"
)

echo "kafka-init: waiting for ${BOOTSTRAP}"
for attempt in $(seq 1 60); do
  if "$BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --list > /dev/null 2>&1; then break; fi
  if [ "$attempt" -eq 60 ]; then echo "kafka-init: cluster not reachable at ${BOOTSTRAP}" >&2; exit 1; fi
  sleep 2
done

for spec in "${TOPICS[@]}"; do
  IFS='|' read -r name partitions configs <<< "$spec"
  "$BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor "$REPLICATION_FACTOR"
  "$BIN/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --alter \
    --entity-type topics --entity-name "$name" --add-config "$configs"

  # an existing topic with fewer partitions than the design is an operator decision, not ours
  actual=$("$BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --describe --topic "$name" \
    | sed -n 's/.*PartitionCount: *\([0-9]*\).*/\1/p' | head -n 1)
  if [ "$actual" != "$partitions" ]; then
    echo "kafka-init: ${name} has ${actual:-?} partitions, the design wants ${partitions}" >&2
    exit 1
  fi
  echo "kafka-init: ${name} ready (${partitions} partitions, RF ${REPLICATION_FACTOR}, ${configs})"
done

"$BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --describe --topic 'wiber\..*'
echo "kafka-init: done"
