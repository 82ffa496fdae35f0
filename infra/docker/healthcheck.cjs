'use strict';
// Container health check of the app images: GET the readiness URL (first argument, else
// $HEALTHCHECK_URL) and exit 0 on a 2xx answer within the timeout, 1 otherwise.
// An image without a health endpoint (the dlq-replayer CLI) has no URL and reports healthy.
const url = process.argv[2] || process.env.HEALTHCHECK_URL || '';
const TIMEOUT_MS = 4000;

if (url === '') {
  process.stdout.write('no health endpoint configured\n');
  process.exit(0);
}

fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) })
  .then((response) => {
    process.stdout.write(`${url}: ${response.status}\n`);
    process.exit(response.ok ? 0 : 1);
  })
  .catch((error) => {
    process.stdout.write(`${url}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
