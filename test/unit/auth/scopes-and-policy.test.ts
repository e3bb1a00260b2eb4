import { findRule, fhirScope } from '../../../src/auth/access-policy';
import { allows, grantScopes } from '../../../src/auth/scopes';
import { requireRead } from '../../../src/fhir-rest/access';
import type { FhirRequest } from '../../../src/fhir-rest/types';
import { OperationOutcomeError } from '../../../src/kernel';

describe('scopes', () => {
  test.each([
    [['system/*.read'], 'system/Observation.read', true],
    [['system/*.read'], 'system/Observation.write', false],
    [['system/Patient.*'], 'system/Patient.write', true],
    [['system/Patient.*'], 'system/Encounter.read', false],
    [['system/*.*'], 'system/Condition.write', true],
    [['ilp/submission.write'], 'ilp/submission.read', false],
    [['admin'], 'admin', true],
    [['system/*.*'], 'admin', false],
  ])('%j allows %s: %s', (granted, needed, expected) => {
    expect(allows(granted as string[], needed as string)).toBe(expected);
  });

  test('a client gets the requested scopes it has, or all of its scopes when it asks for none', () => {
    expect(grantScopes(['system/*.read', 'ilp/submission.write'], 'system/Observation.read admin')).toEqual(['system/Observation.read']);
    expect(grantScopes(['ilp/submission.write'], undefined)).toEqual(['ilp/submission.write']);
    expect(grantScopes(['ilp/submission.write'], 'admin')).toEqual([]);
  });
});

describe('access policy', () => {
  test.each([
    ['GET', '/healthz', 'public'],
    ['GET', '/fhir/metadata', 'public'],
    ['POST', '/auth/token', 'public'],
    ['GET', '/ilp/v1/openapi.json', 'public'],
    ['POST', '/ilp/v1/encounters', 'ilp/submission.write'],
    ['POST', '/ilp/v1/encounters/$validate', 'ilp/submission.write'],
    ['POST', '/ilp/v1/encounters/$import', 'ilp/submission.write'], // bulk import: the same scope as one visit (issue 12)
    ['GET', '/ilp/v1/submissions/abc', 'ilp/submission.read'],
    ['GET', '/fhir/Observation', 'system/Observation.read'],
    ['GET', '/fhir/Patient/123/_history', 'system/Patient.read'],
    ['POST', '/fhir', 'system/*.write'],
    ['GET', '/fhir/$export', 'system/*.read'],
    // The path-level gate only: the kick-off handler also requires system/<T>.read for every exported type.
    ['GET', '/fhir/Patient/$export', 'system/Patient.read'],
    ['GET', '/fhir/Group/g1/$export', 'system/Group.read'],
    ['POST', '/fhir/$validate', 'authenticated'],
    ['POST', '/fhir/Observation/$validate', 'authenticated'],
    ['GET', '/admin/v1/failed', 'admin'],
    ['GET', '/somewhere/else', 'authenticated'],
  ])('%s %s → %s', (method, path, expected) => {
    const rule = findRule(method, path);
    const verdict = rule?.public ? 'public' : typeof rule?.scope === 'function' ? rule.scope(path, method) : rule?.scope ?? 'authenticated';
    expect(verdict).toBe(expected);
  });

  test('bulk status polling, cancel and file download are reads', () => {
    expect(fhirScope('/fhir/bulkstatus/123', 'DELETE')).toBe('system/*.read');
    expect(fhirScope('/fhir/bulkstatus/123', 'GET')).toBe('system/*.read');
    expect(fhirScope('/fhir/bulkfiles/123/Observation-1.ndjson', 'GET')).toBe('system/*.read');
    expect(fhirScope('/fhir/Observation/123', 'DELETE')).toBe('system/Observation.write');
  });
});

describe('handler-level scope checks (src/fhir-rest/access.ts)', () => {
  const req = (scopes: string[] | undefined): FhirRequest => ({
    method: 'GET', path: '/Patient/$export', query: [], headers: {}, body: undefined, baseUrl: 'http://gw/fhir',
    ...(scopes ? { principal: { clientId: 'c', scopes, organizations: ['*'] } } : {}),
  });
  const status = (fn: () => void): number | undefined => {
    try {
      fn();
      return undefined;
    } catch (err) {
      return err instanceof OperationOutcomeError ? err.status : -1;
    }
  };

  test('every type needs its read scope: Patient.read does not cover an export of Observation', () => {
    expect(status(() => requireRead(req(['system/Patient.read']), ['Patient', 'Observation']))).toBe(403);
    expect(status(() => requireRead(req(['system/Patient.read']), ['Patient']))).toBeUndefined();
    expect(status(() => requireRead(req(['system/Patient.read', 'system/Observation.*']), ['Patient', 'Observation']))).toBeUndefined();
    expect(status(() => requireRead(req(['system/*.read']), ['Patient', 'Observation', 'CarePlan']))).toBeUndefined();
    expect(status(() => requireRead(req(['system/*.write']), ['Patient']))).toBe(403);
  });

  test('no principal is no scope (401)', () => {
    expect(status(() => requireRead(req(undefined), ['Patient']))).toBe(401);
  });
});
