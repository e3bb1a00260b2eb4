import { deepFreeze } from '../kernel';
import { loadAuthConfig, type AuthConfig } from './auth-config';
import { numberVar, type Env } from './env';
import { loadAuditConfig, type AuditConfig } from './audit-config';
import { loadConsoleConfig, type ConsoleConfig } from './console-config';
import { loadFhirConfig, type FhirConfig } from './fhir-config';
import { loadPwsReportsConfig, type PwsReportsConfig } from './pws-config';
import { loadOpsConfig, type OpsConfig } from './ops-config';
import { loadRelayConfig, loadSimConfig, type RelayConfig, type SimConfig } from './relay-config';

/**
 * The gateway's configuration: read from the environment once, validated with every error listed,
 * frozen, and passed in. Nothing else in src/ reads process.env.
 */
export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  /** postgres:// URL; undefined → embedded PGlite in dataDir. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** `off`: the gateway's PostgreSQL sessions run without JIT; `server`: the server's or role's setting (DATABASE_JIT). */
  readonly databaseJit: 'off' | 'server';
  /** Minutes between VACUUM (ANALYZE) runs of the embedded PGlite, which has no autovacuum; 0 = never (EMBEDDED_VACUUM_MINUTES). */
  readonly embeddedVacuumMinutes: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly authDisabled: boolean;
  readonly bodyLimitBytes: number;
  readonly maxJsonDepth: number;
  readonly national: {
    /** undefined → start the built-in simulator on simPort and relay to it. */
    readonly fhirUrl: string | undefined;
    readonly authUrl: string | undefined;
    readonly clientId: string | undefined;
    readonly clientSecret: string | undefined;
    readonly orgId: string | undefined;
  };
  readonly simPort: number;
  /** The relay to SATUSEHAT and its admin API (issue #4). */
  readonly relay: RelayConfig;
  /** The built-in national-platform simulator (issue #4). */
  readonly sim: SimConfig;
  /** The FHIR API and Bulk export (issue #5). */
  readonly fhir: FhirConfig;
  /** API authentication: clients, signing keys, abuse limits (issue #8). */
  readonly auth: AuthConfig;
  /** The audit trail (issue #8). */
  readonly audit: AuditConfig;
  /** NDJSON bulk import, POST /ilp/v1/encounters/$import (issue 12). */
  readonly import: ImportConfig;
  /** How an accepted ILP visit is written: at once, or queued and materialised after (docs/decisions/0022). */
  readonly intake: IntakeConfig;
  /** The monthly village MeasureReport job (issue #10). */
  readonly pwsReports: PwsReportsConfig;
  /** Intake attempts and the operations console (issue 11). */
  readonly ops: OpsConfig;
  /** The web console under /console (issue #11). */
  readonly console: ConsoleConfig;
}

export interface IntakeConfig {
  /**
   * `direct` (default): a visit is written whole (resources, search index, PWS rows, outbox) before
   * its 202. `queued`: its validated payload is kept durably and answered 202 `received` at once,
   * and the materialiser writes it after; FHIR search and PWS figures lag by the queue (INTAKE_MODE).
   */
  readonly mode: 'direct' | 'queued';
  /** Queued visits written in one transaction at most (MATERIALISE_BATCH). */
  readonly batchSize: number;
  /** Materialiser loops of this process, each on its own connection (MATERIALISE_WRITERS; 3 on PostgreSQL, 1 on the embedded PGlite). */
  readonly writers: number;
  /** How long a claimed batch is this process's: a crashed process's visits are taken over after it (MATERIALISE_LEASE_SECONDS). */
  readonly leaseSeconds: number;
  /** How often an idle materialiser looks for visits queued by other processes (MATERIALISE_POLL_MS). */
  readonly pollMs: number;
  /**
   * Intake first: while visits arrive (or an `$import` upload runs), the materialiser takes at most
   * this share of its time, in percent, so a burst is accepted at close to full speed; 100 = it
   * never pauses (MATERIALISE_BUSY_SHARE).
   */
  readonly busySharePercent: number;
  /** ...but never while the oldest queued visit is older than this: the lag a burst may build (MATERIALISE_MAX_LAG_SECONDS). */
  readonly maxLagSeconds: number;
}

