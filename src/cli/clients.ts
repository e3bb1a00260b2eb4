import { readFileSync } from 'node:fs';
import { checkClientInput, createClient, rotateSecret, type ClientInput } from '../auth/client-admin';
import type { ApiClientStore, ApiClientSummary } from '../store/client-ports';

/**
 * `ilp-gateway clients add|list|revoke|rotate-secret` against the gateway's database
 * (DATABASE_URL, else the PGlite in DATA_DIR). A generated secret is printed once, on stdout;
 * only its scrypt hash is stored. Exit 0 done, 1 refused (exists, unknown, revoked), 2 usage.
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const CLIENTS_USAGE = `Usage:
  ilp-gateway clients add <clientId> --org <id|*>... --scope <scope>... [--region <code>]... [--name <text>]
                          [--jwks-file <file> | --jwks-uri <url>] [--json]
  ilp-gateway clients list [--json]
  ilp-gateway clients revoke <clientId>
  ilp-gateway clients rotate-secret <clientId>
  ilp-gateway clients hash-secret            (secret on stdin → scrypt hash for AUTH_CLIENTS_FILE)
`;

interface Parsed {
  positional: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
}

const VALUED = new Set(['--org', '--scope', '--region', '--name', '--jwks-file', '--jwks-uri']);

function parseArgs(args: readonly string[]): Parsed | string {
  const parsed: Parsed = { positional: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < args.length; i += 1) {
    const a = args[i] ?? '';
    if (VALUED.has(a)) {
      const v = args[i + 1];
      if (v === undefined) return `${a} needs a value`;
      parsed.options.set(a, [...(parsed.options.get(a) ?? []), v]);
      i += 1;
    } else if (a === '--json') parsed.flags.add(a);
    else if (a.startsWith('--')) return `unknown option ${a}`;
    else parsed.positional.push(a);
  }
  return parsed;
}

function inputOf(p: Parsed): ClientInput | string {
  const one = (name: string): string | undefined => p.options.get(name)?.at(-1);
  const jwksFile = one('--jwks-file');
  let jwks: unknown;
  if (jwksFile) {
    try {
      jwks = JSON.parse(readFileSync(jwksFile, 'utf8'));
    } catch (e) {
      return `cannot read ${jwksFile}: ${(e as Error).message}`;
    }
  }
  const candidate = {
    clientId: p.positional[0],
    ...(one('--name') ? { name: one('--name') } : {}),
    organizations: p.options.get('--org') ?? [],
    scopes: p.options.get('--scope') ?? [],
    ...(p.options.has('--region') ? { regions: p.options.get('--region') } : {}),
    ...(jwks !== undefined ? { jwks } : {}),
    ...(one('--jwks-uri') ? { jwksUri: one('--jwks-uri') } : {}),
  };
  const checked = checkClientInput(candidate);
  return checked.ok ? checked.client : checked.problems.join('\n');
}

function describe(c: ApiClientSummary): string {
  const auth = [c.hasSecret ? 'secret' : '', c.jwks ? 'jwks' : '', c.jwksUri ? `jwks_uri ${c.jwksUri}` : ''].filter(Boolean).join(', ');
  return [c.clientId, c.status, c.organizations.join(','), c.regions?.join(',') ?? '-', c.scopes.join(' '), auth, c.source, c.secretRotatedAt ?? c.createdAt].join('\t');
}

async function add(store: ApiClientStore, p: Parsed, io: CliIo): Promise<number> {
  const input = inputOf(p);
  if (typeof input === 'string') {
    io.err(`${input}\n\n${CLIENTS_USAGE}`);
    return 2;
  }
  const created = await createClient(store, input);
  if (!created.ok) {
    io.err(`client ${input.clientId} already exists (client ids are never reused)\n`);
    return 1;
  }
  if (p.flags.has('--json')) io.out(`${JSON.stringify({ ...created.client, ...(created.secret ? { clientSecret: created.secret } : {}) })}\n`);
  else {
    io.out(`client ${created.client.clientId} added\n`);
    if (created.secret) io.out(`client_secret: ${created.secret}\n(shown once: only its hash is stored; give it to the vendor over a safe channel)\n`);
  }
  return 0;
}

async function list(store: ApiClientStore, p: Parsed, io: CliIo): Promise<number> {
  const items = await store.list();
  if (p.flags.has('--json')) io.out(`${JSON.stringify(items)}\n`);
  else io.out(`${['CLIENT', 'STATUS', 'ORGANIZATIONS', 'REGIONS', 'SCOPES', 'AUTH', 'SOURCE', 'SINCE'].join('\t')}\n${items.map((c) => `${describe(c)}\n`).join('')}`);
  return 0;
}

export async function runClients(store: ApiClientStore, args: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  const p = parseArgs(rest);
  if (typeof p === 'string') {
    io.err(`${p}\n\n${CLIENTS_USAGE}`);
    return 2;
  }
  const id = p.positional[0];
  switch (command) {
    case 'add':
      return add(store, p, io);
    case 'list':
      return list(store, p, io);
    case 'revoke':
      if (!id) break;
      if (await store.revoke(id)) {
        io.out(`client ${id} revoked: its tokens stop working within AUTH_CLIENT_CACHE_SECONDS\n`);
        return 0;
      }
      io.err(`client ${id} is unknown or already revoked\n`);
      return 1;
    case 'rotate-secret': {
      if (!id) break;
      const r = await rotateSecret(store, id);
      if (r.ok) {
        io.out(`client_secret: ${r.secret}\n(shown once; the old secret no longer gets tokens)\n`);
        return 0;
      }
      io.err(`client ${id}: ${r.reason === 'not-found' ? 'unknown' : r.reason === 'revoked' ? 'revoked' : 'authenticates with keys, not a secret'}\n`);
      return 1;
    }
    default:
      break;
  }
  io.err(`${command ? `bad clients command "${command}"` : 'clients needs a command'}\n\n${CLIENTS_USAGE}`);
  return 2;
}
