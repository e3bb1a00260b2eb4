import type { Resource } from 'fhir/r4';
import { SYSTEMS } from './canonical';

/**
 * Where the subject of a resource lives, as the access filter of district clients sees it
 * (docs/decisions/0010): the 10-digit Kemendagri village code (desa/kelurahan) of the Patient's
 * address, from SATUSEHAT's administrativeCode extension (satusehat-api §3.5). The same extension
 * and the same `subject` reference feed the region search parameters (search-parameters.ts), so a
 * district client's filter and its `village=`/`district=` searches agree.
 */

const VILLAGE = /^\d{10}$/;

/** The village code of a Patient's first address that has one; null when none is given. */
export function villageCodeOf(patient: Resource): string | null {
  const addresses: unknown = (patient as { address?: unknown }).address;
  if (!Array.isArray(addresses)) return null;
  for (const address of addresses as { extension?: unknown }[]) {
    for (const ext of asList(address?.extension)) {
      if (ext.url !== SYSTEMS.administrativeCodeExtension) continue;
      const village = asList(ext.extension).find((e) => e.url === 'village');
      if (typeof village?.valueCode === 'string' && VILLAGE.test(village.valueCode)) return village.valueCode;
    }
  }
  return null;
}

/** The Patient a clinical resource is about (`subject` or, for Immunization and kin, `patient`), as a local id. */
export function subjectPatientId(resource: Resource): string | null {
  const r = resource as { subject?: { reference?: unknown }; patient?: { reference?: unknown } };
  for (const ref of [r.subject?.reference, r.patient?.reference]) {
    const m = typeof ref === 'string' ? /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(ref) : null;
    if (m?.[1]) return m[1];
  }
  return null;
}

interface Ext { url?: unknown; valueCode?: unknown; extension?: unknown }

function asList(value: unknown): Ext[] {
  return Array.isArray(value) ? (value.filter((v) => typeof v === 'object' && v !== null) as Ext[]) : [];
}
