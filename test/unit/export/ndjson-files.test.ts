import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NdjsonFiles } from '../../../src/export/ndjson-files';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ndjson-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('splits at maxPerFile and reports every file with its count', async () => {
  const files = new NdjsonFiles(dir, 'Observation', 2);
  for (let i = 0; i < 5; i++) await files.write(JSON.stringify({ resourceType: 'Observation', id: `o${i}` }));
  expect(await files.close()).toEqual([
    { type: 'Observation', url: 'Observation-1.ndjson', count: 2 },
    { type: 'Observation', url: 'Observation-2.ndjson', count: 2 },
    { type: 'Observation', url: 'Observation-3.ndjson', count: 1 },
  ]);
  expect(readFileSync(join(dir, 'Observation-3.ndjson'), 'utf8')).toBe('{"resourceType":"Observation","id":"o4"}\n');
});

test('a type without resources writes no file', async () => {
  const files = new NdjsonFiles(dir, 'CarePlan', 10);
  expect(await files.close()).toEqual([]);
  expect(readdirSync(dir)).toEqual([]);
});

test('large writes wait for drain and lose nothing', async () => {
  const files = new NdjsonFiles(dir, 'Patient', 1_000_000);
  const big = JSON.stringify({ resourceType: 'Patient', text: 'x'.repeat(100_000) });
  for (let i = 0; i < 50; i++) await files.write(big);
  const [file] = await files.close();
  expect(file?.count).toBe(50);
  expect(readFileSync(join(dir, 'Patient-1.ndjson'), 'utf8').split('\n').filter((l) => l !== '')).toHaveLength(50);
});

test('a file that cannot be opened is an error of write(), not an unhandled stream error', async () => {
  writeFileSync(join(dir, 'Patient-1.ndjson'), 'partial\n'); // a dead worker's leftover ('wx' refuses it)
  const files = new NdjsonFiles(dir, 'Patient', 10);
  await expect(files.write('{"resourceType":"Patient"}')).rejects.toMatchObject({ code: 'EEXIST' });
  await expect(files.close()).rejects.toMatchObject({ code: 'EEXIST' });
});

test('a directory that vanished is an error of write()', async () => {
  const files = new NdjsonFiles(join(dir, 'gone'), 'Patient', 10);
  await expect(files.write('{"resourceType":"Patient"}')).rejects.toMatchObject({ code: 'ENOENT' });
});
