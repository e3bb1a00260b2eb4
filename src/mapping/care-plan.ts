import type { CarePlan, CarePlanActivity, Reference } from 'fhir/r4';
import type { FollowUp } from '../catalog/types';
import { ACTIVITY_KINDS } from '../catalog/vocabulary';
import { ILP, SYSTEMS, kemkesIdentifierSystem } from '../fhir/canonical';
import { MappingContext, addDays, endOfLocalDayUtc, localVisitDate } from './context';

export interface CatalogueFollowUp {
  followUp: FollowUp;
  /** The Observation that triggered it. */
  reason: string;
}

function activity(ctx: MappingContext, kind: string, description: string, due: string | undefined, reasons: Reference[]): CarePlanActivity {
  const def = ACTIVITY_KINDS.find((k) => k.code === kind);
  return {
    detail: {
      code: { coding: [{ system: ILP.activityKindCodeSystem, code: kind, display: def?.display ?? kind }] },
      status: 'scheduled',
      description,
      ...(due ? { scheduledPeriod: { start: ctx.sub.startUtc, end: endOfLocalDayUtc(ctx, due) } } : {}),
      ...(reasons.length > 0 ? { reasonReference: reasons } : {}),
    },
  };
}

/**
 * Follow-ups the catalogue adds for positive screenings. Two results that call for the same action
 * (systolic and diastolic both high → one referral) become one activity citing both.
 */
function catalogueActivities(ctx: MappingContext, followUps: CatalogueFollowUp[]): CarePlanActivity[] {
  const merged = new Map<string, { f: FollowUp; reasons: Reference[] }>();
  for (const { followUp, reason } of followUps) {
    const key = `${followUp.kind}|${followUp.description}`;
    const entry = merged.get(key) ?? { f: followUp, reasons: [] };
    entry.reasons.push({ reference: reason });
    merged.set(key, entry);
  }
  return [...merged.values()].map(({ f, reasons }) => activity(ctx, f.kind, f.description, addDays(localVisitDate(ctx), f.dueInDays), reasons));
}

/** CarePlan "Rencana Rawat Pasien" (satusehat-api §3.4): the vendor's activities plus catalogue follow-ups. */
export function mapCarePlan(ctx: MappingContext, followUps: CatalogueFollowUp[]): CarePlan | undefined {
  const vendor = (ctx.sub.raw.carePlan?.activities ?? []).map((a) => activity(ctx, a.kind, a.description, a.due, []));
  const added = catalogueActivities(ctx, followUps);
  if (vendor.length + added.length === 0) return undefined;
  return {
    resourceType: 'CarePlan',
    id: ctx.id('careplan'),
    identifier: [{ system: kemkesIdentifierSystem('careplan', ctx.orgId), value: ctx.sub.raw.submissionId }],
    status: 'active',
    intent: 'plan',
    title: 'Rencana Rawat Pasien',
    description: [...vendor, ...added].map((a) => a.detail?.description).join('; '),
    category: [{ coding: [{ system: SYSTEMS.snomed, code: '736271009', display: 'Outpatient care plan' }] }],
    subject: ctx.patientRef,
    encounter: ctx.encounterRef,
    created: ctx.sub.endUtc,
    author: ctx.practitionerRef,
    activity: [...vendor, ...added],
  };
}