export interface ImportConfig {
  /** The whole upload; lines beyond it are not read (IMPORT_MAX_BYTES). */
  readonly maxBytes: number;
  /** One line (one visit); a longer line is skipped and answered 413 (IMPORT_MAX_LINE_BYTES, default BODY_LIMIT_BYTES). */
  readonly maxLineBytes: number;
  /** Lines prepared (validated, mapped) concurrently ahead of the write; results are still written in input order (IMPORT_CONCURRENCY). */
  readonly concurrency: number;
  /** Accepted lines written in one transaction at most: group commit (IMPORT_GROUP_SIZE). */
  readonly groupSize: number;
  /** Group transactions of one upload written at once, each on its own pooled connection (IMPORT_WRITERS). */
  readonly writers: number;
  /**
   * Group transactions written at once by all uploads of this process together (IMPORT_WRITERS_TOTAL):
   * a group beyond it waits its turn (FIFO), so concurrent uploads leave the rest of the main pool
   * (10 connections) to the single intake and the FHIR API.
   */
  readonly writersTotal: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const intVar = numberVar;

function urlVar(env: Env, name: string, protocols: string[], problems: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  try {
    const u = new URL(raw);
    if (!protocols.includes(u.protocol)) problems.push(`${name} must use ${protocols.join(' or ')}, got "${u.protocol}"`);
  } catch {
    problems.push(`${name} is not a URL`);
  }
  return raw.replace(/\/+$/, '');
}

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const nodeEnvRaw = env.NODE_ENV ?? 'development';
  const nodeEnv = (['development', 'production', 'test'] as const).find((e) => e === nodeEnvRaw);
  if (!nodeEnv) problems.push(`NODE_ENV must be development, production or test, got "${nodeEnvRaw}"`);

