import type { DataSource } from 'typeorm';
import { SqlExportStore } from './export-store';
import { SqlFhirTransactionStore } from './fhir-transaction-store';
import type { FhirStores } from './fhir-ports';
import type { PwsYearMembers } from './pws-year';
import { SqlSearchStore } from './search-store';

/** The FHIR API's stores over one DataSource (wired by open-database.ts). */
export function createFhirStores(ds: DataSource, pwsYear?: PwsYearMembers): FhirStores {
  return { search: new SqlSearchStore(ds), transactions: new SqlFhirTransactionStore(ds, pwsYear), exports: new SqlExportStore(ds) };
}
