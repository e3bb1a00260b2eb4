import type { DataSource } from 'typeorm';
import type { WeighingHistory, WeighingQuery, WeighingRecord } from './ports';
import { withConnection } from './sql';

/** LOINC 29463-7 Body weight, the code of the catalogue's body-weight item. */
const BODY_WEIGHT = JSON.stringify([{ system: 'http://loinc.org', code: '29463-7' }]);

/**
 * The child's earlier weighings from stored Observations: the Patient found by any of its
 * identifiers, its body-weight Observations (subject search index) whose SATUSEHAT identifier is
 * the organisation's own (`http://sys-ids.kemkes.go.id/observation/<org>`, so another Puskesmas'
 * records do not count) and not the visit's own (`<submissionId>.body-weight`), measured before
 * the given instant, newest first.
 */
export class SqlWeighingHistory implements WeighingHistory {
  constructor(private readonly ds: DataSource) {}

  async previousWeighings(q: WeighingQuery): Promise<WeighingRecord[]> {
    if (q.patient.length === 0) return [];
    const rows = await withConnection(this.ds, (sql) => sql.rows<{ effective: string; kg: string | number }>(
      `WITH patient AS (
         SELECT DISTINCT i.id FROM resource_identifier i
           JOIN unnest($1::text[], $2::text[]) AS k(system, value) ON i.system = k.system AND i.value = k.value
          WHERE i.resource_type = 'Patient')
       SELECT o.content->>'effectiveDateTime' AS effective, o.content->'valueQuantity'->>'value' AS kg
         FROM search_reference r
         JOIN resource o ON o.resource_type = r.resource_type AND o.id = r.id
        WHERE r.resource_type = 'Observation' AND r.code = 'subject' AND r.target_type = 'Patient'
          AND r.target_id IN (SELECT id FROM patient)
          AND NOT o.deleted
          AND o.content->'code'->'coding' @> $3::jsonb
          AND o.content->'valueQuantity'->>'value' IS NOT NULL
          AND (o.content->>'effectiveDateTime')::timestamptz < $4::timestamptz
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(o.content->'identifier') x
                       WHERE x->>'system' = $5 AND x->>'value' <> $6)
        ORDER BY (o.content->>'effectiveDateTime')::timestamptz DESC
        LIMIT $7`,
      [q.patient.map((k) => k.system), q.patient.map((k) => k.value), BODY_WEIGHT, q.before,
        `http://sys-ids.kemkes.go.id/observation/${q.organizationId}`, `${q.excludeSubmissionId}.body-weight`, q.limit],
    ));
    return rows.map((r) => ({ effectiveUtc: r.effective, weightKg: Number(r.kg) }));
  }
}
