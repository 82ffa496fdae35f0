#!/usr/bin/env node
'use strict';
// The built bundle (`npx nx build dlq-replayer`); in a checkout without a build, the
// TypeScript source through tsx (a dev dependency of the workspace).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', '..', '..', 'dist', 'apps', 'dlq-replayer', 'main.cjs');
if (existsSync(bundle)) {
  require(bundle);
} else {
  require('tsx/cjs');
  require(join(__dirname, '..', 'src', 'main.ts'));
}
