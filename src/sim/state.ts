import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Patient, Practitioner, Resource } from 'fhir/r4';
import { SANDBOX_PATIENTS, SANDBOX_PRACTITIONERS, NIK_SYSTEM, IHS_SYSTEM, PRACTITIONER_IHS_SYSTEM } from './seed';

/**
 * The simulator's memory: registered clients, issued tokens, lock-outs, stored resources with an
 * identifier index, and counters the tests read back (creates per identifier: the platform's own
 * view of "was this visit sent twice"). One instance per simulator; nothing is persisted.
 */
export interface SimClient {
  secret: string;
  orgId: string;
}

export interface SimToken {
  clientId: string;
  orgId: string;
  expiresAt: number;
}

export interface SimStats {
  requests: number;
  tokensIssued: number;
  duplicateRejections: number;
  validationRejections: number;
  faults: Record<string, number>;
  /** Successful creates by `Type|system|value` of each sys-ids identifier. */
  creates: Record<string, number>;
}

/** `versionId` = base64 (no padding) of lastUpdated in epoch nanoseconds (satusehat-api.md §5.2). */
export function versionMeta(now = Date.now()): { versionId: string; lastUpdated: string } {
  const micros = `${now}${String(randomInt(0, 1000)).padStart(3, '0')}`;
  const versionId = Buffer.from(`${micros}000`).toString('base64').replace(/=+$/, '');
  const iso = new Date(now).toISOString().replace('Z', '');
  return { versionId, lastUpdated: `${iso}${micros.slice(-3)}+00:00` };
}

const identifierKey = (type: string, system: string, value: string): string => `${type}|${system}|${value}`;

export class SimState {
  readonly clients = new Map<string, SimClient>();
  readonly tokens = new Map<string, SimToken>();
  /** clientId → epoch ms until which token requests are refused (one bad secret per minute, §1.3). */
  readonly lockedUntil = new Map<string, number>();
  private readonly resources = new Map<string, Map<string, Resource>>();
  private readonly index = new Map<string, Set<string>>();
  readonly stats: SimStats = { requests: 0, tokensIssued: 0, duplicateRejections: 0, validationRejections: 0, faults: {}, creates: {} };

  constructor() {
    for (const p of SANDBOX_PATIENTS) this.put(seedPatient(p.nik, p.ihs));
    for (const p of SANDBOX_PRACTITIONERS) this.put(seedPractitioner(p.nik, p.ihs));
  }

  /**
   * Sandbox convention of this simulator: client `sim-<orgId>` with secret `sim-secret-<orgId>` is
   * registered for any organisation id, so a local gateway works without set-up (docs/decisions/0006).
   */
  client(clientId: string): SimClient | undefined {
    const known = this.clients.get(clientId);
    if (known) return known;
    const m = /^sim-(\d{6,12})$/.exec(clientId);
    return m ? { secret: `sim-secret-${m[1]}`, orgId: m[1] ?? '' } : undefined;
  }

  issueToken(clientId: string, orgId: string, ttlSeconds: number): string {
    const token = randomBytes(21).toString('base64url').slice(0, 28);
    this.tokens.set(token, { clientId, orgId, expiresAt: Date.now() + ttlSeconds * 1000 });
    this.stats.tokensIssued += 1;
    return token;
  }

  expireTokens(): number {
    const n = this.tokens.size;
    for (const t of this.tokens.values()) t.expiresAt = 0;
    return n;
  }

  read(type: string, id: string): Resource | undefined {
    return this.resources.get(type)?.get(id);
  }

  exists(reference: string): boolean {
    const [type, id] = reference.split('/');
    return type !== undefined && id !== undefined && this.read(type, id) !== undefined;
  }

  find(type: string, system: string, value: string): Resource[] {
    const ids = this.index.get(identifierKey(type, system, value)) ?? new Set<string>();
    return [...ids].map((id) => this.read(type, id)).filter((r): r is Resource => r !== undefined);
  }

  /** Stores (creates or replaces) a resource with its id and meta set; re-indexes its identifiers. */
  put(resource: Resource): Resource {
    const type = resource.resourceType;
    const id = resource.id ?? randomUUID();
    const previous = this.read(type, id);
    if (previous) for (const key of keys(previous)) this.index.get(key)?.delete(id);
    const stored = { ...resource, id, meta: { ...resource.meta, ...versionMeta() } } as Resource;
    let byId = this.resources.get(type);
    if (!byId) this.resources.set(type, (byId = new Map()));
    byId.set(id, stored);
    for (const key of keys(stored)) {
      let ids = this.index.get(key);
      if (!ids) this.index.set(key, (ids = new Set()));
      ids.add(id);
    }
    return stored;
  }

  countCreate(resource: Resource): void {
    for (const key of keys(resource)) {
      if (!key.includes('|http://sys-ids.kemkes.go.id/')) continue;
      this.stats.creates[key] = (this.stats.creates[key] ?? 0) + 1;
    }
  }

  count(type: string): number {
    return this.resources.get(type)?.size ?? 0;
  }
}

function keys(resource: Resource): string[] {
  const identifiers = (resource as { identifier?: { system?: string; value?: string }[] }).identifier ?? [];
  return identifiers
    .filter((i) => typeof i.value === 'string')
    .map((i) => identifierKey(resource.resourceType, i.system ?? '', i.value ?? ''));
}

function seedPatient(nik: string, ihs: string): Patient {
  return {
    resourceType: 'Patient', id: ihs, active: true,
    identifier: [{ system: IHS_SYSTEM, use: 'official', value: ihs }, { system: NIK_SYSTEM, use: 'official', value: nik }],
    name: [{ use: 'official', text: 'SANDBOX PATIENT' }],
  };
}

function seedPractitioner(nik: string, ihs: string): Practitioner {
  return {
    resourceType: 'Practitioner', id: ihs, active: true,
    identifier: [{ system: PRACTITIONER_IHS_SYSTEM, value: ihs }, { system: NIK_SYSTEM, value: nik }],
    name: [{ use: 'official', text: 'SANDBOX PRACTITIONER' }],
  };
}
