import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { problem } from '../../../src/relay/outcome';
import { TokenCache } from '../../../src/relay/token-cache';

const OUTCOME = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'value', details: { text: 'Data harus terisi (RuleNumber: 10118)' } }] };
const LOCKOUT = { resourceType: 'OperationOutcome', issue: [{ severity: 'invalid', code: 'value', details: { text: 'Authentication temporarily cannot be performed due to the rate limit policy. Rate limit: 1 request per minute after a failed attempt.' } }] };

describe('what an answer means (problem())', () => {
  test('rejected only for a 4xx with an OperationOutcome: the FHIR processor\'s verdict on the data', () => {
    expect(problem({ kind: 'response', status: 400, body: OUTCOME }, '10000005')).toEqual({ kind: 'rejected', outcome: OUTCOME });
    expect(problem({ kind: 'response', status: 422, body: OUTCOME }, '10000005').kind).toBe('rejected');
  });

  test.each([
    [404, 'Not Found'], [403, undefined], [405, '<html>Method Not Allowed</html>'], [400, { fault: { faultstring: 'policy' } }],
  ])('a %s without an OperationOutcome is a transient upstream failure (wrong URL, proxy, gateway policy)', (status, body) => {
    const r = problem({ kind: 'response', status, body }, '10000005');
    expect(r).toMatchObject({ kind: 'retry', upstream: true, transient: true });
  });

  test('a refused token pauses the organisation; the lock-out is a transient retry that does not trip the breaker', () => {
    expect(problem({ kind: 'auth', permanent: true, error: 'token: HTTP 401 …' }, '10000005')).toMatchObject({ kind: 'paused' });
    expect(problem({ kind: 'auth', permanent: false, error: 'locked', retryAfterMs: 60_000 }, '10000005'))
      .toEqual({ kind: 'retry', error: 'locked', upstream: false, transient: true, retryAfterMs: 60_000 });
  });
});

describe('token failures (satusehat-api.md §1.3)', () => {
  let server: Server;
  let url: string;
  let requests = 0;
  let answer: { status: number; body: unknown } = { status: 200, body: {} };
  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests += 1;
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => { await new Promise((resolve) => server.close(resolve)); });
  beforeEach(() => { requests = 0; });

  const creds = { organizationId: '10000005', clientId: 'c', clientSecret: 's' };

  test('the documented lock-out text is transient with at least 60 s, whatever its 4xx status', async () => {
    answer = { status: 401, body: LOCKOUT };
    const tokens = new TokenCache({ authUrl: url, timeoutMs: 2000 });
    const r = await tokens.get(creds);
    expect(r).toMatchObject({ ok: false, permanent: false });
    expect(r.ok ? 0 : r.retryAfterMs).toBeGreaterThanOrEqual(60_000);
  });

  test('a refused token request is remembered for a minute per credentials: no hammering of the token endpoint', async () => {
    let now = 1_000_000;
    const tokens = new TokenCache({ authUrl: url, timeoutMs: 2000, now: () => now });
    answer = { status: 401, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'invalid', code: 'value', details: { text: 'not authenticated' } }] } };
    expect(await tokens.get(creds)).toMatchObject({ ok: false, permanent: true });
    now += 30_000;
    const again = await tokens.get(creds); // not asked again; reported as "wait" (the refusal paused the organisation once)
    expect(again).toMatchObject({ ok: false, permanent: false });
    expect(again.ok ? 0 : again.retryAfterMs).toBe(30_000);
    expect(requests).toBe(1);
    answer = { status: 200, body: { access_token: 'tok', expires_in: '3599' } };
    now += 31_000;
    expect(await tokens.get(creds)).toEqual({ ok: true, token: 'tok' });
    expect(requests).toBe(2);
  });

  test('a corrected secret is tried at once', async () => {
    const tokens = new TokenCache({ authUrl: url, timeoutMs: 2000 });
    answer = { status: 401, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'invalid', code: 'value', details: { text: 'not authenticated' } }] } };
    expect(await tokens.get(creds)).toMatchObject({ ok: false, permanent: true });
    answer = { status: 200, body: { access_token: 'tok2', expires_in: '3599' } };
    expect(await tokens.get({ ...creds, clientSecret: 'corrected' })).toEqual({ ok: true, token: 'tok2' });
    expect(requests).toBe(2);
  });
});
