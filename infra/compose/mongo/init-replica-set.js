// One-shot job (service mongo-init): mongosh --nodb --quiet --norc init-replica-set.js
//
// Idempotent, safe to run on every `docker compose up`:
//   1. waits until every member answers `hello` (needs no credentials);
//   2. runs replSetInitiate only if the set is not initiated yet;
//   3. waits until the set has a primary and every member is PRIMARY or SECONDARY;
//   4. creates the application user, or updates its password and roles if it exists.
// The root user it authenticates with was created by mongo-1's first start
// (MONGO_INITDB_ROOT_*) and is replicated to the other members by the initial sync.

const env = process.env;
const TIMEOUT_MS = Number(env.MONGO_INIT_TIMEOUT_MS || 180000);
const POLL_MS = 2000;
const NOT_YET_INITIALIZED = 94;
const ALREADY_INITIALIZED = 23;
const deadline = Date.now() + TIMEOUT_MS;

function log(message) {
  print(`mongo-init: ${message}`);
}

function fail(message) {
  log(message);
  quit(1);
}

function required(name) {
  const value = env[name];
  if (!value) fail(`${name} is required`);
  return value;
}

const replicaSet = env.MONGO_REPLICA_SET || 'rs0';
const members = (env.MONGO_MEMBERS || 'mongo-1:27017,mongo-2:27017,mongo-3:27017')
  .split(',')
  .map((host) => host.trim())
  .filter((host) => host.length > 0);
const root = { user: required('MONGO_ROOT_USERNAME'), pwd: required('MONGO_ROOT_PASSWORD') };
const app = { user: required('MONGO_APP_USERNAME'), pwd: required('MONGO_APP_PASSWORD') };
const database = env.MONGO_DATABASE || 'wiber';

const rootCredentials = `${encodeURIComponent(root.user)}:${encodeURIComponent(root.pwd)}@`;
const TIMEOUTS = 'serverSelectionTimeoutMS=3000&connectTimeoutMS=3000';

function directUri(host, withCredentials) {
  const auth = withCredentials ? rootCredentials : '';
  return `mongodb://${auth}${host}/admin?directConnection=true&authSource=admin&${TIMEOUTS}`;
}

function replicaSetUri() {
  return `mongodb://${rootCredentials}${members.join(',')}/admin?replicaSet=${replicaSet}&authSource=admin&${TIMEOUTS}`;
}

/** Calls `attempt` until it returns something truthy; fails the job at the deadline. */
function waitFor(what, attempt) {
  let lastError;
  while (Date.now() < deadline) {
    try {
      const result = attempt();
      if (result) return result;
    } catch (error) {
      lastError = error;
    }
    sleep(POLL_MS);
  }
  return fail(`timed out after ${TIMEOUT_MS} ms waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}`);
}

/** runCommand that returns {ok: 0, code} instead of throwing, whichever way the shell reports errors. */
function command(db, spec) {
  try {
    return db.runCommand(spec);
  } catch (error) {
    return { ok: 0, code: error.code, errmsg: error.message };
  }
}

// 1. every member is up
for (const host of members) {
  waitFor(`${host} to answer hello`, () => new Mongo(directUri(host, false)).getDB('admin').runCommand({ hello: 1 }).ok === 1);
  log(`${host} is up`);
}

// 2. initiate once
const seed = waitFor(`${members[0]} to accept the root user`, () => {
  const db = new Mongo(directUri(members[0], true)).getDB('admin');
  db.runCommand({ connectionStatus: 1 });
  return db;
});
const status = command(seed, { replSetGetStatus: 1 });
if (status.ok === 1) {
  log(`replica set ${status.set} already initiated`);
} else if (status.code === NOT_YET_INITIALIZED) {
  const config = {
    _id: replicaSet,
    members: members.map((host, index) => ({ _id: index, host, priority: index === 0 ? 2 : 1 })),
  };
  const initiated = command(seed, { replSetInitiate: config });
  if (initiated.ok !== 1 && initiated.code !== ALREADY_INITIALIZED) {
    fail(`replSetInitiate failed: ${initiated.errmsg}`);
  }
  log(`initiated replica set ${replicaSet} with ${members.join(', ')}`);
} else {
  fail(`replSetGetStatus failed: ${status.errmsg}`);
}

// 3. a primary, and every member healthy
waitFor('a primary and all members PRIMARY or SECONDARY', () => {
  const current = command(seed, { replSetGetStatus: 1 });
  if (current.ok !== 1) return false;
  const states = current.members.map((member) => member.stateStr);
  const healthy = states.filter((state) => state === 'PRIMARY' || state === 'SECONDARY').length;
  return states.includes('PRIMARY') && healthy === members.length;
});
log('replica set has a primary and all members are in sync');

// 4. the application user (readWrite on the app database only), through the primary
const admin = new Mongo(replicaSetUri()).getDB('admin');
const roles = [{ role: 'readWrite', db: database }];
const majority = { w: 'majority', wtimeout: 30000 };
if (admin.getUser(app.user) === null) {
  admin.createUser({ user: app.user, pwd: app.pwd, roles }, majority);
  log(`created user ${app.user} (readWrite on ${database})`);
} else {
  admin.updateUser(app.user, { pwd: app.pwd, roles }, majority);
  log(`updated user ${app.user} (readWrite on ${database})`);
}
log('done');
