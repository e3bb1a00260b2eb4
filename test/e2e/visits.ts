import type { TestDatabase } from '../support/database';
import { example, uniqueId, type Json } from '../support/submissions';
import { ENCOUNTER_SYSTEM, until, type SimStats } from './processes';

/** The reference visit with a fresh submissionId: new SATUSEHAT identifiers for every resource. */
export function visit(prefix: string, patch: Json = {}): Json {
  return { ...example(), submissionId: uniqueId(prefix), ...patch };
}

export async function submit(gatewayUrl: string, payload: Json): Promise<string> {
  const res = await fetch(`${gatewayUrl}/ilp/v1/encounters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  const body = (await res.json()) as Json;
  if (res.status !== 202) throw new Error(`intake answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return String(body.id);
}

/** Sends `payloads` with a few requests in flight; returns the gateway ids in order. Every 202 counts as accepted. */
export async function submitAll(gatewayUrls: string[], payloads: Json[], inFlight = 8): Promise<string[]> {
  const ids: string[] = new Array<string>(payloads.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < payloads.length) {
      const i = next;
      next += 1;
      ids[i] = await submit(gatewayUrls[i % gatewayUrls.length] ?? '', payloads[i] ?? {});
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return ids;
}

/** Statuses of the given submissions, read from the database. */
export async function statuses(db: TestDatabase, ids: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const id of ids) {
    const s = (await db.submissions.getSubmission(id))?.status ?? 'missing';
    out[s] = (out[s] ?? 0) + 1;
  }
  return out;
}

/** Waits (bounded) until the outbox holds nothing pending or claimed. */
export function drained(db: TestDatabase, timeoutMs: number): Promise<boolean> {
  return until(async () => {
    const s = await db.relay.stats();
    return s.pending === 0 && s.claimed === 0;
  }, timeoutMs, 250);
}

/** Creates at the platform per Encounter identifier of these submissions: 1 each means none lost, none twice. */
export function encounterCreates(stats: SimStats, submissionIds: string[]): number[] {
  return submissionIds.map((sid) => stats.creates[`Encounter|${ENCOUNTER_SYSTEM}|${sid}`] ?? 0);
}

/** Every sys-ids identifier the platform created more than once. */
export function duplicates(stats: SimStats): string[] {
  return Object.entries(stats.creates).filter(([, n]) => n > 1).map(([k]) => k);
}
