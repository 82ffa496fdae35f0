#!/usr/bin/env bash
# One-shot job (service mongo-keyfile): the shared secret the replica-set members
# authenticate each other with. Generated once into the mongo-keyfile volume, never
# checked in; mongod refuses a keyfile that others can read, hence 400 and owner mongodb.
set -euo pipefail

KEYFILE=/etc/mongo-keyfile/replica-set.key

if [ ! -s "$KEYFILE" ]; then
  # 756 random bytes -> 1008 base64 characters (mongod accepts 6 to 1024)
  head -c 756 /dev/urandom | base64 -w 0 > "$KEYFILE"
  echo "mongo-keyfile: generated ${KEYFILE}"
else
  echo "mongo-keyfile: keeping the existing ${KEYFILE}"
fi
chown mongodb:mongodb "$KEYFILE"
chmod 400 "$KEYFILE"
