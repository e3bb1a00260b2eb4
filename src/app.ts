import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Express, Request } from 'express';
import { authRouter, authorize } from './api/auth.routes';
import { fhirRouter } from './api/fhir.routes';
import { createHttpApp } from './api/http-app';
import { setUpAuth } from './auth/setup';
import type { SecretVerifier } from './auth/secret-verifier';
import { adminRouter } from './api/admin.routes';
import { measureRouter } from './api/measure.routes';
import { contributionsOf } from './pws/contributions';
import { pwsRouter } from './api/pws.routes';
import { pwsReportsRouter } from './api/pws-reports.routes';
import type { ReportJobDeps } from './pws/report-job';
import { ReportScheduler } from './pws/report-worker';
import { clientsRouter } from './api/clients.routes';
import { consoleRouter } from './api/console.routes';
import { createFailureThrottle } from './auth/throttle';
import { auditCounters } from './api/audit-metrics';
import { auditTrail } from './api/audit.middleware';
import { importLineObserver, intakeAttempts } from './api/intake-attempts.middleware';
import { opsRouter } from './api/ops.routes';
import { startOpsTrail, type OpsTrail } from './ops/trail';
import { startAuditTrail, type AuditTrail } from './audit/trail';
import { createMetrics, registerImportSlotGauges, registerIntakeQueueGauges, registerQueueGauges, type Metrics } from './api/metrics';
import { loadCatalogue } from './catalog';
import type { Config } from './config/config';
import { ExportRunner, exportRunnerOptions } from './export/runner';
import { memoryPollClock } from './fhir-rest/export/poll-clock';
import { compileSubmissionValidator } from './intake/schema-validator';
import { createIlpValidator } from './validation/ilp/ilp-validator';
import { validateOperation } from './validation/operation';
import { Semaphore, type Logger } from './kernel';
import { createRelay, CredentialVault, type NationalTarget, type Relay } from './relay';
import { Materialiser } from './pipeline/materialise';
import { IntakeLoad } from './api/intake-load';
import { planVisitWithHistory, type IntakeDeps } from './pipeline/submit-visit';
import { openDatabase } from './store/open-database';
import type { Database } from './store/ports';

export const VERSION: string = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

export interface App {
  http: Express;
  db: Database;
  /** The relay to the national platform; undefined when disabled or when no national platform is configured. Not started: main.ts starts it after listen. */
  relay: Relay | undefined;
  /** The audit trail (recorder and retention); undefined when AUDIT_ENABLED=0. */
  audit: AuditTrail | undefined;
  /** The monthly village MeasureReport job; undefined when PWS_REPORTS_ENABLED=0. Not started: main.ts starts it after listen. */
  pwsReports: ReportScheduler | undefined;
  /** Writes queued visits (INTAKE_MODE=queued, docs/decisions/0022); undefined in direct mode. Not started: main.ts starts it after listen. */
  materialiser: Materialiser | undefined;
  /** Intake attempts and client attribution writers (issue 11); undefined when INTAKE_ATTEMPTS_ENABLED=0. */
  ops: OpsTrail | undefined;
  /** Closes everything in reverse order of creation. */
  close(): Promise<void>;
}

/**
 * The composition root: the only place that creates adapters (database, later the national
 * client) and wires them into the core. Everything it builds is built once, here.
 */
