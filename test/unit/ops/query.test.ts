import { OperationOutcomeError } from '../../../src/kernel';
import { cursorParam, encodeCursor } from '../../../src/ops/query';
import { payloadQuota } from '../../../src/ops/trail';
import { conformanceQuery } from '../../../src/ops/conformance';

const UUID = /^[0-9a-f-]{36}$/;
const ID = '00000000-0000-4000-8000-000000000000';
const raw = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('cursorParam: the keyset cursor of the transaction log and intake attempts', () => {
  test('a cursor the gateway wrote comes back as it was', () => {
    const at = '2026-12-02T01:02:03.456Z';
    expect(cursorParam({ cursor: encodeCursor({ at, id: ID }) }, UUID)).toEqual({ at, id: ID });
    expect(cursorParam({ cursor: raw(['2026-12-02T01:02:03.456+00:00', ID]) }, UUID)).toEqual({ at: '2026-12-02T01:02:03.456+00:00', id: ID });
  });

  // V8's Date.parse takes "1" and "March 7"; PostgreSQL's timestamptz does not (a 500 before the fix).
  test.each([['"1"', raw(['1', ID])], ['a date without time', raw(['2026-12-02', ID])], ['words', raw(['March 7', ID])], ['a bad id', raw(['2026-12-02T01:02:03Z', 'x'])], ['not base64 JSON', '!!!']])('%s is 400 OPS-BAD-QUERY', (_what, cursor) => {
    let error: unknown;
    try {
      cursorParam({ cursor }, UUID);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OperationOutcomeError);
    expect((error as OperationOutcomeError).status).toBe(400);
    expect((error as OperationOutcomeError).issues[0]?.errorCode).toBe('OPS-BAD-QUERY');
  });
});

describe('payloadQuota: payloads kept per client and minute', () => {
  test('the minute quota is per client and starts again when the minute turns', () => {
    let now = 120_000;
    const allowed = payloadQuota(2, () => now);
    expect([allowed('a'), allowed('a'), allowed('b'), allowed('a')]).toEqual([true, true, true, false]);
    now += 59_000;
    expect(allowed('a')).toBe(false);
    now += 1_000;
    expect([allowed('a'), allowed('a'), allowed('a')]).toEqual([true, true, false]);
  });

  test('0 keeps no payload at all', () => {
    expect(payloadQuota(0)('a')).toBe(false);
  });
});

describe('conformanceQuery: the tz parameter', () => {
  const admin = { clientId: 'admin', scopes: ['admin'], organizations: ['*'] };
  test.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'Europe/Paris'])('tz=%p is 400 OPS-BAD-QUERY naming tz, never a RangeError', (tz) => {
    let error: unknown;
    try {
      conformanceQuery(admin, { tz }, Date.UTC(2026, 11, 2));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OperationOutcomeError);
    expect((error as OperationOutcomeError).status).toBe(400);
    expect(JSON.stringify((error as OperationOutcomeError).issues)).toContain('tz');
  });

  test('a known zone shifts the default window to its local midnight', () => {
    const q = conformanceQuery(admin, { tz: 'Asia/Jayapura' }, Date.UTC(2026, 11, 2, 20, 0));
    // 20:00 UTC on 2 December is 05:00 on 3 December in Jayapura: today there ends at 3 December 24:00 WIT.
    expect(q).toMatchObject({ offsetMinutes: 540, to: '2026-12-03T15:00:00.000Z' });
  });
});
