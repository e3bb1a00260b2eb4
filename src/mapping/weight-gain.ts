import { kbmGrams } from '../catalog/kbm';
import type { FollowUp } from '../catalog/types';
import { FU } from '../catalog/follow-ups';
import type { NormalisedItem } from '../intake/submission';
import type { MappingContext } from './context';
import type { Weighing } from './history';
import { MappedObservation, mapObservation, observationRole } from './observation';

/**
 * The monthly weight gain of an under-five (item `weight-gain`, SKDN; ilp-domain §4.2, §8.3):
 * B at the first weighing the gateway knows of, O when the previous weighing is not in the previous
 * calendar month, otherwise N when the gain reaches the KBM for the age (catalog/kbm.ts) and T when
 * it does not. Two T in a row (2T) add a referral. Months are the facility's local calendar months.
 */
export type WeightGain = 'N' | 'T' | 'O' | 'B';

/** Calendar month number (year × 12 + month) of a UTC instant in the facility's local time. */
function localMonth(utc: string, offsetMinutes: number): number {
  const d = new Date(Date.parse(utc) + offsetMinutes * 60_000);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** Completed months of age at a UTC instant, counted in local dates (as ageAt does). */
function ageMonthsAt(birthDate: string, utc: string, offsetMinutes: number): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const at = new Date(Date.parse(utc) + offsetMinutes * 60_000);
  let months = (at.getUTCFullYear() - by) * 12 + (at.getUTCMonth() + 1 - bm);
  if (at.getUTCDate() < bd) months -= 1;
  return Math.max(0, months);
}

export interface GainInput {
  birthDate: string;
  offsetMinutes: number;
  current: Weighing;
  /** Earlier weighings, newest first. */
  earlier: readonly Weighing[];
}

/** N/T/O/B for `current` against the newest earlier weighing of an earlier calendar month. */
export function weightGain({ birthDate, offsetMinutes, current, earlier }: GainInput): WeightGain {
  const month = localMonth(current.effectiveUtc, offsetMinutes);
  const previous = earlier.find((w) => localMonth(w.effectiveUtc, offsetMinutes) < month);
  if (!previous) return 'B';
  if (localMonth(previous.effectiveUtc, offsetMinutes) !== month - 1) return 'O';
  const gainGrams = Math.round((current.weightKg - previous.weightKg) * 1000);
  return gainGrams >= kbmGrams(ageMonthsAt(birthDate, current.effectiveUtc, offsetMinutes)) ? 'N' : 'T';
}

/** The status of the previous weighing too, for 2T. */
export function twoTInARow(input: GainInput): boolean {
  if (weightGain(input) !== 'T') return false;
  const [previous, ...before] = input.earlier.filter((w) => localMonth(w.effectiveUtc, input.offsetMinutes) < localMonth(input.current.effectiveUtc, input.offsetMinutes));
  return previous !== undefined && weightGain({ ...input, current: previous, earlier: before }) === 'T';
}

export function weightGainObservation(ctx: MappingContext, weight: NormalisedItem | undefined, earlier: readonly Weighing[]): { observation: MappedObservation; extra: FollowUp[] } | undefined {
  const item = ctx.catalogue.items.get('weight-gain');
  if (!item || !weight || typeof weight.value !== 'number' || ctx.sub.age.months >= 60) return undefined;
  if (!ctx.sub.raw.lifeCycle.some((g) => item.lifeCycles.includes(g))) return undefined;
  const input: GainInput = {
    birthDate: ctx.sub.raw.patient.birthDate, offsetMinutes: ctx.sub.offsetMinutes,
    current: { effectiveUtc: weight.timeUtc, weightKg: weight.value }, earlier,
  };
  const observation = mapObservation(ctx, {
    item, value: weightGain(input), timeUtc: weight.timeUtc, path: weight.path,
    derivedFrom: [ctx.urn(observationRole('body-weight'))],
  });
  return { observation, extra: twoTInARow(input) ? [FU.notGainingTwice] : [] };
}
