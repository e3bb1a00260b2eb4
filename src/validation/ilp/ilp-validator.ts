import { join } from 'node:path';
import { isObj, type Json } from '../context';
import { type Validator, createValidator, readConformanceResources } from '../engine';
import type { StructureDefinition } from '../model';
import { matchesPattern } from '../values';
import { PROFILE_URLS } from './profiles';

/**
 * The validator with our package (profiles/) loaded, and the rule that applies the ILP profiles by
 * resource type: every Patient, Encounter, Condition and CarePlan against its ILP profile, every
 * Observation against the item profile whose code (and body site) it carries, or the base ILP
 * Observation profile when no item matches. This is what the intake and `$validate` with no
 * explicit profile use.
 */

export const PROFILES_DIR = join(__dirname, '..', '..', '..', 'profiles');

const BY_TYPE: Record<string, string> = {
  Patient: PROFILE_URLS.patient,
  Encounter: PROFILE_URLS.encounter,
  Condition: PROFILE_URLS.condition,
  CarePlan: PROFILE_URLS.carePlan,
  Immunization: PROFILE_URLS.immunization,
};

/** Root-level pattern[x] of a profile's differential (code, category, bodySite): what picks it. */
interface ItemProfile {
  url: string;
  patterns: { name: string; pattern: unknown }[];
}

function itemProfiles(structures: readonly StructureDefinition[]): ItemProfile[] {
  return structures
    .filter((sd) => sd.type === 'Observation' && sd.baseDefinition === PROFILE_URLS.observation)
    .map((sd) => ({
      url: sd.url,
      patterns: (sd.differential?.element ?? [])
        .filter((e) => /^Observation\.[a-zA-Z]+$/.test(e.path) && e.patternCodeableConcept !== undefined)
        .map((e) => ({ name: e.path.slice('Observation.'.length), pattern: e.patternCodeableConcept })),
    }));
}

function matchesAll(resource: Json, p: ItemProfile): boolean {
  return p.patterns.every(({ name, pattern }) => {
    const v = resource[name];
    return (Array.isArray(v) ? v : [v]).some((item) => matchesPattern(item, pattern));
  });
}

export function createIlpValidator(profilesDir: string = PROFILES_DIR): Validator {
  const resources = readConformanceResources(profilesDir);
  const items = itemProfiles(resources.filter((r): r is StructureDefinition => r.resourceType === 'StructureDefinition'));
  // system → code → the item profiles whose code pattern's first coding it is. (Two levels, not a
  // joined `system|code` key: no string built per lookup; no ILP system or code contains `|`.)
  const byCode = new Map<string, Map<string, ItemProfile[]>>();
  for (const p of items) {
    const code = p.patterns.find((x) => x.name === 'code')?.pattern;
    const first = isObj(code) && Array.isArray(code.coding) && isObj(code.coding[0]) ? code.coding[0] : undefined;
    if (!first) continue;
    const codes = byCode.get(String(first.system)) ?? new Map<string, ItemProfile[]>();
    byCode.set(String(first.system), codes);
    codes.set(String(first.code), [...(codes.get(String(first.code)) ?? []), p]);
  }
  // The answers are shared, read-only lists (the engine copies them): one per item profile and the
  // base, so the common case (one coding, one item profile) allocates nothing.
  const onlyUrl = new Map(items.map((p) => [p, [p.url]] as const));
  const baseOnly: readonly string[] = [PROFILE_URLS.observation];
  const observationProfiles = (obs: Json): readonly string[] => {
    const coding = isObj(obs.code) && Array.isArray(obs.code.coding) ? obs.code.coding : [];
    let candidates: ItemProfile[] = [];
    for (const c of coding) {
      if (!isObj(c)) continue;
      const hit = byCode.get(String(c.system))?.get(String(c.code));
      if (hit) candidates = candidates.length === 0 ? hit : [...candidates, ...hit];
    }
    const single = candidates.length === 1 ? candidates[0] : undefined;
    if (single) return onlyUrl.get(single) ?? [single.url];
    const matching = candidates.filter((p) => matchesAll(obs, p));
    const chosen = matching.length > 0 ? matching : candidates.slice(0, 1);
    return chosen.length > 0 ? [...new Set(chosen.map((p) => p.url))] : baseOnly;
  };
  const validator = createValidator({
    defaultProfiles: (r) => {
      const type = String(r.resourceType);
      if (type === 'Observation') return observationProfiles(r);
      const url = BY_TYPE[type];
      return url ? [url] : [];
    },
  });
  validator.load(resources);
  // Compile every profile of the package now, so no request pays for it.
  for (const r of resources) if (r.resourceType === 'StructureDefinition') validator.registry.compile(r.url);
  return validator;
}
