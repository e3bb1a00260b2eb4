/**
 * R4 observation-vitalsigns.html: "If a resource has a LOINC code listed in the table below, it SHALL
 * conform to the profile". LOINC code → the R4 core vital signs profile it calls for: each profile's
 * own code, and the more specific LOINC codes the HL7 validator treats as the same vital sign
 * (e.g. oral or tympanic temperature → bodytemp; systolic pressure 8480-6 → bp).
 */
const BY_PROFILE: Readonly<Record<string, readonly string[]>> = {
  vitalspanel: ['85353-1'],
  resprate: ['9279-1', '76170-0', '76172-6', '76171-8', '19840-8', '33438-3', '76270-8', '11291-2'],
  heartrate: ['8867-4', '60978-4', '73795-7', '73799-9', '76476-1', '76477-9', '8889-8', '8890-6', '8891-4', '8892-2', '8893-0', '40443-4', '55425-3', '68999-2', '11328-2', '69000-8', '8886-4'],
  oxygensat: ['2708-6', '19224-5', '20564-1', '2709-4', '2710-2', '2711-0', '2713-6', '51733-4', '59408-5', '59417-6', '89276-0', '97549-0'],
  bodytemp: ['8310-5', '60834-9', '60835-6', '60836-4', '60838-0', '60955-2', '61009-7', '75539-7', '75987-8', '76010-8', '76011-6', '76278-1', '8309-7', '8328-7', '8329-5', '8330-3', '8331-1', '8332-9', '8333-7', '8334-5', '91371-5', '98657-0', '98663-8'],
  bodyheight: ['8302-2', '3137-7', '3138-5', '8306-3', '8308-9'],
  headcircum: ['9843-4', '8287-5'],
  bodyweight: ['29463-7', '3141-9', '3142-7', '75292-3', '79348-9', '8350-1', '8351-9'],
  bmi: ['39156-5', '59574-4', '89270-3'],
  bp: ['85354-9', '35094-2', '8459-0', '76534-7', '55284-4', '8480-6'],
};

/** The vital signs profile an Observation.code calls for (the first profile, in the table's order, one of whose LOINC codes it carries). */
/**
 * The same for SNOMED CT codes (the HL7 validator's table; R4 itself lists LOINC only), looked at
 * when no LOINC code matched.
 */
const BY_PROFILE_SNOMED: Readonly<Record<string, readonly string[]>> = {
  vitalspanel: ['46680005'],
  heartrate: ['271306003', '249043002', '444981005', '399017001', '251670001', '429525003', '429614003'],
  oxygensat: ['103228002', '442349007', '442476006', '442440005', '431314004', '442734002', '713194001'],
  bodytemp: ['386725007', '276885007', '300076005', '1222808002', '364246006', '307047009', '708499008', '431598003', '698831002', '698832009', '415882003', '415974002', '415929009', '415945006'],
  bodyheight: ['1153637007', '1162419008', '50373000', '1162418000', '1230278008', '1162392001', '1162417005'],
  headcircum: ['363812007', '169876006', '1269262007', '363811000'],
  bodyweight: ['60621009', '735395000', '425024002', '424927000', '784399000', '1162416001', '1162415002'],
  bp: ['75367002', '251076008', '163033001', '163035008', '386534000', '386536003', '271649006', '271650006', '407556006', '407554009', '716579001', '399304008'],
};

/** code → the table order of its profile (a code listed twice keeps its first profile), per system. */
const orderOf = (table: Readonly<Record<string, readonly string[]>>): ReadonlyMap<string, number> => {
  const out = new Map<string, number>();
  Object.values(table).forEach((codes, i) => codes.forEach((c) => out.has(c) || out.set(c, i)));
  return out;
};

/**
 * Per system: its label, the profile names in table order, and code → place in that order. The
 * first profile in the order one of whose codes is present wins, as scanning the table would.
 */
const SYSTEMS = [
  { system: 'http://loinc.org', label: 'LOINC', names: Object.keys(BY_PROFILE), order: orderOf(BY_PROFILE) },
  { system: 'http://snomed.info/sct', label: 'SNOMED CT', names: Object.keys(BY_PROFILE_SNOMED), order: orderOf(BY_PROFILE_SNOMED) },
] as const;

export function vitalSignProfile(code: unknown): { profile: string; system: string; code: string } | undefined {
  const codings = typeof code === 'object' && code !== null && Array.isArray((code as { coding?: unknown }).coding)
    ? ((code as { coding: unknown[] }).coding) : [];
  for (const { system, label, names, order } of SYSTEMS) {
    let best: { place: number; code: string } | undefined;
    for (const c of codings) {
      if (typeof c !== 'object' || c === null || (c as { system?: unknown }).system !== system) continue;
      const value = (c as { code?: unknown }).code;
      const place = typeof value === 'string' ? order.get(value) : undefined;
      // The first present code of the earliest profile (a later code of the same profile does not replace it).
      if (typeof value === 'string' && place !== undefined && (!best || place < best.place)) best = { place, code: value };
    }
    if (best) return { profile: `http://hl7.org/fhir/StructureDefinition/${names[best.place] ?? ''}`, system: label, code: best.code };
  }
  return undefined;
}