  const logLevelRaw = env.LOG_LEVEL ?? 'info';
  const logLevel = LOG_LEVELS.find((l) => l === logLevelRaw);
  if (!logLevel) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevelRaw}"`);

  const databaseJitRaw = env.DATABASE_JIT || 'off';
  const databaseJit = (['off', 'server'] as const).find((v) => v === databaseJitRaw);
  if (!databaseJit) problems.push(`DATABASE_JIT must be off or server, got "${databaseJitRaw}"`);

  const intakeModeRaw = env.INTAKE_MODE || 'direct';
  const intakeMode = (['direct', 'queued'] as const).find((v) => v === intakeModeRaw);
  if (!intakeMode) problems.push(`INTAKE_MODE must be direct or queued, got "${intakeModeRaw}"`);

  const authDisabled = env.AUTH_DISABLED === '1';
  if (env.AUTH_DISABLED !== undefined && !['0', '1', ''].includes(env.AUTH_DISABLED)) {
    problems.push(`AUTH_DISABLED must be 1 or 0, got "${env.AUTH_DISABLED}"`);
  }
  if (authDisabled && nodeEnv === 'production') {
    problems.push('AUTH_DISABLED=1 is refused when NODE_ENV=production: authentication cannot be turned off in production');
  }

  const national = {
    fhirUrl: urlVar(env, 'NATIONAL_FHIR_URL', ['http:', 'https:'], problems),
    authUrl: urlVar(env, 'NATIONAL_AUTH_URL', ['http:', 'https:'], problems),
    clientId: env.NATIONAL_CLIENT_ID || undefined,
    clientSecret: env.NATIONAL_CLIENT_SECRET || undefined,
    orgId: env.NATIONAL_ORG_ID || undefined,
  };
  if (national.fhirUrl && !national.authUrl) problems.push('NATIONAL_AUTH_URL is required when NATIONAL_FHIR_URL is set');
  if (national.clientId && !national.clientSecret) problems.push('NATIONAL_CLIENT_SECRET is required when NATIONAL_CLIENT_ID is set');
  if (national.orgId && !/^\d{6,12}$/.test(national.orgId)) problems.push('NATIONAL_ORG_ID must be a SATUSEHAT organization id (digits)');

  const auth = loadAuthConfig(env, problems);
  // API clients may live in the database alone (ilp-gateway clients add); start-up refuses a
  // production gateway with no active client at all (src/auth/setup.ts).
  if (nodeEnv === 'production' && !authDisabled) {
    if (!auth.signingKey) problems.push('AUTH_SIGNING_KEY is required when NODE_ENV=production (tokens must verify on every replica)');
    if (!env.PUBLIC_BASE_URL) problems.push('PUBLIC_BASE_URL is required when NODE_ENV=production (the audience of client assertions and the base of every link)');
  }
  if (nodeEnv === 'production' && !national.fhirUrl) {
    problems.push('NATIONAL_FHIR_URL is required when NODE_ENV=production: the built-in simulator must never receive real visits');
  }

  const config: Config = {
    nodeEnv: nodeEnv ?? 'development',
    port: intVar(env, 'PORT', 8080, 0, 65535, problems),
    host: env.HOST || '0.0.0.0',
    databaseUrl: urlVar(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], problems),
    dataDir: env.DATA_DIR || './data',
    databaseJit: databaseJit ?? 'off',
    embeddedVacuumMinutes: intVar(env, 'EMBEDDED_VACUUM_MINUTES', 60, 0, 1440, problems),
    logLevel: logLevel ?? 'info',
    authDisabled,
    bodyLimitBytes: intVar(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600, problems),
    maxJsonDepth: intVar(env, 'MAX_JSON_DEPTH', 32, 4, 256, problems),
    national,
    simPort: intVar(env, 'SIM_PORT', 8090, 0, 65535, problems),
    relay: loadRelayConfig(env, problems),
    sim: loadSimConfig(env, problems),
    fhir: loadFhirConfig(env, env.DATA_DIR || './data', problems),
    auth,
    audit: loadAuditConfig(env, nodeEnv === 'production', problems),
    import: {
      maxBytes: intVar(env, 'IMPORT_MAX_BYTES', 104_857_600, 1024, 10_737_418_240, problems),
      maxLineBytes: intVar(env, 'IMPORT_MAX_LINE_BYTES', intVar(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600, []), 1024, 104_857_600, problems),
      concurrency: intVar(env, 'IMPORT_CONCURRENCY', 4, 1, 64, problems),
      groupSize: intVar(env, 'IMPORT_GROUP_SIZE', 32, 1, 500, problems),
      // Several groups at once keep PostgreSQL's backends busy while the gateway prepares the next
      // lines (issue #12, docs/performance.md); the pool has 10 connections, the single intake keeps the rest.
      writers: intVar(env, 'IMPORT_WRITERS', 3, 1, 8, problems),
      // ...and every upload of the process together (issue #12 follow-up): three or four uploads at
      // IMPORT_WRITERS each would otherwise hold the whole pool.
      writersTotal: intVar(env, 'IMPORT_WRITERS_TOTAL', 4, 1, 8, problems),
    },
    intake: {
      mode: intakeMode ?? 'direct',
      batchSize: intVar(env, 'MATERIALISE_BATCH', 32, 1, 500, problems),
      // The embedded PGlite is one session whose queries block the event loop: one loop, or the
      // rounds follow each other and hold the intake (p99 1.3 s with 3 loops, 2026-12-02).
      writers: intVar(env, 'MATERIALISE_WRITERS', env.DATABASE_URL ? 3 : 1, 1, 8, problems),
      leaseSeconds: intVar(env, 'MATERIALISE_LEASE_SECONDS', 60, 5, 3600, problems),
      pollMs: intVar(env, 'MATERIALISE_POLL_MS', 250, 10, 60_000, problems),
      busySharePercent: intVar(env, 'MATERIALISE_BUSY_SHARE', 10, 1, 100, problems),
      maxLagSeconds: intVar(env, 'MATERIALISE_MAX_LAG_SECONDS', 60, 1, 86_400, problems),
    },
    pwsReports: loadPwsReportsConfig(env, problems),
    ops: loadOpsConfig(env, problems),
    console: loadConsoleConfig(env, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}
