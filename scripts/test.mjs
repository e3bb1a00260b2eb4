// `npm test [jest args...]`: the whole suite with its integration tests on PostgreSQL, then the
// integration tests again on PGlite (the embedded default), so both backends stay equivalent.
//
//   PostgreSQL reachable at TEST_DATABASE_URL → run 1: everything, TEST_DB=postgres
//                                              run 2: test/integration only, TEST_DB=pglite
//   not reachable, CI=true                    → a loud error, exit 1
//   not reachable otherwise                   → one run, everything on PGlite, with a warning
//   TEST_DB=postgres|pglite set by the caller → one run, everything on that backend
//
// Ends with one line `tests: <N> passed, <M> failed` summed over the runs, and exits non-zero
// when a run failed or ran no tests.
import console from 'node:console';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const JEST = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const RESULTS = join(ROOT, '.test-results');
const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
// Ignores every test path outside test/integration/ (jest matches these against absolute paths).
const INTEGRATION_ONLY = ['--testPathIgnorePatterns=/node_modules/', '--testPathIgnorePatterns=^(?!.*/test/integration/)'];
// test/e2e runs gateway processes that share one PostgreSQL database, and test/browser (the console
// in a real Chromium) checks figures with SQL of its own: both only on the PostgreSQL pass.
const NO_E2E = ['--testPathIgnorePatterns=/node_modules/', '--testPathIgnorePatterns=/test/(e2e|browser)/'];
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const userArgs = process.argv.slice(2);
const url = process.env.TEST_DATABASE_URL || DEFAULT_URL;
const ci = ['true', '1'].includes(String(process.env.CI).toLowerCase());

