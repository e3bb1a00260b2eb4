/** The one access decision (src/auth/access-decision.ts) and its SQL twin (src/store/access-sql.ts), as data. */
import { dataFilter, decide, passes, writingOrganization } from '../../../src/auth/access-decision';
import { parseClients } from '../../../src/auth/clients';
import { createTokenSigner, type Principal } from '../../../src/auth/tokens';
import { isInvalidText } from '../../../src/api/hardening';
import { OperationOutcomeError } from '../../../src/kernel';
import { accessCondition, binder } from '../../../src/store/access-sql';

const vendor: Principal = { clientId: 'v', organizations: ['100'], scopes: ['system/*.*', 'ilp/submission.write', 'admin'] };
const multi: Principal = { ...vendor, organizations: ['100', '200'] };
const ministry: Principal = { clientId: 'm', organizations: ['*'], scopes: ['system/*.read'] };
const district: Principal = { ...ministry, regions: ['3508', '317403'] };

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof OperationOutcomeError ? err.issues[0]?.errorCode : 'not an OperationOutcomeError';
  }
};

test.each([
  ['vendor', vendor, { organizations: ['100'], regions: 'all' }],
  ['ministry', ministry, { organizations: 'all', regions: 'all' }],
  ['district', district, { organizations: 'all', regions: ['3508', '317403'] }],
])('data filter of a %s', (_name, p, filter) => {
  expect(dataFilter(p)).toEqual(filter);
});

test.each([
  ['own org, any residence', dataFilter(vendor), '100', '3174031001', true],
  ['other org', dataFilter(vendor), '200', '3508012001', false],
  ['row without owner, restricted caller', dataFilter(vendor), null, null, false],
  ['district, inside a 4-digit prefix', dataFilter(district), '200', '3508012001', true],
  ['district, inside a 6-digit prefix', dataFilter(district), '200', '3174031001', true],
  ['district, next kecamatan', dataFilter(district), '200', '3174041001', false],
  ['district, unknown residence', dataFilter(district), '200', null, false],
  ['ministry, anything', dataFilter(ministry), null, null, true],
] as const)('passes: %s', (_name, filter, org, residence, expected) => {
  expect(passes(filter, org, residence)).toBe(expected);
});

test.each([
  ['vendor, nothing named: its only organisation', vendor, [], '100', undefined],
  ['vendor, its own named twice', vendor, ['100', '100'], '100', undefined],
  ['vendor, another organisation', vendor, ['200'], undefined, 'AUTH-ORG'],
  ['vendor, own and another', vendor, ['100', '200'], undefined, 'AUTH-ORG'],
  ['two organisations, none named', multi, [], undefined, 'FHIR-ORGANIZATION-MISSING'],
  ['two organisations, both named', multi, ['100', '200'], undefined, 'AUTH-ORG-AMBIGUOUS'],
  ['two organisations, one named', multi, ['200'], '200', undefined],
  ['ministry writes only when it names one', ministry, [], undefined, 'FHIR-ORGANIZATION-MISSING'],
] as const)('writing organisation: %s', (_name, p, named, org, code) => {
  if (org) expect(writingOrganization(p, named)).toBe(org);
  else expect(codeOf(() => writingOrganization(p, named))).toBe(code);
});

test('admin actions need the scope and an unrestricted principal', () => {
  expect(decide({ ...ministry, scopes: ['admin'] }, 'admin', 'admin')).toMatchObject({ allow: true });
  expect(decide(vendor, 'admin', 'admin')).toEqual({ allow: false, code: 'AUTH-ADMIN-RESTRICTED' });
  expect(decide(ministry, 'admin', 'admin')).toEqual({ allow: false, code: 'AUTH-SCOPE', scope: 'admin' });
  expect(decide(district, 'fhir', 'read')).toEqual({ allow: true, filter: dataFilter(district) });
});

test('the filter in SQL binds every value and escapes LIKE', () => {
  const params: unknown[] = [];
  const sql = accessCondition(binder(params), { organizations: ['100'], regions: ['35%'] }, 'h');
  expect(sql).toBe("(h.organization_id || '') = ANY($1::text[]) AND (h.residence || '') LIKE ANY($2::text[])");
  expect(params).toEqual([['100'], ['35\\%%']]);
  expect(accessCondition(binder([]), { organizations: 'all', regions: 'all' })).toBe('true');
  expect(accessCondition(binder([]), undefined)).toBe('true');
});

test('tokens carry regions; clients files accept 2/4/6/10-digit prefixes only', async () => {
  const signer = createTokenSigner(new Uint8Array(32).fill(5), 60);
  const { token } = await signer.issue({ clientId: 'dinkes', organizations: ['*'], scopes: ['system/*.read'], regions: ['3508'] }, ['system/*.read']);
  expect(await signer.verify(token)).toEqual({ clientId: 'dinkes', organizations: ['*'], scopes: ['system/*.read'], regions: ['3508'] });
  const base = { clientId: 'dinkes', organizations: ['*'], scopes: ['system/*.read'], secretHash: 'scrypt$1$1$1$AA==$AA==' };
  expect(parseClients([{ ...base, regions: ['35', '3508', '350801', '3508012001'] }])[0]?.regions).toHaveLength(4);
  for (const bad of [['350'], ['35080'], ['35a8'], []]) expect(() => parseClients([{ ...base, regions: bad }])).toThrow(/regions/);
  expect(parseClients([base])[0]?.regions).toBeUndefined();
});

test.each([
  ['plain text', 'Sari Dewi', false],
  ['NUL', 'a\u0000b', true],
  ['lone high surrogate', 'x\uD800', true],
  ['lone low surrogate', '\uDC00x', true],
  ['a proper pair (emoji)', 'ok \uD83D\uDE00', false],
])('invalid text: %s', (_name, s, invalid) => {
  expect(isInvalidText(s)).toBe(invalid);
});
