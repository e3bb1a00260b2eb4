import express, { Router, type Request, type Response } from 'express';
import type { Bundle, Resource } from 'fhir/r4';
import { randomInt, randomUUID } from 'node:crypto';
import { issue, outcome, WRITABLE_TYPES } from './rules';
import { IHS_SYSTEM, MOTHER_NIK_SYSTEM, NIK_SYSTEM } from './seed';
import type { SimState, SimToken } from './state';
import { create, transaction, update, type WriteOptions, type WriteResult } from './writes';

/**
 * FHIR under /fhir-r4/v1 (satusehat-api.md §2, §5): searches by identifier (Patient by NIK,
 * Practitioner, and the types the gateway writes), reads, Patient create with its non-FHIR answer,
 * create/update and transaction Bundles at the base.
 */
export interface FhirOptions {
  duplicateCheck: boolean;
  /** The base URL the simulator answers with in fullUrl/link/location. */
  base(): string;
}

const SEARCHABLE = ['Patient', 'Practitioner', ...WRITABLE_TYPES];

function writeOptions(res: Response, opts: FhirOptions): WriteOptions {
  const token = res.locals.token as SimToken;
  return { orgId: token.orgId, duplicateCheck: opts.duplicateCheck, now: Date.now() };
}

function answer(res: Response, result: WriteResult): void {
  res.status(result.status).type('application/json').json(result.body);
}

/** Empty searchset with `link` search/first/self and `entry: []` (§2.2 "Not found"). */
function searchset(req: Request, base: string, found: Resource[]) {
  const url = `${base}${req.path.replace(/\/$/, '')}/?${new URL(req.originalUrl, 'http://x').searchParams.toString()}`;
  return {
    entry: found.map((r) => ({ fullUrl: `${base}/${r.resourceType}/${r.id ?? ''}`, resource: r })),
    link: ['search', 'first', 'self'].map((relation) => ({ relation, url })),
    resourceType: 'Bundle', total: found.length, type: 'searchset',
  };
}

function search(state: SimState, opts: FhirOptions) {
  return (req: Request, res: Response): void => {
    const type = String(req.params.type);
    const identifier = req.query.identifier;
    if (!SEARCHABLE.includes(type) || typeof identifier !== 'string') {
      res.status(400).json(outcome([issue('value', `Unsupported search on ${type}: use ?identifier=system|value`)]));
      return;
    }
    const bar = identifier.indexOf('|');
    const [system, value] = bar < 0 ? ['', identifier] : [identifier.slice(0, bar), identifier.slice(bar + 1)];
    res.json(searchset(req, opts.base(), state.find(type, system, value)));
  };
}

/** Patient create: Dukcapil check simulated as "a well-formed NIK is a citizen" (§2.3); the body is not FHIR. */
function createPatient(state: SimState) {
  return (req: Request, res: Response): void => {
    const p = req.body as Record<string, unknown>;
    const identifiers = Array.isArray(p.identifier) ? (p.identifier as { system?: string; value?: string }[]) : [];
    const nik = identifiers.find((i) => i.system === NIK_SYSTEM)?.value;
    const motherNik = identifiers.find((i) => i.system === MOTHER_NIK_SYSTEM)?.value;
    const missing = [
      ['identifier', nik ?? motherNik, 10166], ['name', Array.isArray(p.name) && p.name.length > 0 ? 'x' : undefined, 10168],
      ['birthDate', p.birthDate, 10397], ['gender', p.gender, 10413], ['address', Array.isArray(p.address) ? 'x' : undefined, 10333],
    ].filter(([, v]) => v === undefined || v === '');
    if (missing.length > 0) {
      res.status(400).json(outcome(missing.map(([field, , n]) => issue('value', `Data harus terisi: Patient.${String(field)} (RuleNumber: ${String(n)})`, `Patient.${String(field)}`))));
      return;
    }
    if (nik === undefined && motherNik !== undefined) {
      createNewborn(state, p, motherNik, res);
      return;
    }
    const existing = state.find('Patient', NIK_SYSTEM, String(nik))[0];
    if (existing) {
      res.status(200).json({ success: false, message: 'Patient Resource Exists', data: { resourceID: existing.id } });
      return;
    }
    if (!/^\d{16}$/.test(String(nik))) {
      res.status(200).json({ success: false, message: 'Citizen Not Exists' });
      return;
    }
    const ihs = newIhs();
    state.put({ ...(p as unknown as Resource), resourceType: 'Patient', id: ihs, identifier: [{ system: IHS_SYSTEM, use: 'official', value: ihs }, ...((p.identifier as []) ?? [])] } as Resource);
    // The odd key "Patient ID:" is what the saved Postman response shows (§2.3).
    res.status(200).json({ success: true, message: 'New Patient has been created successfully', data: { 'Patient ID:': ihs } });
  };
}

