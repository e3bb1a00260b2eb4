import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openDatabase } from '../../../src/store/open-database';
import { submission, submissionId, visit } from '../../support/bundles';

/**
 * The default deployment (`npm start` without DATABASE_URL): PGlite in DATA_DIR. Independent of
 * TEST_DB: this is the only test that puts PGlite on disk.
 */
describe('embedded PGlite in a data directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'ilp-pglite-'));
  const dataDir = join(root, 'nested', 'data');
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  const messages = (): string[] => lines.map((l) => (JSON.parse(l) as { msg: string }).msg);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('is created on first start, says the first start is slow, and keeps data across restarts', async () => {
    const first = await openDatabase({ dataDir, logger });
    const input = submission(visit(), submissionId('ON-DISK'));
    let saved;
    try {
      expect(first.kind).toBe('pglite');
      expect(messages()).toContain(`initialising embedded PostgreSQL (PGlite) in ${dataDir}; the first start takes ~10 s`);
      saved = await first.submissions.saveSubmission(input);
    } finally {
      await first.close();
    }

    lines.length = 0;
    const second = await openDatabase({ dataDir, logger });
    try {
      expect(messages()).toContain(`opening embedded PostgreSQL (PGlite) in ${dataDir}`);
      expect(await second.migrate()).toEqual([]);
      expect(await second.submissions.getSubmission(saved.submission.id)).toEqual(saved.submission);
      expect((await second.submissions.saveSubmission(input)).kind).toBe('unchanged');
    } finally {
      await second.close();
    }
  });
});
