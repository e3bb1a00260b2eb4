import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { Logger } from '../kernel';
import { SqlApiClientStore, SqlAssertionReplayStore } from './client-store';
import { SqlAuditStore } from './audit-store';
import { SqlCredentialStore } from './credential-store';
import { SqlWeighingHistory } from './weighing-store';
import type { FhirStores } from './fhir-ports';
import { createFhirStores } from './fhir-stores';
import { MIGRATIONS } from './migrations';
import { SqlOutboxStore } from './outbox-store';
import { loadPGlite, pgliteDriver } from './pglite-pool';
import type { Database } from './ports';
import { SqlPwsStore } from './pws-store';
import { SqlPwsReportStore } from './pws-report-store';
import { SqlConsoleUserStore } from './console-store';
import { SqlRelayStore } from './relay-store';
import { SqlOpsStore } from './ops-store';
import { SqlResourceStore } from './resource-store';
import { withConnection } from './sql';
import { SqlSubmissionStore } from './submission-store';
import { SqlIntakeQueue } from './intake-queue-store';
import { PwsYearMembers } from './pws-year';
import type { YearPopulation } from './pws-ports';
// The composition of the stores: the registry's populations are given to the store here, so that no store decides what to count.
import { yearPopulations } from '../pws/year-populations';

export interface OpenDatabaseOptions {
  /** postgres:// URL; without it the embedded PGlite in `dataDir` is used. */
  url?: string;
  /** PGlite data directory (created when missing), or `memory://` for a throw-away database. Default ./data. */
  dataDir?: string;
  logger?: Logger;
  /** Apply pending migrations before returning. Default true. */
  migrate?: boolean;
  /** Populations counted per calendar year in the write path (src/store/pws-year.ts). Default: every registry population; [] turns it off. */
  pwsYearPopulations?: readonly YearPopulation[];
  /** PGlite only: milliseconds between maintenance runs (GatewayDatabase.maintain); 0 or unset = none. */
  embeddedVacuumMs?: number;
  /**
   * PostgreSQL only (DATABASE_JIT): `off` (default) connects with `-c jit=off` added to the URL's
   * `options` (or PGOPTIONS); `server` sends nothing and keeps what the server or role says, for a
   * pooler that refuses the `options` start-up parameter (PgBouncer by default).
   */
  jit?: 'off' | 'server';
}

/** The Database port plus what operations need (`ilp-gateway migrate`). */
export interface GatewayDatabase extends Database {
  /** Applies pending migrations; returns their names (none when the schema is current). */
  migrate(): Promise<string[]>;
  /**
   * Rebuilds the PWS year tables from every contribution row (migrate() does it when the registry's
   * populations changed; `force` after rows were loaded behind the write path, as the benchmark's seed does).
   */
  rebuildPwsYear(opts?: { force?: boolean; batch?: number }): Promise<{ built: boolean; people: number; members: number; movers: number }>;
  /**
   * PGlite: VACUUM (ANALYZE) of every table, one at a time in its one session (requests wait meanwhile).
   * PGlite runs PostgreSQL in single-user mode, without the autovacuum launcher: nothing else ever
   * reclaims dead rows (every relay delivery updates its outbox row three times) or gathers the
   * statistics the planner needs. PostgreSQL: nothing (the server's autovacuum does it); `ran` false.
   */
  maintain(): Promise<{ ran: boolean; ms: number }>;
  /** The settings the gateway's own sessions run with (on PGlite: what its single session has). */
  sessionSettings(): Promise<{ autovacuum: string; jit: string }>;
}

