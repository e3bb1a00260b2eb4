import type { CarePlan, CarePlanActivity, Reference } from 'fhir/r4';
import type { FollowUp } from '../catalog/types';
import { ACTIVITY_KINDS } from '../catalog/vocabulary';
import { ILP, SYSTEMS, kemkesIdentifierSystem } from '../fhir/canonical';
import { MappingContext, addDays, endOfLocalDayUtc, localVisitDate } from './context';

export interface CatalogueFollowUp {
  followUp: FollowUp;
  /** The Observation that triggered it. */
  reason: string;
  /** CatalogueItem.followUpGroup of its item: parts of one reading share one follow-up. */
  group?: string;
}

/** Most urgent first: a referral before a retest before advice, then the earliest due. */
const KIND_URGENCY: Record<FollowUp['kind'], number> = { referral: 0, treatment: 1, 'follow-up': 2, retest: 3, education: 4 };
const moreUrgent = (a: FollowUp, b: FollowUp): boolean =>
  KIND_URGENCY[a.kind] < KIND_URGENCY[b.kind] || (a.kind === b.kind && a.dueInDays < b.dueInDays);

/**
 * One follow-up per reading: the parts of a group (systolic and diastolic) give the most urgent of
 * their follow-ups, citing every part that called for one (KMK Tabel 22 classifies a reading by its
 * higher component).
 */
function onePerGroup(followUps: CatalogueFollowUp[]): CatalogueFollowUp[] {
  const chosen = new Map<string, FollowUp>();
  for (const { followUp, group } of followUps) {
    if (group === undefined) continue;
    const current = chosen.get(group);
    if (!current || moreUrgent(followUp, current)) chosen.set(group, followUp);
  }
  return followUps.map((f) => (f.group === undefined ? f : { ...f, followUp: chosen.get(f.group) ?? f.followUp }));
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
  for (const { followUp, reason } of onePerGroup(followUps)) {
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
