import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDbKind } from '../../support/database';
import { TestGateway, startGateway } from '../../support/gateway';
import { example, uniqueId } from '../../support/submissions';

/**
 * `ilp-gateway import` as users run it: the built CLI (dist/cli.js, `npm run build`) in its own
 * process against the gateway on a real socket. Spawned asynchronously: the gateway answers from
 * this process's event loop.
 */
const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'ilp-import-'));

function run(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'import', ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const line = (): string => JSON.stringify({ ...example(), submissionId: uniqueId('CLI') });

describe(`ilp-gateway import (${testDbKind()})`, () => {
  let gw: TestGateway;
  beforeAll(async () => { gw = await startGateway(); });
  afterAll(async () => { await gw?.close(); });

  test('every line accepted: exit 0 and a summary; the visits are stored', async () => {
    const lines = [line(), line(), line()];
    const r = await run(file('good.ndjson', lines), '--url', gw.url);
    expect(r.stderr).toBe(''); // not a terminal: no progress bar
    expect(r.stdout).toBe('3 of 3 lines answered: 3 created, 0 updated, 0 unchanged, 0 failed\n');
    expect(r.status).toBe(0);
    const id = (JSON.parse(lines[1] ?? '{}') as { submissionId: string }).submissionId;
    expect(await gw.db.submissions.findSubmission('10000005', id)).toBeDefined();
  });

  test('a malformed line: exit 1, the failed line named on stderr, the others stored', async () => {
    const r = await run(file('mixed.ndjson', [line(), '{ not json', line()]), '--url', gw.url);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^line 2: 400 The request body is not valid JSON/m);
    expect(r.stdout).toBe('3 of 3 lines answered: 2 created, 0 updated, 0 unchanged, 1 failed\n');
  });

  test('usage errors exit 2: no file, a missing file, an unknown option, a bad URL', async () => {
    expect((await run()).status).toBe(2);
    expect((await run(join(dir, 'missing.ndjson'))).status).toBe(2);
    const good = file('usage.ndjson', [line()]);
    expect((await run(good, '--colour')).status).toBe(2);
    const bad = await run(good, '--url', 'ftp://x');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--url must be an http(s) URL');
  });

  test('an unreachable gateway: exit 1 with the reason', async () => {
    const r = await run(file('down.ndjson', [line()]), '--url', 'http://127.0.0.1:9');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('could not reach the gateway');
  });
});
