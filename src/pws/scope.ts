import { fail } from '../kernel';
import type { AccessFilter } from '../store/ports';
import type { PwsScope } from '../store/pws-ports';

/**
 * The indicator query's scope from the caller's data filter (src/auth/access-decision.ts
 * `dataFilter`, the one access decision): a vendor counts what its own organisations recorded, a
 * district team the villages of its regions, the ministry everything. An area wholly outside the
 * caller's regions is refused (403) rather than answered with zeros that look like real figures.
 */
export function pwsScope(filter: AccessFilter, areaPrefix: string): PwsScope {
  const { organizations } = filter;
  if (filter.regions === 'all') return { areaPrefix, organizations, regions: 'all' };
  const overlapping = filter.regions.filter((r) => r.startsWith(areaPrefix) || areaPrefix.startsWith(r));
  if (overlapping.length === 0) fail('PWS-AREA-FORBIDDEN', { area: areaPrefix });
  // Inside one of its regions the filter is the area itself; above them, only its regions below the area.
  const regions = overlapping.some((r) => areaPrefix.startsWith(r)) ? 'all' : overlapping;
  return { areaPrefix, organizations, regions };
}
