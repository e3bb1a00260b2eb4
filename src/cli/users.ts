import { randomBytes } from 'node:crypto';
import { isRole } from '../console/roles';
import { newUser, userProblems } from '../console/users';
import type { ConsoleUser, ConsoleUserStore } from '../store/console-ports';
import type { CliIo } from './clients';

/**
 * `ilp-gateway users add|list|disable`: people who sign in to the web console, in the gateway's
 * database. The password is read from standard input with --password-stdin (never argv: shell
 * history, process lists) or generated and printed once; only its scrypt hash is stored.
 * Exit 0 done, 1 refused (exists, unknown), 2 usage.
 */
export const USERS_USAGE = `Usage:
  ilp-gateway users add <username> --role admin|district|vendor-support|tester
                        [--region <Kemendagri code>]... (district)   [--org <organization id>]... (vendor-support)
                        [--name <display name>] [--password-stdin]
  ilp-gateway users list [--json]
  ilp-gateway users disable <username>          (ends the user's sessions at once)
`;

const VALUED = new Set(['--role', '--region', '--org', '--name']);

interface Parsed {
  positional: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
}

function parseArgs(args: readonly string[]): Parsed | string {
  const parsed: Parsed = { positional: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < args.length; i += 1) {
    const a = args[i] ?? '';
    if (VALUED.has(a)) {
      const v = args[i + 1];
      if (v === undefined) return `${a} needs a value`;
      parsed.options.set(a, [...(parsed.options.get(a) ?? []), v]);
      i += 1;
    } else if (a === '--json' || a === '--password-stdin') parsed.flags.add(a);
    else if (a.startsWith('--')) return `unknown option ${a}`;
    else parsed.positional.push(a);
  }
  return parsed;
}

function describe(u: ConsoleUser): string {
  const scope = u.role === 'district' ? u.regions.join(',') : u.role === 'vendor-support' ? u.organizations.join(',') : '-';
  return [u.username, u.role, u.status, scope, u.displayName ?? '-', u.lastLoginAt ?? 'never'].join('\t');
}

export interface UsersIo extends CliIo {
  /** Standard input as text (for --password-stdin). */
  readStdin(): Promise<string>;
}

async function add(store: ConsoleUserStore, p: Parsed, io: UsersIo): Promise<number> {
  const generated = !p.flags.has('--password-stdin');
  const password = generated ? randomBytes(15).toString('base64url') : (await io.readStdin()).replace(/\r?\n$/, '');
  const role = p.options.get('--role')?.at(-1) ?? '';
  const input = {
    username: p.positional[0] ?? '', password, role,
    regions: p.options.get('--region') ?? [], organizations: p.options.get('--org') ?? [],
    ...(p.options.has('--name') ? { displayName: p.options.get('--name')?.at(-1) ?? '' } : {}),
  };
  const problems = userProblems(input);
  if (problems.length > 0 || !isRole(role)) {
    io.err(`${problems.join('\n')}\n\n${USERS_USAGE}`);
    return 2;
  }
  const created = await store.create(await newUser(input));
  if (!created) {
    io.err(`user ${input.username} already exists\n`);
    return 1;
  }
  if (p.flags.has('--json')) io.out(`${JSON.stringify({ ...created, ...(generated ? { password } : {}) })}\n`);
  else {
    io.out(`user ${created.username} added (${created.role})\n`);
    if (generated) io.out(`password: ${password}\n(shown once: only its hash is stored; give it to the person over a safe channel)\n`);
  }
  return 0;
}

export async function runUsers(store: ConsoleUserStore, args: readonly string[], io: UsersIo): Promise<number> {
  const [command, ...rest] = args;
  const p = parseArgs(rest);
  if (typeof p === 'string') {
    io.err(`${p}\n\n${USERS_USAGE}`);
    return 2;
  }
  const name = p.positional[0];
  switch (command) {
    case 'add':
      return add(store, p, io);
    case 'list': {
      const users = await store.list();
      if (p.flags.has('--json')) io.out(`${JSON.stringify(users)}\n`);
      else io.out(`${['USER', 'ROLE', 'STATUS', 'REGIONS/ORGANIZATIONS', 'NAME', 'LAST SIGN-IN'].join('\t')}\n${users.map((u) => `${describe(u)}\n`).join('')}`);
      return 0;
    }
    case 'disable':
      if (!name) break;
      if (await store.disable(name)) {
        io.out(`user ${name} disabled; its sessions are ended\n`);
        return 0;
      }
      io.err(`user ${name} is unknown\n`);
      return 1;
    default:
      break;
  }
  io.err(`${command ? `bad users command "${command}"` : 'users needs a command'}\n\n${USERS_USAGE}`);
  return 2;
}
