import { Writable } from 'node:stream';
import { createLogger } from '../../../src/kernel/logger';

test('NIKs, patients, secrets and tokens never reach a log line, at the depths log objects use', () => {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  const logger = createLogger('info', 'test', stream);
  logger.info({
    nik: '9271060312000001',
    submission: { patient: { nik: '9271060312000001', name: 'Rina Wulandari' } },
    headers: { authorization: 'Bearer abc.def.ghi' },
    deep: { a: { client_secret: 'shh-secret' } },
    requestId: 'r-1',
  }, 'x');
  const out = lines.join('');
  expect(out).not.toMatch(/9271060312000001|Rina|abc\.def|shh-secret/);
  expect(out).toMatch(/\[redacted\]/);
  expect(out).toMatch(/"requestId":"r-1"/);
});
