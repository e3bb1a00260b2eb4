// Unique, varied ILP visits for the ingest benchmark, generated from the screening catalogue: every
// item of the reference visit gets a value drawn from the catalogue's plausible range (or a random
// boolean / coded answer), screenings are sometimes left out (so visits differ in resource count),
// and every visit has its own patient (NIK, name, birth date) and submissionId.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A small seeded PRNG (mulberry32), so a run is reproducible from its seed. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['Rina', 'Siti', 'Dewi', 'Ayu', 'Nur', 'Putri', 'Sri', 'Wulan', 'Indah', 'Fitri'];
const SURNAMES = ['Wulandari', 'Lestari', 'Rahayu', 'Pratiwi', 'Handayani', 'Susanti', 'Kusuma', 'Sari'];

/** Around the reference value (±15%), inside the catalogue's plausible range, at its precision. */
function valueFor(spec, rnd, reference) {
  const near = () => Math.min(spec.max, Math.max(spec.min, reference * (0.85 + 0.3 * rnd())));
  switch (spec?.type) {
    case 'quantity': {
      const f = 10 ** spec.decimals;
      return Math.round(near() * f) / f;
    }
    case 'integer': return Math.round(near());
    case 'boolean': return rnd() < 0.2;
    case 'coded': return spec.options[Math.floor(rnd() * spec.options.length)]?.code ?? reference;
    default: return reference;
  }
}

/**
 * `visitGenerator(root, catalogue, { organizationId })` → `(i) => visit` (plain object), a distinct
 * patient for every i below 60 million (birth date and NIK serial from i). Values stay near the
 * reference visit's and inside the catalogue's plausible range, so derived items (BMI) stay valid.
 */
export function visitGenerator(root, catalogue, { runId, organizationId = '10000005', seed = 12 } = {}) {
  const example = JSON.parse(readFileSync(join(root, 'docs/examples/ilp-submission.example.json'), 'utf8'));
  const rnd = prng(seed);
  return (i) => {
    const v = structuredClone(example);
    v.submissionId = `BENCH-${runId}-${i}`;
    v.organizationId = organizationId;
    // NIK: area (6) + birth date DDMMYY, day + 40 for women (6) + serial (4), consistent with birthDate.
    const dd = 1 + (i % 28);
    const mm = 1 + (Math.floor(i / 28) % 12);
    const yyyy = 1985 + (Math.floor(i / 336) % 18);
    const serial = 1 + Math.floor(i / 6048);
    v.patient.birthDate = `${yyyy}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
    v.patient.nik = `${example.patient.nik.slice(0, 6)}${dd + 40}${String(mm).padStart(2, '0')}${String(yyyy % 100).padStart(2, '0')}${String(serial).padStart(4, '0')}`;
    v.patient.name = `${NAMES[i % NAMES.length]} ${SURNAMES[Math.floor(rnd() * SURNAMES.length)]}`;
    const day = String(1 + (i % 28)).padStart(2, '0');
    v.start = `2024-07-${day}T08:15:00+07:00`;
    v.end = `2024-07-${day}T08:50:00+07:00`;
    v.carePlan.activities.forEach((a) => { a.due = `2024-08-${day}`; });
    // Keep the first screening; the others each in 3 of 4 visits.
    v.screenings = v.screenings.filter((_s, k) => k === 0 || rnd() < 0.75);
    for (const s of v.screenings) {
      for (const item of s.items) item.value = valueFor(catalogue.items.get(item.code)?.value, rnd, item.value);
    }
    return v;
  };
}