const newIhs = (): string => `P${String(randomInt(0, 1e11)).padStart(11, '0')}`;

/**
 * Newborn by the mother's NIK (§2.3, Postman "Patient (Newborn) - Create by Mother's NIK"): a
 * child of the same mother with the same birth order exists → the documented refusal with its id;
 * otherwise created, answered in the three-part newborn shape.
 */
function createNewborn(state: SimState, p: Record<string, unknown>, motherNik: string, res: Response): void {
  const order = typeof p.multipleBirthInteger === 'number' ? p.multipleBirthInteger : 0;
  const sibling = state.find('Patient', MOTHER_NIK_SYSTEM, motherNik)
    .find((r) => ((r as { multipleBirthInteger?: number }).multipleBirthInteger ?? 0) === order);
  if (sibling) {
    res.status(200).json({ success: false, message: 'Failed to create new patient, another identifier has found', data: { resourceID: sibling.id } });
    return;
  }
  if (!/^\d{16}$/.test(motherNik)) {
    res.status(200).json({ success: false, message: 'Citizen Not Exists' });
    return;
  }
  const ihs = newIhs();
  state.put({ ...(p as unknown as Resource), resourceType: 'Patient', id: ihs, identifier: [{ system: IHS_SYSTEM, use: 'official', value: ihs }, ...((p.identifier as []) ?? [])] } as Resource);
  const ok = (message: string, data: Record<string, string>) => ({ success: true, message, data });
  res.status(200).json({
    create_patient: ok('New Patient has been created successfully', { patient_id: ihs }),
    create_related_patient: ok('New Related Patient has been created successfully', { related_patient_id: randomUUID() }),
    // The documented answer links the mother's own record (its id is the mother's IHS number).
    update_link_patient: ok('Patient link has been updated successfully', { patient_id: state.find('Patient', NIK_SYSTEM, motherNik)[0]?.id ?? '' }),
    log_time: { created_at: new Date().toISOString() },
  });
}

export function fhirRouter(state: SimState, opts: FhirOptions): Router {
  const router = Router();
  router.use(express.json({ limit: '5mb', type: ['application/json', 'application/fhir+json'] }));
  router.post('/', (req, res) => answer(res, transaction(state, req.body as Bundle, writeOptions(res, opts), opts.base())));
  router.post('/Patient', createPatient(state));
  router.get('/:type', search(state, opts));
  router.get('/:type/', search(state, opts));
  router.get('/:type/:id', (req, res) => {
    const found = state.read(String(req.params.type), String(req.params.id));
    if (found) res.json(found);
    else res.status(404).json(outcome([issue('not-found', `Resource not found ${String(req.params.type)}/${String(req.params.id)} (RuleNumber: 20007)`)]));
  });
  router.post('/:type', (req, res) => {
    const type = String(req.params.type);
    if (!WRITABLE_TYPES.includes(type)) {
      res.status(400).json(outcome([issue('structure', `Resource ${type} is not allowed for current access class (RuleNumber: 20004)`)]));
      return;
    }
    answer(res, create(state, type, req.body as Resource, writeOptions(res, opts)));
  });
  router.put('/:type/:id', (req, res) => {
    answer(res, update(state, String(req.params.type), String(req.params.id), req.body as Resource, writeOptions(res, opts)));
  });
  return router;
}
