#!/usr/bin/env node
// Loaded on demand: main.ts pulls in the whole gateway (express, the store, the relay), which
// `validate` does not need; importing it eagerly doubled the validator CLI's cold start.
const gateway = (): Promise<typeof import('./main')> => import('./main');
type Logger = import('./kernel').Logger;

const USAGE = `Usage: ilp-gateway <command>

Commands:
  serve       start the gateway (what npm start runs)
  migrate     apply database migrations and exit
  sim [--port <n>] [--host <addr>]
              run the SATUSEHAT simulator alone (default port SIM_PORT, 8090)
  clients add|list|revoke|rotate-secret
              manage API clients in the database (ilp-gateway clients --help)
  users add|list|disable
              manage people who sign in to the web console /console (ilp-gateway users --help)
  clients hash-secret
              read a client secret on standard input, print its scrypt hash for AUTH_CLIENTS_FILE
  validate [--ig r4|ilp] [--profile <canonical>] [--load <file|dir>]... [--format text|json|junit] <files...>
              validate FHIR JSON resources: --ig ilp (default) R4 and the ILP profiles as the intake applies them,
              --ig r4 base R4 + meta.profile + --profile (exit 0 valid, 1 invalid, 2 usage; validate --help)
  pws reports --period YYYY-MM [--area <code>]
              compute and store the village MeasureReports of a closed month now (ilp-gateway pws --help)
  import <file.ndjson> [--url <gateway>] [--token <access token>]
              send one ILP submission per line to POST /ilp/v1/encounters/$import (exit 0 all accepted, 1 any failed, 2 usage)
  --version   print the version

Environment variables are listed in README.md (Configuration).
`;

type GatewayDatabase = Awaited<ReturnType<typeof import('./store/open-database').openDatabase>>;
type GatewayConfig = ReturnType<Awaited<ReturnType<typeof gateway>>['configOrExit']>;
const io = { out: (t: string) => process.stdout.write(t), err: (t: string) => process.stderr.write(t) };

/** A command's logger: diagnostics (the database's start-up warnings among them) on stderr, as stdout is the command's data (`--json`). */
async function commandLogger(level: string): Promise<Logger> {
  const { createLogger } = await import('./kernel');
  return createLogger(level, 'ilp-gateway', process.stderr);
}

/** The gateway's database as `serve` opens it (migrated first), for a command. */
async function openForCommand(config: GatewayConfig, logLevel: string): Promise<GatewayDatabase> {
  const { openDatabase } = await import('./store/open-database');
  return openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, logger: await commandLogger(logLevel), jit: config.databaseJit });
}

async function migrate(): Promise<void> {
  const config = (await gateway()).configOrExit();
  const db = await openForCommand(config, config.logLevel);
  await db.close();
  process.stdout.write('migrations applied\n');
}

/**
 * A command that works on the gateway's database (`clients`, `pws`, `users`): its usage without
 * arguments (exit 2) or with --help (exit 0), else the database opened (migrated first, like
 * `migrate`) for `run` and closed after it.
 */
async function onGatewayDatabase(args: string[], usage: string, run: (db: GatewayDatabase, config: GatewayConfig) => Promise<number>): Promise<number> {
  if (args.length === 0 || args[0] === '--help' || args[0] === '-h') {
    process.stdout.write(usage);
    return args.length === 0 ? 2 : 0;
  }
  const config = (await gateway()).configOrExit();
  const db = await openForCommand(config, 'warn');
  try {
    return await run(db, config);
  } finally {
    await db.close();
  }
}

/** `ilp-gateway clients …`: API clients. */
async function clients(args: string[]): Promise<number> {
  const { runClients, CLIENTS_USAGE } = await import('./cli/clients');
  return onGatewayDatabase(args, CLIENTS_USAGE, (db) => runClients(db.clients, args, io));
}

/** `ilp-gateway pws reports …`: the monthly village MeasureReports of a closed month, now. */
async function pws(args: string[]): Promise<number> {
  const { runPws, PWS_USAGE } = await import('./cli/pws');
  const logger = await commandLogger('warn');
  return onGatewayDatabase(args, PWS_USAGE, (db, config) => runPws(
    { pws: db.pws, reports: db.pwsReports, now: () => Date.now(), logger, leaseSeconds: config.pwsReports.leaseSeconds }, args, io));
}

/** `ilp-gateway users …`: console users. */
async function users(args: string[]): Promise<number> {
  const { runUsers, USERS_USAGE } = await import('./cli/users');
  return onGatewayDatabase(args, USERS_USAGE, (db) => runUsers(db.console, args, { ...io, readStdin }));
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The secret comes on stdin, not argv, so it stays out of shell history and process lists. */
async function hashClientSecret(): Promise<number> {
  const { hashSecret } = await import('./auth/secrets');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const secret = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (secret.length < 16) {
    process.stderr.write('a client secret must be at least 16 characters\n');
    return 2;
  }
  process.stdout.write(`${await hashSecret(secret)}\n`);
  return 0;
}

/** `ilp-gateway sim`: the national-platform simulator alone, until SIGTERM/SIGINT. */
async function simulator(args: string[]): Promise<number> {
  const { startSimulator } = await import('./sim/start');
  const config = (await gateway()).configOrExit();
  const option = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const port = Number(option('--port') ?? config.simPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('--port must be a port number\n');
    return 2;
  }
  const { sim, authUrl, fhirUrl } = await startSimulator({ ...config.sim, host: option('--host') ?? config.sim.host }, port);
  process.stdout.write(`SATUSEHAT simulator listening: auth ${authUrl}, FHIR ${fhirUrl}, admin ${fhirUrl.replace('/fhir-r4/v1', '/sim/admin')}\n`);
  const stop = (): void => { sim.close().then(() => process.exit(0), () => process.exit(1)); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return -1;
}

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    case 'serve':
      {
        const { serve, configOrExit } = await gateway();
        await serve(configOrExit());
      }
      return -1;
    case 'migrate':
      await migrate();
      return 0;
    case 'sim':
      return simulator(argv.slice(1));
    case 'validate': {
      // Lazy: `serve` never loads the validator CLI.
      const { runValidate } = await import('./cli/validate');
      return runValidate(argv.slice(1), {
        out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), interactive: process.stderr.isTTY === true,
      });
    }
    case 'import': {
      const { runImport } = await import('./cli/import');
      return runImport(argv.slice(1), {
        out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), interactive: process.stderr.isTTY === true,
      });
    }
    case 'pws':
      return pws(argv.slice(1));
    case 'users':
      return users(argv.slice(1));
    case 'clients':
      if (argv[1] === 'hash-secret') return hashClientSecret();
      return clients(argv.slice(1));
    case '--version': {
      const { cliVersion } = await import('./cli/validate');
      process.stdout.write(`ilp-gateway ${cliVersion()}\n`);
      return 0;
    }
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`Unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => { if (code >= 0) process.exit(code); },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
