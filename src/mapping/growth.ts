import type { CatalogueItem } from '../catalog/types';
import { ageInDays, growthZScores, type GrowthInput, type GrowthZScores } from '../growth';
import { type Issue, issue } from '../kernel';
import type { NormalisedItem } from '../intake/submission';
import { localVisitDate, type MappingContext } from './context';
import { MappedObservation, mapObservation, observationRole } from './observation';

/**
 * The WHO z-score items (catalogue `derived.formula: 'who-growth'`), computed by the growth engine
 * (src/growth, docs/decisions/0013) from the measurements of this visit: weight, recumbent length
 * or standing height, head circumference, MUAC and oedema, at the child's age in days on the
 * visit's local date. An index the engine does not return (age outside its table, input missing,
 * oedema for a weight-based one) gives no Observation.
 */

const numberOf = (byCode: ReadonlyMap<string, NormalisedItem>, code: string): number | undefined => {
  const v = byCode.get(code)?.value;
  return typeof v === 'number' ? v : undefined;
};

/** Length when measured lying, height when standing; with both, the one WHO expects at this age. */
function stature(byCode: ReadonlyMap<string, NormalisedItem>, ageDays: number): Pick<GrowthInput, 'lengthOrHeightCm' | 'measured'> & { code?: string } {
  const length = numberOf(byCode, 'body-length');
  const height = numberOf(byCode, 'body-height');
  const preferLength = ageDays < 731;
  if (length !== undefined && (height === undefined || preferLength)) return { lengthOrHeightCm: length, measured: 'recumbent', code: 'body-length' };
  if (height !== undefined) return { lengthOrHeightCm: height, measured: 'standing', code: 'body-height' };
  return {};
}

export function growthInput(ctx: MappingContext, byCode: ReadonlyMap<string, NormalisedItem>): { input: GrowthInput; statureCode?: string } {
  const ageDays = ageInDays(ctx.sub.raw.patient.birthDate, localVisitDate(ctx));
  const { code: statureCode, ...st } = stature(byCode, ageDays);
  const input: GrowthInput = { sex: ctx.sub.raw.patient.gender, ageDays, ...st };
  const weight = numberOf(byCode, 'body-weight');
  const head = numberOf(byCode, 'head-circumference');
  const muac = numberOf(byCode, 'muac');
  if (weight !== undefined) input.weightKg = weight;
  if (head !== undefined) input.headCircumferenceCm = head;
  if (muac !== undefined) input.muacCm = muac;
  if (byCode.get('oedema')?.value === true) input.oedema = true;
  return statureCode ? { input, statureCode } : { input };
}

/** Which measured items an index is computed from (its catalogue inputs that this visit has). */
function inputsUsed(item: CatalogueItem, byCode: ReadonlyMap<string, NormalisedItem>, statureCode: string | undefined): NormalisedItem[] {
  return (item.derived?.inputs ?? [])
    .filter((code) => code !== 'body-length' && code !== 'body-height' ? true : code === statureCode)
    .flatMap((code) => { const i = byCode.get(code); return i ? [i] : []; });
}

const inRange = (item: CatalogueItem, z: number): boolean => item.value.type !== 'quantity' || (z >= item.value.min && z <= item.value.max);

export function growthObservations(ctx: MappingContext, byCode: ReadonlyMap<string, NormalisedItem>): { observations: MappedObservation[]; warnings: Issue[] } {
  const growthItems = [...ctx.catalogue.items.values()].filter((i) => i.derived?.formula === 'who-growth' && i.growthIndex);
  if (growthItems.length === 0 || !['body-weight', 'body-length', 'body-height', 'head-circumference', 'muac'].some((c) => byCode.has(c))) return { observations: [], warnings: [] };
  const { input, statureCode } = growthInput(ctx, byCode);
  const scores: GrowthZScores = growthZScores(input);
  const warnings: Issue[] = [];
  const observations = growthItems.flatMap((item) => {
    const score = item.growthIndex ? scores[item.growthIndex] : undefined;
    if (!score) return [];
    const used = inputsUsed(item, byCode, statureCode);
    // Far beyond any plausible value (a length typed in the weight field): no Observation at all,
    // only the warning, so one typo does not turn into a stored absurd z-score.
    if (!inRange(item, score.z)) {
      warnings.push(issue('WARN-Z-SCORE-FLAGGED', { item: item.code, z: score.z, inputs: used.map((i) => i.code).join(', ') }, used[0]?.path ?? 'screenings'));
      return [];
    }
    const timeUtc = used.map((i) => i.timeUtc).sort().at(-1) ?? ctx.sub.startUtc;
    const mapped = mapObservation(ctx, {
      item, value: score.z, timeUtc, path: used[0]?.path ?? 'screenings',
      derivedFrom: used.map((i) => ctx.urn(observationRole(i.code))),
      // WHO flags a z-score beyond its plausible limits as a probable measurement error: it is
      // recorded without a category (and without follow-ups), and the vendor is told to re-measure.
      ...(score.flagged ? { uninterpreted: true } : {}),
    });
    if (score.flagged) mapped.warning = issue('WARN-Z-SCORE-FLAGGED', { item: item.code, z: score.z, inputs: used.map((i) => i.code).join(', ') }, used[0]?.path ?? 'screenings');
    return [mapped];
  });
  return { observations, warnings };
}