export async function buildApp(config: Config, logger: Logger, opts: { db?: Database; national?: NationalTarget } = {}): Promise<App> {
  const catalogue = loadCatalogue();
  const schema = compileSubmissionValidator(catalogue);
  const validator = createIlpValidator();
  const db = opts.db ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, logger, jit: config.databaseJit, embeddedVacuumMs: config.embeddedVacuumMinutes * 60_000 }));
  const metrics = createMetrics();
  const vault = config.relay.credentialsKey ? CredentialVault.fromBase64(config.relay.credentialsKey) : undefined;
  const relay = relayFor(config, logger, db, metrics, vault, opts.national);
  registerQueueGauges(metrics, () => db.relay.stats());
  // IMPORT_WRITERS_TOTAL: one semaphore for every $import upload of this process (issue #12 follow-up).
  const importSlots = new Semaphore(config.import.writersTotal);
  registerImportSlotGauges(metrics, importSlots);
  const intake: IntakeDeps = { catalogue, schema, validateBundle: (bundle) => validator.validate(bundle, { depthBounded: true }), now: () => Date.now(), weighings: db.weighings };
  const load = new IntakeLoad();
  const materialiser = config.intake.mode === 'queued' ? materialiserFor(config, logger, db, metrics, intake, load) : undefined;
  const reportJob: ReportJobDeps = { pws: db.pws, reports: db.pwsReports, now: () => Date.now(), logger, leaseSeconds: config.pwsReports.leaseSeconds };
  const pwsReports = config.pwsReports.enabled ? new ReportScheduler(reportJob, config.pwsReports) : undefined;
  const exportRunner = new ExportRunner(exportRunnerOptions(config.fhir, db.fhir.exports, logger));
  const fhir = fhirRouter({
    contributions: (bundle, organizationId) => contributionsOf(bundle, catalogue, { organizationId }),
    resources: db.resources, fhir: db.fhir, audit: db.audit, validate: (resource) => validator.validate(resource), version: VERSION, publicBaseUrl: config.fhir.publicBaseUrl,
    validateOperation: (req) => validateOperation(validator, req),
    export: { dir: config.fhir.exportDir, retryAfterSeconds: config.fhir.exportRetryAfterSeconds }, exportPolls: memoryPollClock(), exportKicked: () => exportRunner.wake(),
  });
  // The token audience must be the URL clients were configured with, never one a Host header chose:
  // PUBLIC_BASE_URL (required in production); the request's own host only for local development.
  const publicBase = config.fhir.publicBaseUrl;
  const auth = { ...(await setUpAuth(config, logger, db)), baseUrl: (req: Request) => publicBase ?? `${req.protocol}://${req.get('host') ?? 'localhost'}` };
  const audit: AuditTrail | undefined = config.audit.enabled ? startAuditTrail(db.audit, config.audit, logger, auditCounters(metrics, () => audit?.recorder.depth ?? 0)) : undefined;
  // The audit hook runs before authentication, so refusals are recorded with everything else.
  const auditHook = audit ? [auditTrail({ recorder: audit.recorder, logger, observer: `ILP Gateway ${VERSION}`, knownClient: (id) => auth.directory.isKnown(id) })] : [];
  // Refused intake requests (issue 11): recorded after the answer, never on its path.
  const ops: OpsTrail | undefined = config.ops.attemptsEnabled ? startOpsTrail(db.ops, config.ops, logger) : undefined;
  const opsHooks = ops ? { trail: ops, logger, queued: config.intake.mode === 'queued' } : undefined;
  const http = createHttpApp({
    guards: [...auditHook, authorize(auth), ...(opsHooks ? [intakeAttempts(opsHooks)] : [])],
    ...(opsHooks ? { importObserver: importLineObserver(opsHooks) } : {}),
    mounts: [
      { path: '/', router: authRouter(auth), json: false },
      { path: '/fhir', router: measureRouter({ pws: db.pws, version: VERSION, now: () => Date.now() }), json: false },
      { path: '/fhir', router: fhir, json: true },
      { path: '/console', router: consoleRouter({ ...consoleDeps(config, logger, db, auth), ops: {
        transactions: { ops: db.ops, relay: db.relay, ...(relay ? { poke: () => relay.worker.poke() } : {}) },
        relayHealth: { ops: db.ops, relay: db.relay, ...(relay ? { poke: () => relay.worker.poke() } : {}), state: () => ({ running: relay !== undefined, ...(relay ? { circuit: relay.breaker.state, target: relay.target.fhirUrl } : {}) }) },
        conformance: { ops: db.ops, now: () => Date.now() },
        validate: (body, mode) => validateOperation(validator, { body, mode }),
      } }), json: false },
      { path: '/pws/v1', router: pwsRouter({ pws: db.pws, bodyLimitBytes: config.bodyLimitBytes }), json: false },
      // Before the other /admin/v1 routers: they refuse organisation-restricted admins for every path they see.
      { path: '/admin/v1', router: opsRouter({
        ops: db.ops, relayStore: db.relay, adminToken: config.relay.adminToken, now: () => Date.now(),
        ...(relay ? { poke: () => relay.worker.poke() } : {}),
        state: () => ({ running: relay !== undefined, ...(relay ? { circuit: relay.breaker.state, target: relay.target.fhirUrl } : {}) }),
      }), json: true },
      { path: '/admin/v1', router: clientsRouter({ clients: db.clients, adminToken: config.relay.adminToken }), json: true },
      { path: '/admin/v1', router: pwsReportsRouter({ job: reportJob, adminToken: config.relay.adminToken }), json: true },
      { path: '/admin/v1', router: adminRouter({ relayStore: db.relay, credentials: db.credentials, relay, vault, adminToken: config.relay.adminToken }), json: true },
    ],
    logger,
    metrics,
    version: VERSION,
    bodyLimitBytes: config.bodyLimitBytes,
    maxJsonDepth: config.maxJsonDepth,
    import: config.import,
    importSlots,
    submissions: db.submissions,
    resources: db.resources,
    intake,
    ...(materialiser ? { queued: { queue: db.intakeQueue, poke: () => materialiser.poke(), load } } : {}),
    ready: () => db.ping(),
  });
  exportRunner.start();
  return {
    http,
    db,
    relay,
    materialiser,
    audit,
    pwsReports,
    ops,
    close: async () => {
      auth.close();
      await exportRunner.close();
      await pwsReports?.stop();
      await materialiser?.stop();
      await relay?.stop();
      // After the HTTP server closed (main.ts) and before the database: every answered request's event is written.
      await audit?.close();
      await ops?.close();
      if (!opts.db) await db.close();
    },
  };
}

