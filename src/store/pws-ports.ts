/**
 * Village monitoring (PWS) storage: what each visit contributes (written in the visit's own
 * transaction by the submission store) and the sasaran targets. The PWS engine (src/pws) decides
 * what to count; this port only counts distinct people over contribution rows.
 */

/** One fact about one person from one visit (src/pws/contributions.ts builds them). */
export interface ContributionRow {
  personKey: string;
  organizationId: string;
  villageCode: string;
  /** YYYY-MM-DD, the fact's local date. */
  localDate: string;
  ageDays: number;
  ageMonths: number;
  ageYears: number;
  sex: 'male' | 'female';
  /** The visit was recorded in the ibu-hamil life-cycle group. */
  pregnant: boolean;
  fact: string;
}

/** A visit's contributions; `aliases` are earlier person keys of the same person in the same organisation (a newborn's mother-NIK key once the child has a NIK). */
export interface VisitContributions {
  rows: ContributionRow[];
  aliases: { from: string; to: string; organizationId: string }[];
}

/** Facts of which a person needs one on at least `minDates` distinct days. */
export interface FactRequirement {
  facts: string[];
  minDates: number;
}

/** Who is counted: every requirement met by rows inside [lookbackFrom, to), with at least one matching row inside [from, to). */
export interface PopulationQuery {
  requirements: FactRequirement[];
  /**
   * Age at each row's local date. By default it selects the PERSON: they belong to the population when one of
   * their matching rows inside the period is in the band, and then all their matching rows count toward the
   * requirements. `perFact` makes it a deadline each row must meet (KN by 28 days, basic doses before 12 months).
   */
  age?: { unit: 'days' | 'months' | 'years'; min?: number; max?: number; perFact?: boolean };
  sex?: 'male' | 'female';
  pregnant?: boolean;
  /** Inclusive YYYY-MM-DD. */
  from: string;
  /** Exclusive YYYY-MM-DD. */
  to: string;
  /** Inclusive YYYY-MM-DD; equals `from` unless the rule looks back. */
  lookbackFrom: string;
}

/**
 * A registry population independent of the period: counted per calendar year in advance
 * (src/store/pws-year.ts) when the engine asks for a whole year. `lookbackMonths` before 1 January.
 */
export interface YearPopulation {
  requirements: FactRequirement[];
  age?: PopulationQuery['age'];
  sex?: 'male' | 'female';
  pregnant?: boolean;
  lookbackMonths: number;
}

/** Where and whose: a Kemendagri code prefix and the data the caller may see. */
export interface PwsScope {
  /** 2, 4, 6 or 10 digits; '' = the whole country. */
  areaPrefix: string;
  /**
   * 'all', or only PEOPLE these organisations served: a person counts for them when they recorded one of the
   * population's facts for that person in its window; whether the person qualifies is judged on all of the
   * person's contributions in the area (a series split across Puskesmas completes for each that took part).
   */
  organizations: 'all' | readonly string[];
  /** 'all', or only villages under these code prefixes. */
  regions: 'all' | readonly string[];
}

export interface TargetRow {
  villageCode: string;
  year: number;
  group: string;
  count: number;
}

export interface PwsStore {
  /** For each population: distinct people in the scope meeting it, in total and per village of residence. */
  countMany(scope: PwsScope, qs: readonly PopulationQuery[]): Promise<{ total: number; byVillage: Map<string, number> }[]>;
  /** Sums of the targets of the villages under the scope's area, per group: in total and per village. */
  targets(scope: PwsScope, year: number, groups: readonly string[]): Promise<Map<string, { total: number; byVillage: Map<string, number> }>>;
  /** Replaces the given (village, year, group) targets in one transaction: all rows or none. */
  putTargets(rows: readonly TargetRow[]): Promise<void>;
}
