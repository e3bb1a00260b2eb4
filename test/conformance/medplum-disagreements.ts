/**
 * Where our verdict differs from @medplum/core validateResource on the differential corpus
 * (medplum-differential.test.ts), and why. Summarised in docs/validation.md. Every entry: we reject,
 * Medplum accepts; the reason cites the rule of the specification we apply.
 */
const BINDING = 'Medplum does not reject a code outside a required value set; R4 terminologies.html#strength: required means the code SHALL be from the value set.';
const NESTED = 'Medplum does not validate resources nested in Bundle.entry.resource or contained; R4 bundle.html and references.html#contained: they are resources and must be valid.';
const CODE = 'Medplum does not check codes against their code system; the reference validator does (complete CodeSystems by membership; LOINC, SNOMED CT, ICD-10 and UCUM by their own rules).';
const REFERENCE = 'Medplum does not check the target type of a reference against ElementDefinition.type.targetProfile (R4 references.html).';
const INVARIANT = 'Medplum does not enforce this error-level invariant (R4 conformance-rules.html#constraints); we do.';
const JSON_RULE = 'Medplum accepts JSON that R4 json.html forbids (empty arrays/objects, ele-1, a choice element given twice, `_x` beside a complex element).';
const FORMAT = 'Medplum does not apply the primitive type\'s regular expression from R4 datatypes.html here.';

export const MEDPLUM_DISAGREEMENTS: Record<string, { stricter: 'ours' | 'medplum'; reason: string }> = {
  'Bundle entry resource is checked': { stricter: 'ours', reason: NESTED },
  'Bundle entry without resourceType': { stricter: 'ours', reason: NESTED },
  'ICD-10: "I1O" is not a code': { stricter: 'ours', reason: CODE },
  'LOINC: not of the form nnnnn-c': { stricter: 'ours', reason: CODE },
  'LOINC: wrong check digit (8480-5)': { stricter: 'ours', reason: CODE },
  'Observation.subject to a Practitioner (allowed: Patient, Group, Device, Location)': { stricter: 'ours', reason: REFERENCE },
  'Reference.type names a Device where an Encounter is expected': { stricter: 'ours', reason: REFERENCE },
  'SNOMED CT: description id partition (not a concept)': { stricter: 'ours', reason: CODE },
  'SNOMED CT: leading zero': { stricter: 'ours', reason: CODE },
  'SNOMED CT: wrong Verhoeff check digit (38341004)': { stricter: 'ours', reason: CODE },
  'UCUM in a Coding': { stricter: 'ours', reason: CODE },
  'UCUM: "mmHg" is not UCUM (mm[Hg] is)': { stricter: 'ours', reason: CODE },
  '_code is not a primitive extension of a complex element': { stricter: 'ours', reason: JSON_RULE },
  'absolute URL to a Practitioner': { stricter: 'ours', reason: REFERENCE },
  'conditional reference to an Organization in Observation.subject': { stricter: 'ours', reason: REFERENCE },
  'contained reference to a contained Organization where a Patient is expected': { stricter: 'ours', reason: REFERENCE },
  'contained resource is checked': { stricter: 'ours', reason: NESTED },
  'cpt-2: ContactPoint value without system': { stricter: 'ours', reason: INVARIANT },
  'dateTime with a time but no offset': { stricter: 'ours', reason: FORMAT },
  'empty array (ele-1)': { stricter: 'ours', reason: JSON_RULE },
  'empty string': { stricter: 'ours', reason: FORMAT },
  'id longer than 64 characters': { stricter: 'ours', reason: FORMAT },
  'id with an underscore': { stricter: 'ours', reason: FORMAT },
  'object with only an id (ele-1)': { stricter: 'ours', reason: JSON_RULE },
  'obs-7: a component repeats Observation.code while a value is present': { stricter: 'ours', reason: INVARIANT },
  'per-1: Period end before start': { stricter: 'ours', reason: INVARIANT },
  'qty-3: Quantity code without system': { stricter: 'ours', reason: INVARIANT },
  'ref-1: local reference to a missing contained resource': { stricter: 'ours', reason: REFERENCE },
  'required binding on CodeableConcept: clinicalStatus from another system': { stricter: 'ours', reason: BINDING },
  'required binding on CodeableConcept: text only': { stricter: 'ours', reason: BINDING },
  'required binding: Address.use "domicile"': { stricter: 'ours', reason: BINDING },
  'required binding: Bundle.type "collectionx"': { stricter: 'ours', reason: BINDING },
  'required binding: ContactPoint.system "mobile"': { stricter: 'ours', reason: BINDING },
  'required binding: Encounter.status "completed" (R5 code)': { stricter: 'ours', reason: BINDING },
  'required binding: HumanName.use "legal"': { stricter: 'ours', reason: BINDING },
  'required binding: Identifier.use "primary"': { stricter: 'ours', reason: BINDING },
  'required binding: Narrative.status "done"': { stricter: 'ours', reason: BINDING },
  'required binding: Observation.status "done" is not an ObservationStatus': { stricter: 'ours', reason: BINDING },
  'required binding: Patient.gender "M"': { stricter: 'ours', reason: BINDING },
  'rng-2: Range low above high': { stricter: 'ours', reason: INVARIANT },
  'two types of a choice element (formats.html#choice)': { stricter: 'ours', reason: JSON_RULE },
  'txt-1: narrative div without the XHTML namespace': { stricter: 'ours', reason: INVARIANT },
  'unknown code in a complete CodeSystem (observation-category "vitals")': { stricter: 'ours', reason: CODE },
  'unknown code in v3-ActCode (Encounter.class)': { stricter: 'ours', reason: CODE },
  'urn:uuid reference resolved in the Bundle to an Encounter where a Patient is expected': { stricter: 'ours', reason: REFERENCE },
  'versioned reference to a Medication': { stricter: 'ours', reason: REFERENCE },
};