function redacted(u) {
  try {
    const parsed = new URL(u);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

/** Connects once with a short timeout; returns undefined when PostgreSQL answers, else the reason. */
async function postgresProblem(connectionString) {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (err) {
    return err instanceof Error ? err.message || err.name : String(err);
  }
  try {
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function loud(lines) {
  const bar = '!'.repeat(78);
  console.error(['', bar, ...lines.map((l) => `!! ${l}`), bar, ''].join('\n'));
}

async function planRuns() {
  const explicit = process.env.TEST_DB;
  if (explicit === 'pglite') {
    console.log('Integration tests use PGlite (TEST_DB=pglite): one run, no PostgreSQL.');
    return [{ name: 'pglite', db: 'pglite', args: userArgs }];
  }
  const problem = await postgresProblem(url);
  if (!problem) {
    if (explicit === 'postgres') {
      console.log(`Integration tests use PostgreSQL at ${redacted(url)} (TEST_DB=postgres): one run.`);
      return [{ name: 'postgres', db: 'postgres', args: userArgs }];
    }
    console.log(`Integration tests use PostgreSQL at ${redacted(url)}, then run again on PGlite (embedded).`);
    return [
      { name: 'postgres', db: 'postgres', args: userArgs },
      { name: 'pglite', db: 'pglite', args: [...userArgs, ...INTEGRATION_ONLY], integrationOnly: true },
    ];
  }
  if (ci || explicit === 'postgres') {
    loud([
      `PostgreSQL is not reachable at ${redacted(url)}: ${problem}`,
      ci ? 'CI=true requires PostgreSQL: the integration tests must run against a real server.' : 'TEST_DB=postgres requires it.',
      'Start it (bash .ci/run does) or point TEST_DATABASE_URL at one.',
    ]);
    console.log('tests: 0 passed, 0 failed');
    process.exit(1);
  }
  loud([
    `PostgreSQL is not reachable at ${redacted(url)}: ${problem}`,
    'Running EVERYTHING on PGlite (embedded) instead. CI runs them on PostgreSQL too.',
    'The process tests (test/e2e: several gateway processes on one database) and the browser tests',
    '(test/browser) need PostgreSQL: not run.',
  ]);
  return [{ name: 'pglite', db: 'pglite', args: [...userArgs, ...NO_E2E] }];
}

function jest(args, db, extra = {}, env = {}) {
  return spawnSync(process.execPath, [JEST, ...args], {
    cwd: ROOT,
    env: { ...process.env, TEST_DB: db, ...env },
    stdio: 'inherit',
    ...extra,
  });
}

/** Whether the run's arguments select any test at all (so that a filtered `npm test x` skips an empty PGlite pass). */
function selectsTests(args, db) {
  const listed = jest([...args, '--listTests'], db, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  return listed.status === 0 && listed.stdout.trim() !== '';
}

function runJest(run) {
  const outputFile = join(RESULTS, `${run.name.replace(/[^A-Za-z0-9_-]/g, '_')}.json`);
  console.log(`\n=== jest on ${run.name} (TEST_DB=${run.db})${run.integrationOnly ? ': test/integration only' : ''} ===\n`);
  const { status, signal } = jest([...run.args, '--json', `--outputFile=${outputFile}`], run.db, {}, run.env);
  if (!existsSync(outputFile)) return { name: run.name, passed: 0, failed: 0, ok: false, note: `jest wrote no results (exit ${status ?? signal})` };
  const r = JSON.parse(readFileSync(outputFile, 'utf8'));
  // A suite that could not even run (syntax error, failing beforeAll import) counts as a failure.
  const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
  const ok = status === 0 && r.success && failed === 0 && r.numTotalTests > 0;
  const note = r.numTotalTests === 0 ? 'ran no tests' : `jest exit ${status ?? signal}`;
  return { name: run.name, passed: r.numPassedTests, failed, ok, note };
}

/**
 * Date handling must not depend on the machine's time zone (tests are meaningful only when run
 * under several): the pure date, intake and mapping tests run again under zones east and west of UTC.
 */
const TIME_ZONE_RUNS = ['Asia/Jayapura', 'America/Los_Angeles'].map((tz) => ({
  name: `TZ=${tz}`,
  db: 'pglite',
  env: { TZ: tz },
  args: ['test/unit/fhir/datetime.test.ts', 'test/unit/intake', 'test/unit/mapping', 'test/unit/catalog', 'test/unit/growth'],
}));

/** The generated FHIR schema validator and dist/ must exist and be current; fast when nothing changed. */
function build() {
  const { status } = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (status !== 0) {
    loud(['npm run build failed: fix the build before running the tests.']);
    console.log('tests: 0 passed, 0 failed');
    process.exit(1);
  }
}

/** The browser tests run wherever the PostgreSQL pass runs, never skipped: no Chromium is a failure, said loudly. */
function requireChromium(runs) {
  if (!runs.some((r) => r.db === 'postgres') || existsSync(CHROMIUM)) return;
  loud([
    `Chromium not found at ${CHROMIUM}: the console's browser tests (test/browser) cannot run.`,
    'Install it (apt-get install chromium; bash .ci/run does) or set CHROMIUM_PATH. They are never skipped.',
  ]);
  console.log('tests: 0 passed, 0 failed');
  process.exit(1);
}

async function main() {
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  build();
  const results = [];
  const runs = [...(await planRuns()), ...(userArgs.length === 0 ? TIME_ZONE_RUNS : [])];
  requireChromium(runs);
  for (const run of runs) {
    if (run.integrationOnly && !selectsTests(run.args, run.db)) {
      console.log(`\n(no integration tests among the selected paths: the ${run.name} pass is skipped)`);
      continue;
    }
    results.push(runJest(run));
  }
  console.log('');
  for (const r of results) console.log(`[${r.name}] ${r.passed} passed, ${r.failed} failed (${r.note})${r.ok ? '' : '  <-- FAILED'}`);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log(`tests: ${passed} passed, ${failed} failed`);
  process.exit(results.length > 0 && results.every((r) => r.ok) ? 0 : 1);
}

await main();
