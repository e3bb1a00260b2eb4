import type { DataSource } from 'typeorm';
import { accessCondition, binder } from './access-sql';
import type { AccessFilter, ResourceStore, StoredResource } from './ports';
import { RESOURCE_COLUMNS, toStoredResource, type ResourceRow } from './rows';
import { withConnection } from './sql';

/**
 * Reads of stored FHIR resources: current version, one version, all versions, by identifier.
 * With an access filter a row the caller may not see is simply not found (another organisation's
 * id answers exactly like a missing one, docs/decisions/0010).
 */
export class SqlResourceStore implements ResourceStore {
  constructor(private readonly ds: DataSource) {}

  private async select(text: (p: (v: unknown) => string) => string): Promise<StoredResource[]> {
    const params: unknown[] = [];
    const sqlText = text(binder(params));
    const rows = await withConnection(this.ds, (sql) => sql.rows<ResourceRow>(sqlText, params));
    return rows.map(toStoredResource);
  }

  async read(resourceType: string, id: string, filter?: AccessFilter): Promise<StoredResource | undefined> {
    const [found] = await this.select((p) =>
      `SELECT ${RESOURCE_COLUMNS} FROM resource r WHERE resource_type = ${p(resourceType)} AND id = ${p(id)} AND ${accessCondition(p, filter)}`);
    return found;
  }

  async vread(resourceType: string, id: string, versionId: number, filter?: AccessFilter): Promise<StoredResource | undefined> {
    if (!Number.isSafeInteger(versionId)) return undefined;
    const [found] = await this.select((p) =>
      `SELECT ${RESOURCE_COLUMNS} FROM resource_history r
        WHERE resource_type = ${p(resourceType)} AND id = ${p(id)} AND version_id = ${p(versionId)} AND ${accessCondition(p, filter)}`);
    return found;
  }

  /** Newest first, as in a FHIR history Bundle (http.html#history); only the versions the filter lets through. */
  history(resourceType: string, id: string, filter?: AccessFilter): Promise<StoredResource[]> {
    return this.select((p) =>
      `SELECT ${RESOURCE_COLUMNS} FROM resource_history r
        WHERE resource_type = ${p(resourceType)} AND id = ${p(id)} AND ${accessCondition(p, filter)} ORDER BY version_id DESC`);
  }

  /** `system` '' finds identifiers that have no system. Deleted resources are not indexed. */
  findByIdentifier(resourceType: string, system: string, value: string): Promise<StoredResource[]> {
    return this.select((p) =>
      `SELECT ${RESOURCE_COLUMNS} FROM resource
        WHERE resource_type = ${p(resourceType)} AND NOT deleted AND id IN (
          SELECT id FROM resource_identifier WHERE resource_type = $1 AND system = ${p(system)} AND value = ${p(value)})
        ORDER BY id`);
  }
}