/** The console's sign-in shares the API's bounded scrypt verifier and its throttle limits (AUTH_THROTTLE_*). */
function consoleDeps(config: Config, logger: Logger, db: Database, auth: { disabled: boolean; secrets: SecretVerifier }): Parameters<typeof consoleRouter>[0] {
  const t = config.auth.throttle;
  return {
    users: db.console, pws: db.pws, secrets: auth.secrets, config: config.console, authDisabled: config.authDisabled, publicBaseUrl: config.fhir.publicBaseUrl, logger,
    throttle: {
      user: createFailureThrottle({ limit: t.clientFailures, windowSeconds: t.windowSeconds }),
      address: createFailureThrottle({ limit: t.addressFailures, windowSeconds: t.windowSeconds }),
    },
  };
}

/** INTAKE_MODE=queued: the loops that write queued visits with the direct intake's own steps. */
function materialiserFor(config: Config, logger: Logger, db: Database, metrics: Metrics, intake: IntakeDeps, load: IntakeLoad): Materialiser {
  registerIntakeQueueGauges(metrics, () => db.intakeQueue.stats());
  const c = config.intake;
  return new Materialiser({
    queue: db.intakeQueue, plan: (payload) => planVisitWithHistory(payload, intake), logger,
    batchSize: c.batchSize, leaseSeconds: c.leaseSeconds, pollMs: c.pollMs, writers: c.writers,
    yieldTo: { busySince: (instant) => load.busySince(instant), share: c.busySharePercent / 100, maxLagSeconds: c.maxLagSeconds },
    observe: (round) => {
      for (const result of ['written', 'unchanged', 'refused', 'later'] as const) if (round[result] > 0) metrics.materialised.inc({ result }, round[result]);
    },
  });
}

/** SATUSEHAT from the environment, unless main.ts passes the built-in simulator. */
function relayFor(config: Config, logger: Logger, db: Database, metrics: Metrics, vault: CredentialVault | undefined, given: NationalTarget | undefined): Relay | undefined {
  const n = config.national;
  const target: NationalTarget | undefined = given ?? (n.fhirUrl && n.authUrl ? {
    authUrl: n.authUrl, fhirUrl: n.fhirUrl,
    ...(n.clientId && n.clientSecret && n.orgId ? { single: { organizationId: n.orgId, clientId: n.clientId, clientSecret: n.clientSecret } } : {}),
  } : undefined);
  if (!config.relay.enabled || !target) return undefined;
  return createRelay(config.relay, target, { outbox: db.relay, credentials: db.credentials }, logger, {
    observe: (operation, status, seconds) => metrics.upstreamSeconds.observe({ operation, status }, seconds),
    metrics: { finished: (result) => metrics.relayResults.inc({ result }) },
    ...(vault ? { vault } : {}),
  });
}

/** Listens and resolves once the port is bound (port 0 → an ephemeral port, for tests). */
export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
  });
}
