#!/usr/bin/env node
import { configOrExit, serve } from './main';

const USAGE = `Usage: ilp-gateway <command>

Commands:
  serve       start the gateway (what npm start runs)
  migrate     apply database migrations and exit

Environment variables are listed in README.md (Configuration).
`;

async function migrate(): Promise<void> {
  const { openDatabase } = await import('./store/open-database');
  const { createLogger } = await import('./kernel');
  const config = configOrExit();
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, logger: createLogger(config.logLevel) });
  await db.close();
  process.stdout.write('migrations applied\n');
}

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    case 'serve':
      await serve(configOrExit());
      return -1;
    case 'migrate':
      await migrate();
      return 0;
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
