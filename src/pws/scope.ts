import { fail } from '../kernel';
import type { PwsScope } from '../store/pws-ports';

/** What the PWS needs of the caller: the organisations and regions whose data it may see. */
export interface PwsCaller {
  organizations: readonly string[];
  /** Kemendagri code prefixes; absent = no region restriction. */
  regions?: readonly string[];
}

/**
 * The data filter for an indicator query: a vendor sees what its own organisations recorded, a
 * district team the villages of its regions, the ministry everything. An area wholly outside the
 * caller's regions is refused (403) rather than answered with zeros that look like real figures.
 */
export function pwsScope(caller: PwsCaller, areaPrefix: string): PwsScope {
  const organizations = caller.organizations.includes('*') ? 'all' : caller.organizations;
  if (!caller.regions) return { areaPrefix, organizations, regions: 'all' };
  const overlapping = caller.regions.filter((r) => r.startsWith(areaPrefix) || areaPrefix.startsWith(r));
  if (overlapping.length === 0) fail('PWS-AREA-FORBIDDEN', { area: areaPrefix });
  // Inside one of its regions the filter is the area itself; above them, only its regions below the area.
  const regions = overlapping.some((r) => areaPrefix.startsWith(r)) ? 'all' : overlapping;
  return { areaPrefix, organizations, regions };
}