interface Backend {
  kind: Database['kind'];
  options: Partial<DataSourceOptions>;
  close(): Promise<void>;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<GatewayDatabase> {
  const backend = opts.url ? postgresBackend(opts.url, opts.logger, opts.jit ?? 'off') : await pgliteBackend(opts.dataDir ?? './data', opts.logger);
  const ds = new DataSource({
    ...backend.options,
    type: 'postgres',
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    logging: false,
  } as DataSourceOptions);
  try {
    await ds.initialize();
  } catch (err) {
    await backend.close();
    throw err;
  }
  // The relay's own few connections on PostgreSQL: its short statements must not queue in the pool
  // behind an intake burst's transactions, or delivery falls behind intake (issue #12,
  // docs/performance.md). PGlite is one session whatever the pool, so it shares `ds`.
  let relayDs: DataSource | undefined;
  if (backend.kind === 'postgres') {
    relayDs = new DataSource({ ...backend.options, type: 'postgres', poolSize: RELAY_POOL_SIZE, applicationName: 'ilp-gateway-relay', logging: false } as DataSourceOptions);
    try {
      await relayDs.initialize();
    } catch (err) {
      await ds.destroy();
      await backend.close();
      throw err;
    }
  }
  const db = new SqlDatabase(backend, ds, opts.logger, new PwsYearMembers(opts.pwsYearPopulations ?? yearPopulations()), relayDs);
  if (opts.migrate !== false) {
    try {
      await db.migrate();
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  if (backend.kind === 'pglite' && (opts.embeddedVacuumMs ?? 0) > 0) db.maintainEvery(opts.embeddedVacuumMs as number);
  return db;
}

/** Connections of the relay's pool: its statements are single round trips, a few suffice for 64 deliveries in flight. */
const RELAY_POOL_SIZE = 4;

/**
 * JIT compilation off for the gateway's own sessions (docs/operations.md, "PostgreSQL settings").
 * Its statements are short OLTP statements that JIT never speeds up, but their estimated cost
 * crosses jit_above_cost once the tables grow (always, when no statistics exist): the write path's
 * read then spent 1.5-1.9 s compiling per visit, and a soak at 39 visits/s fell to 4/s after 270 s
 * (issue #12; PostgreSQL docs, "When to JIT?": "JIT is primarily beneficial for long-running
 * CPU-bound queries"). Added to the URL's own `options` (node-postgres lets the URL's value replace
 * any other) or to PGOPTIONS, never replacing them; a `jit` the operator set there wins.
 */
function withJitOff(url: string, pgOptions = process.env.PGOPTIONS): string {
  const u = new URL(url);
  const own = u.searchParams.get('options') ?? pgOptions ?? '';
  if (/(^|\s)(-c\s*|--)jit=/.test(own)) return url;
  u.searchParams.set('options', `${own} -c jit=off`.trim());
  return u.toString();
}

function postgresBackend(url: string, logger: Logger | undefined, jit: 'off' | 'server'): Backend {
  const { protocol } = new URL(url);
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') throw new Error(`database URL must be postgres://, not ${protocol}`);
  return {
    kind: 'postgres',
    options: {
      url: jit === 'off' ? withJitOff(url) : url,
      applicationName: 'ilp-gateway',
      connectTimeoutMS: 10_000,
      poolErrorHandler: (err: unknown) => logger?.warn({ err }, 'idle PostgreSQL connection failed'),
    },
    close: async () => undefined,
  };
}

async function pgliteBackend(dataDir: string, logger: Logger | undefined): Promise<Backend> {
  const memory = dataDir.startsWith('memory://');
  const dir = memory ? dataDir : resolve(dataDir);
  if (!memory) {
    const fresh = !existsSync(join(dir, 'PG_VERSION'));
    mkdirSync(dir, { recursive: true });
    logger?.info(
      fresh
        ? `initialising embedded PostgreSQL (PGlite) in ${dir}; the first start takes ~10 s`
        : `opening embedded PostgreSQL (PGlite) in ${dir}`,
    );
  }
  const lite = await loadPGlite().create(dir);
  return { kind: 'pglite', options: { driver: pgliteDriver(lite) }, close: () => lite.close() };
}

/** Several gateway processes may start at once on one PostgreSQL: only one migrates at a time. */
const MIGRATION_LOCK = `SELECT pg_advisory_lock(hashtextextended('ilp-gateway:migrations', 0))`;
const MIGRATION_UNLOCK = `SELECT pg_advisory_unlock(hashtextextended('ilp-gateway:migrations', 0))`;

class SqlDatabase implements GatewayDatabase {
  readonly kind: Database['kind'];
  readonly submissions: SqlSubmissionStore;
  readonly intakeQueue: SqlIntakeQueue;
  readonly resources: SqlResourceStore;
  readonly outbox: SqlOutboxStore;
  readonly fhir: FhirStores;
  readonly relay: SqlRelayStore;
  readonly credentials: SqlCredentialStore;
  readonly pws: SqlPwsStore;
  readonly pwsReports: SqlPwsReportStore;
  readonly clients: SqlApiClientStore;
  readonly assertions: SqlAssertionReplayStore;
  readonly audit: SqlAuditStore;
  readonly weighings: SqlWeighingHistory;
  readonly ops: SqlOpsStore;
  readonly console: SqlConsoleUserStore;
  private closed = false;
  private maintenanceTimer: NodeJS.Timeout | undefined;
  private maintaining: Promise<{ ran: boolean; ms: number }> | undefined;

  constructor(
    private readonly backend: Backend,
    private readonly ds: DataSource,
    private readonly logger: Logger | undefined,
    private readonly pwsYear: PwsYearMembers,
    private readonly relayDs: DataSource | undefined,
  ) {
    this.kind = backend.kind;
    this.submissions = new SqlSubmissionStore(ds, pwsYear);
    this.intakeQueue = new SqlIntakeQueue(ds, pwsYear);
    this.resources = new SqlResourceStore(ds);
    this.outbox = new SqlOutboxStore(ds);
    this.fhir = createFhirStores(ds, pwsYear);
    this.relay = new SqlRelayStore(relayDs ?? ds, ds);
    this.credentials = new SqlCredentialStore(ds);
    this.pws = new SqlPwsStore(ds, pwsYear);
    this.pwsReports = new SqlPwsReportStore(ds);
    this.clients = new SqlApiClientStore(ds);
    this.assertions = new SqlAssertionReplayStore(ds);
    this.audit = new SqlAuditStore(ds);
    this.weighings = new SqlWeighingHistory(ds);
    this.ops = new SqlOpsStore(ds);
    this.console = new SqlConsoleUserStore(ds);
  }

  async migrate(): Promise<string[]> {
    // PGlite is one session owned by this process: there is nobody to race, and holding the
    // session for a lock would leave none for the migrations themselves.
    if (this.kind === 'pglite') return this.runMigrations();
    const runner = this.ds.createQueryRunner();
    try {
      await runner.query(MIGRATION_LOCK);
      try {
        return await this.runMigrations();
      } finally {
        await runner.query(MIGRATION_UNLOCK);
      }
    } finally {
      await runner.release();
    }
  }

  private async runMigrations(): Promise<string[]> {
    const applied = await this.ds.runMigrations({ transaction: 'all' });
    const names = applied.map((m) => m.name);
    if (names.length > 0) this.logger?.info({ migrations: names }, 'database schema migrated');
    if (this.kind === 'postgres') await this.warnAboutSettings();
    // Under the migration lock: of several gateways starting at once, one builds the PWS year tables.
    const t0 = Date.now();
    const built = await this.pwsYear.rebuild(this.ds);
    if (built.built) this.logger?.info({ ...built, ms: Date.now() - t0 }, 'PWS year membership built from contribution rows');
    return names;
  }

  /**
   * Without autovacuum no table is ever analyzed: the planner estimates from page counts alone and
   * the write path's plans degrade as the tables grow (issue #12); with JIT on (DATABASE_JIT=server
   * and a server or role that leaves it on) the write path compiles its statements. The gateway does
   * not change server settings; it says so at start-up.
   */
  private async warnAboutSettings(): Promise<void> {
    const settings = await this.sessionSettings();
    if (settings.autovacuum !== 'on') {
      this.logger?.warn('PostgreSQL autovacuum is off: tables are never analyzed and query plans degrade as data grows; turn it on (docs/operations.md, "PostgreSQL settings")');
    }
    if (settings.jit !== 'off') {
      this.logger?.warn('PostgreSQL JIT is on for the gateway\'s sessions: the write path slows down as tables grow; set DATABASE_JIT=off or ALTER ROLE … SET jit = off (docs/operations.md, "PostgreSQL settings")');
    }
  }

  async maintain(): Promise<{ ran: boolean; ms: number }> {
    if (this.kind !== 'pglite' || this.closed) return { ran: false, ms: 0 };
    // One run at a time: a run that outlasts the interval is not stacked behind by the next tick.
    this.maintaining ??= (async () => {
      const t0 = Date.now();
      try {
        const tables = await withConnection(this.ds, (sql) => sql.rows<{ name: string }>(
          `SELECT quote_ident(schemaname) || '.' || quote_ident(relname) AS name FROM pg_stat_user_tables ORDER BY 1`));
        // Table by table, each in its own turn of the one session: requests wait for one table at a
        // time, not the whole database, and a close() stops the run between two tables.
        for (const { name } of tables) {
          if (this.closed) break;
          await withConnection(this.ds, (sql) => (this.closed ? Promise.resolve([]) : sql.rows(`VACUUM (ANALYZE) ${name}`)));
        }
        return { ran: true, ms: Date.now() - t0 };
      } finally {
        this.maintaining = undefined;
      }
    })();
    return this.maintaining;
  }

  /** Runs maintain() every `ms` (unref'd: it never keeps the process alive); stopped by close(). */
  maintainEvery(ms: number): void {
    this.maintenanceTimer ??= setInterval(() => {
      this.maintain().then(
        (r) => { if (r.ran) this.logger?.info({ ms: r.ms }, 'embedded database vacuumed and analyzed'); },
        (err: unknown) => this.logger?.error({ err }, 'embedded database maintenance failed'),
      );
    }, ms);
    this.maintenanceTimer.unref();
  }

  async sessionSettings(): Promise<{ autovacuum: string; jit: string }> {
    const [row] = await withConnection(this.ds, (sql) => sql.rows<{ autovacuum: string; jit: string }>(
      `SELECT current_setting('autovacuum') AS autovacuum, coalesce(current_setting('jit', true), 'off') AS jit`));
    return { autovacuum: row?.autovacuum ?? 'unknown', jit: row?.jit ?? 'unknown' };
  }

  rebuildPwsYear(opts: { force?: boolean; batch?: number } = {}): Promise<{ built: boolean; people: number; members: number; movers: number }> {
    return this.pwsYear.rebuild(this.ds, opts);
  }

  async ping(): Promise<void> {
    await withConnection(this.ds, (sql) => sql.rows('SELECT 1'));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.maintenanceTimer) clearInterval(this.maintenanceTimer);
    try {
      // A maintenance run in progress holds the one session: it stops after its current table (maintain()).
      await this.maintaining?.catch(() => undefined);
      if (this.relayDs?.isInitialized) await this.relayDs.destroy();
      if (this.ds.isInitialized) await this.ds.destroy();
    } finally {
      await this.backend.close();
    }
  }
}
