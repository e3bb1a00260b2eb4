import type { ClusterNo, Flag, LifeCycle } from '../catalog/types';

/** The ILP submission as a vendor sends it (after JSON Schema validation). */
export interface IlpSubmission {
  submissionId: string;
  source: { system: string; version?: string };
  organizationId: string;
  setting: string;
  locationId: string;
  cluster: ClusterNo;
  lifeCycle: LifeCycle[];
  visitType: string;
  visitOrdinal?: string;
  start: string;
  end: string;
  practitioner: { ihsNumber: string; name: string; role: string };
  /** Who recorded the visit when it is not the practitioner, e.g. the Posyandu kader (docs/decisions/0014). */
  recorder?: { name: string; role: string; nik?: string };
  patient: {
    /** The patient's own NIK; a newborn without one is identified by motherNik + multipleBirth. */
    nik?: string;
    /** Mother's NIK (SATUSEHAT newborn pattern, satusehat-api §2.1/§2.2: identifier nik-ibu). */
    motherNik?: string;
    /** Birth order among the mother's children of one birth: 1 for a singleton, 2 for a second twin. */
    multipleBirth?: number;
    ihsNumber?: string;
    name: string;
    birthDate: string;
    gender: 'male' | 'female';
    phone?: string;
    address: { line?: string; villageCode: string; rt?: string; rw?: string };
  };
  screenings: IlpScreening[];
  diagnoses?: { icd10: string; status: 'provisional' | 'differential' | 'confirmed'; note?: string }[];
  carePlan?: { activities: { kind: string; description: string; due?: string }[] };
  /** Vaccine doses given at this visit (or recorded from the KIA book), KIA short names. */
  immunizations?: IlpImmunization[];
  note?: string;
}

export type ItemValue = number | boolean | string;

export interface IlpImmunization {
  /** KIA short name, case-insensitive (catalog/vaccines.ts). */
  vaccine: string;
  /** YYYY-MM-DD (local) or a date-time with offset. */
  date: string;
  doseNumber?: number;
  lotNumber?: string;
}

/** An immunisation after normalisation: the registry entry and the occurrence in UTC. */
export interface NormalisedImmunization {
  vaccine: string;
  occurrenceUtc: string;
  doseNumber: number;
  lotNumber?: string;
  path: string;
}

export interface IlpScreening {
  type: string;
  items: IlpItem[];
}

export interface IlpItem {
  code: string;
  value: ItemValue;
  /** Vendor's own interpretation (v3 ObservationInterpretation flag). */
  interpretation?: Flag;
  /** When measured, if not at the visit start. */
  time?: string;
  /** Free-text method/device, e.g. "tensimeter digital". */
  method?: string;
}

/** A submission after normalisation: times in UTC, age at the visit, items flattened. */
export interface NormalisedSubmission {
  raw: IlpSubmission;
  startUtc: string;
  endUtc: string;
  startMs: number;
  /** The visit's UTC offset in minutes (+420 for WIB): local dates (due dates, age) count in it. */
  offsetMinutes: number;
  age: { years: number; months: number };
  items: NormalisedItem[];
  immunizations: NormalisedImmunization[];
}

export interface NormalisedItem {
  screening: string;
  code: string;
  value: ItemValue;
  vendorInterpretation?: Flag;
  timeUtc: string;
  method?: string;
  /** JSON path of the item in the payload, for messages (e.g. `screenings[1].items[0]`). */
  path: string;
}
