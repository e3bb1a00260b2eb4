import { createReadStream, existsSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { ndjsonLines } from '../api/ndjson-lines';
import type { ImportResult } from '../pipeline/import-visits';
import type { CliIo } from './validate';

/**
 * `ilp-gateway import <file.ndjson> [--url <gateway>] [--token <bearer>]`: streams the file to
 * `POST /ilp/v1/encounters/$import` and reads the results as they come (one per non-blank line),
 * with a progress bar on a terminal and a summary at the end. Exit 0 when every line was accepted,
 * 1 when any line failed (or the gateway refused the import), 2 on usage errors.
 */
export const IMPORT_USAGE = `Usage: ilp-gateway import <file.ndjson> [--url <gateway base URL>] [--token <access token>]

  <file.ndjson>   one ILP submission (JSON) per line, as POST /ilp/v1/encounters takes it
  --url <url>     the gateway (default http://localhost:8080)
  --token <t>     an access token with scope ilp/submission.write (POST /auth/token)
Exit status: 0 all lines accepted, 1 some line failed, 2 usage error.
`;

interface Options {
  file: string;
  url: string;
  token?: string;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Options {
  let url = 'http://localhost:8080';
  let token: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i] ?? '';
    const value = (): string => {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      i += 1;
      return v;
    };
    if (a === '--url') url = value();
    else if (a === '--token') token = value();
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  if (files.length !== 1) throw new UsageError('give exactly one NDJSON file');
  const file = files[0] ?? '';
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`no such file: ${file}`);
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new UsageError(`--url must be an http(s) URL, got "${url}"`);
  }
  return { file, url: url.replace(/\/+$/, ''), ...(token ? { token } : {}) };
}

/** Non-blank lines of the file: the number of results to expect, for the progress bar. */
async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const l of ndjsonLines(createReadStream(file), { maxBytes: Number.MAX_SAFE_INTEGER, maxLineBytes: Number.MAX_SAFE_INTEGER })) {
    if (l.kind !== 'text' || l.text.trim() !== '') n += 1;
  }
  return n;
}

function bar(io: CliIo, done: number, total: number, failed: number): void {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  io.err(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} lines, ${failed} failed`);
}

function diagnostics(r: ImportResult): string {
  return r.outcome?.issue.map((i) => i.diagnostics ?? i.code).join('; ') ?? '';
}

interface Tally { created: number; updated: number; unchanged: number; failed: number }

async function send(o: Options, io: CliIo, total: number): Promise<{ tally: Tally; refused?: string }> {
  const tally: Tally = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  const res = await fetch(`${o.url}/ilp/v1/encounters/$import`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) },
    body: Readable.toWeb(createReadStream(o.file)) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit);
  if (res.status !== 200 || !res.body) {
    const text = await res.text();
    let detail = text.slice(0, 500);
    try {
      detail = ((JSON.parse(text) as { issue?: { diagnostics?: string }[] }).issue ?? []).map((i) => i.diagnostics).join('; ') || detail;
    } catch { /* not JSON: the text as is */ }
    return { tally, refused: `the gateway refused the import: HTTP ${res.status} ${detail}` };
  }
  let done = 0;
  const body = Readable.fromWeb(res.body as Parameters<typeof Readable.fromWeb>[0]);
  for await (const l of ndjsonLines(body, { maxBytes: Number.MAX_SAFE_INTEGER, maxLineBytes: 16 * 1_048_576 })) {
    if (l.kind !== 'text' || l.text.trim() === '') continue;
    const r = JSON.parse(l.text) as ImportResult;
    done += 1;
    if (r.status === 202 && r.result) tally[r.result] += 1;
    else {
      tally.failed += 1;
      if (io.interactive) io.err('\n');
      io.err(`line ${r.line}: ${r.status} ${diagnostics(r)}\n`);
    }
    if (io.interactive) bar(io, done, total, tally.failed);
  }
  if (io.interactive) io.err('\n');
  return { tally };
}

export async function runImport(argv: readonly string[], io: CliIo): Promise<number> {
  let o: Options;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`${e.message}\n\n${IMPORT_USAGE}`);
    return 2;
  }
  const total = await countLines(o.file);
  let outcome: Awaited<ReturnType<typeof send>>;
  try {
    outcome = await send(o, io, total);
  } catch (err) {
    io.err(`could not reach the gateway at ${o.url}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  if (outcome.refused) {
    io.err(`${outcome.refused}\n`);
    return 1;
  }
  const t = outcome.tally;
  const answered = t.created + t.updated + t.unchanged + t.failed;
  io.out(`${answered} of ${total} lines answered: ${t.created} created, ${t.updated} updated, ${t.unchanged} unchanged, ${t.failed} failed\n`);
  return t.failed > 0 || answered < total ? 1 : 0;
}
