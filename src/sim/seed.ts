/** Identifier systems of SATUSEHAT (satusehat-api.md §2.1). */
export const NIK_SYSTEM = 'https://fhir.kemkes.go.id/id/nik';
export const MOTHER_NIK_SYSTEM = 'https://fhir.kemkes.go.id/id/nik-ibu';
export const IHS_SYSTEM = 'https://fhir.kemkes.go.id/id/ihs-number';
/** Spelt "his" by SATUSEHAT itself (§2.1). */
export const PRACTITIONER_IHS_SYSTEM = 'https://fhir.kemkes.go.id/id/nakes-his-number';

/** The sandbox dummy patients of the official docs (satusehat-api.md §2.2, [DOC] res-patient.md). */
export const SANDBOX_PATIENTS: readonly { nik: string; ihs: string }[] = [
  { nik: '9271060312000001', ihs: 'P02478375538' },
  { nik: '9204014804000002', ihs: 'P03647103112' },
  { nik: '9104224509000003', ihs: 'P00805884304' },
  { nik: '9104223107000004', ihs: 'P00912894463' },
  { nik: '9104224606000005', ihs: 'P01654557057' },
  { nik: '9104025209000006', ihs: 'P02280547535' },
  { nik: '9201076001000007', ihs: 'P01836748436' },
  { nik: '9201394901000008', ihs: 'P00883356749' },
  { nik: '9201076407000009', ihs: 'P01058967035' },
  { nik: '9210060207000010', ihs: 'P02428473601' },
];

/** The sandbox practitioners (satusehat-api.md §2.2, [DOC] res-practitioner.md). */
export const SANDBOX_PRACTITIONERS: readonly { nik: string; ihs: string }[] = [
  { nik: '7209061211900001', ihs: '10009880728' },
  { nik: '3322071302900002', ihs: '10006926841' },
  { nik: '3171071609900003', ihs: '10001354453' },
  { nik: '3207192310600004', ihs: '10010910332' },
  { nik: '6408130207800005', ihs: '10018180913' },
  { nik: '3217040109800006', ihs: '10002074224' },
  { nik: '3519111703800007', ihs: '10012572188' },
  { nik: '5271002009700008', ihs: '10018452434' },
  { nik: '3313096403900009', ihs: '10014058550' },
  { nik: '3578083008700010', ihs: '10001915884' },
];
