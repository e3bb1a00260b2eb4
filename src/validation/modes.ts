import type { ValidationPolicy } from './context';

/**
 * The two ways to validate (docs/validation.md, docs/decisions/0016):
 * - `ilp`: "would the gateway accept this?" — base R4, meta.profile, an explicit profile, and the
 *   ILP profiles by resource type and Observation code (the intake's rule);
 * - `r4`: what the HL7 validator does without an implementation guide — base R4 (with R4's vital
 *   signs profiles for an Observation with a vital-sign code), meta.profile and an explicit profile.
 * Used by `ilp-gateway validate --ig` and `$validate`'s `mode` parameter.
 */
export type ValidationMode = 'r4' | 'ilp';

export const VALIDATION_MODES: readonly ValidationMode[] = ['r4', 'ilp'];

export const isValidationMode = (v: unknown): v is ValidationMode => v === 'r4' || v === 'ilp';

/**
 * Validator.validate options for a mode. r4 also makes an unknown extension an error, as the HL7
 * validator does ("could not be found, so is not allowed here"); the gateway's intake keeps it a
 * warning, since SATUSEHAT accepts extensions it does not define.
 */
export function modeOptions(mode: ValidationMode): { defaultProfiles: boolean; unknownExtensions: 'warning' | 'error'; policy: ValidationPolicy } {
  return mode === 'ilp'
    ? { defaultProfiles: true, unknownExtensions: 'warning', policy: {} }
    // r4: an Observation with a vital-sign code is also held to its R4 vital signs profile, and a
    // Bundle entry with relative references needs a fullUrl, as the HL7 validator does.
    : { defaultProfiles: false, unknownExtensions: 'error', policy: { vitalSigns: true, fullUrlForRelativeReferences: true } };
}
