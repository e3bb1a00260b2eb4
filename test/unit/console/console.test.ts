import { classify } from '../../../src/audit/classify';
import { decide, dataFilter } from '../../../src/auth/access-decision';
import { findRule } from '../../../src/auth/access-policy';
import { loadConsoleConfig } from '../../../src/config/console-config';
import { ancestry, childLength } from '../../../src/console/areas';
import { html, escapeHtml } from '../../../src/console/html';
import { translator } from '../../../src/console/i18n';
import { previousPeriod, coverageOf, chartRule } from '../../../src/console/pws-dashboard';
import { principalOfUser } from '../../../src/console/roles';
import { userProblems } from '../../../src/console/users';
import { parsePeriod, type Period } from '../../../src/pws/query';
import { pwsScope } from '../../../src/pws/scope';

describe('the console html template', () => {
  test('escapes every interpolated value, keeps nested templates, drops null/false', () => {
    const name = '<script>alert("x")</script> & \'Soka"an\'';
    expect(html`<td>${name}</td>`.value).toBe('<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Soka&quot;an&#39;</td>');
    expect(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.value).toBe('<ul><li>a&lt;</li><li>b</li></ul>');
    expect(html`${null}${undefined}${false}${0}`.value).toBe('0');
    expect(html`<a href="${'" onmouseover="x'}">`.value).not.toContain('" onmouseover');
    expect(escapeHtml('`')).toBe('&#96;');
  });
});

describe('console dictionaries', () => {
  test('fill parameters in both languages', () => {
    expect(translator('id')('login.throttled', { seconds: 30 })).toBe('Terlalu banyak percobaan gagal. Coba lagi dalam 30 detik.');
    expect(translator('en')('login.throttled', { seconds: 30 })).toBe('Too many failed attempts. Try again in 30 seconds.');
  });
});

describe('a console user is an access principal', () => {
  const base = { username: 'u', regions: ['3508'], organizations: ['10000005'] };
  test('district: region-restricted reader; the access decision keeps it inside its regions', () => {
    const p = principalOfUser({ ...base, role: 'district' });
    expect(p).toEqual({ clientId: 'console:u', organizations: ['*'], scopes: expect.arrayContaining(['pws/indicators.read']), regions: ['3508'] });
    expect(decide(p, 'admin', 'admin')).toMatchObject({ allow: false });
    expect(() => pwsScope(dataFilter(p), '3509')).toThrow('may not see area 3509');
    expect(pwsScope(dataFilter(p), '35')).toEqual({ areaPrefix: '35', organizations: 'all', regions: ['3508'] });
  });
  test('vendor support sees its organisations only; a tester nothing; an admin everything', () => {
    expect(dataFilter(principalOfUser({ ...base, role: 'vendor-support' }))).toEqual({ organizations: ['10000005'], regions: 'all' });
    expect(dataFilter(principalOfUser({ ...base, role: 'tester' }))).toEqual({ organizations: [], regions: 'all' });
    expect(decide(principalOfUser({ ...base, role: 'admin' }), 'admin', 'admin')).toMatchObject({ allow: true });
  });
});

describe('users add checks', () => {
  test('every problem is listed', () => {
    expect(userProblems({ username: 'A!', password: 'short', role: 'district', regions: ['35x'], organizations: ['1'] })).toEqual([
      'username: 3 to 64 characters a-z 0-9 . _ -', 'password: at least 12 characters', 'region 35x: a Kemendagri code of 2, 4, 6 or 10 digits',
      'organization 1: a SATUSEHAT organization id (digits)', '--org is only for vendor-support users',
    ]);
    expect(userProblems({ username: 'ok.user', password: 'long-enough-pw', role: 'admin', regions: [], organizations: [] })).toEqual([]);
  });
});

describe('console wiring', () => {
  test('/console is authenticated by its own session, not bearer tokens; its assets are not audited', () => {
    expect(findRule('GET', '/console/pws')?.public).toBe(true);
    expect(classify('GET', '/console/assets/console.css')).toBeUndefined();
    expect(classify('POST', '/console/login')?.subtypes.map((s) => s.code)).toEqual(['110122', 'console-login']);
    expect(classify('GET', '/console/pws')?.identifier).toEqual({ system: 'urn:ilp-gateway:console-page', value: '/console/pws' });
  });
  test('config: idle minutes and the Secure attribute', () => {
    const problems: string[] = [];
    expect(loadConsoleConfig({ CONSOLE_IDLE_MINUTES: '5', CONSOLE_SESSION_HOURS: '8', CONSOLE_COOKIE_SECURE: '1' }, problems)).toEqual({ idleSeconds: 300, lifetimeSeconds: 28_800, cookieSecure: 'always' });
    expect(loadConsoleConfig({}, problems)).toMatchObject({ idleSeconds: 1800, lifetimeSeconds: 43_200 });
    loadConsoleConfig({ CONSOLE_IDLE_MINUTES: '0', CONSOLE_COOKIE_SECURE: 'yes' }, problems);
    expect(problems).toEqual(['CONSOLE_COOKIE_SECURE must be auto, 1 or 0, got "yes"', 'CONSOLE_IDLE_MINUTES must be an integer from 1 to 1440, got "0"']);
  });
});

describe('dashboard arithmetic is only the engine\'s', () => {
  const march = parsePeriod('2026-03') as Period;
  test('previous periods', () => {
    expect(previousPeriod(march).text).toBe('2026-02');
    expect(previousPeriod(parsePeriod('2026-01') as Period).text).toBe('2025-12');
    expect(previousPeriod(parsePeriod('2026') as Period).text).toBe('2025');
  });
  test('the chart compares the engine\'s year-to-date value with its target line', () => {
    const rule = chartRule('PWS-K3-PTM-SCREENED');
    const r = { code: rule.code, name: '', nameEn: '', kind: 'PWS' as const, numerator: 1, denominator: 10, value: 10, yearToDate: { numerator: 3, denominator: 10, value: 30 }, targetLine: 25 };
    expect(coverageOf(rule, march, r)).toEqual({ coverage: 30, target: 25 });
    expect(coverageOf(rule, parsePeriod('2026') as Period, r)).toEqual({ coverage: 10, target: 100 });
  });
  test('area levels', () => {
    expect(ancestry('3508012001')).toEqual(['35', '3508', '350801', '3508012001']);
    expect([childLength(''), childLength('35'), childLength('3508'), childLength('350801'), childLength('3508012001')]).toEqual([2, 4, 6, 10, undefined]);
  });
});
