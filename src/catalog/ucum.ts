import { createRequire } from 'node:module';

/**
 * UCUM unit check through @lhncbc/ucum-lhc (the NLM reference implementation). The package ships
 * no type declarations, so the one call we use is typed here. Loading its unit table takes a
 * moment, so it happens on first use and results are cached.
 */
interface UcumValidation {
  status: 'valid' | 'invalid' | 'error';
  msg: string[];
}

interface UcumPackage {
  UcumLhcUtils: { getInstance(): { validateUnitString(code: string): UcumValidation } };
}

let validator: ((code: string) => UcumValidation) | undefined;
const cache = new Map<string, boolean>();

function load(): (code: string) => UcumValidation {
  const pkg = createRequire(__filename)('@lhncbc/ucum-lhc') as UcumPackage;
  const utils = pkg.UcumLhcUtils.getInstance();
  return (code) => utils.validateUnitString(code);
}

/** True when `code` is a valid UCUM expression (e.g. `mm[Hg]`, `/min`, `kg/m2`). */
export function isValidUcum(code: string): boolean {
  const known = cache.get(code);
  if (known !== undefined) return known;
  validator ??= load();
  const valid = validator(code).status === 'valid';
  cache.set(code, valid);
  return valid;
}
