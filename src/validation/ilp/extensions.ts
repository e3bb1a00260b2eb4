import { ILP, SYSTEMS } from '../../fhir/canonical';
import type { ElementDefinition, StructureDefinition } from '../model';
import { FHIR_SD, el, profile, simpleExtension } from './builders';
import { VS } from './value-sets';

/**
 * The extensions the ILP mapping writes (docs/decisions/0003-mapping-conventions.md): cluster,
 * life-cycle and setting on Encounter, and SATUSEHAT's administrativeCode on Address
 * (satusehat-api §3.5). SATUSEHAT publishes administrativeCode under its own canonical; we define
 * it here with the parts SATUSEHAT documents so that it can be validated offline.
 */

export function clusterExtension(version: string): StructureDefinition {
  return simpleExtension({ id: 'ilp-cluster', title: 'ILP cluster (klaster)', description: 'The ILP cluster that delivered the visit (KMK HK.01.07/MENKES/2015/2023 BAB II).', context: ['Encounter'] }, version, 'Coding', VS.cluster);
}

export function lifeCycleExtension(version: string): StructureDefinition {
  return simpleExtension({ id: 'ilp-life-cycle', title: 'ILP life-cycle group (siklus hidup)', description: 'A life-cycle group the visit served (ilp-domain §3); repeats.', context: ['Encounter'] }, version, 'Coding', VS.lifeCycle);
}

export function settingExtension(version: string): StructureDefinition {
  return simpleExtension({ id: 'ilp-setting', title: 'ILP service setting', description: 'Where the ILP service took place (Puskesmas, Pustu, Posyandu, home visit, ...).', context: ['Encounter'] }, version, 'Coding', VS.setting);
}

const ADMIN_PARTS: [string, string][] = [
  ['province', 'Kode provinsi (Kemendagri, 2 digit)'], ['city', 'Kode kabupaten/kota (4 digit)'],
  ['district', 'Kode kecamatan (6 digit)'], ['village', 'Kode desa/kelurahan (10 digit)'], ['rt', 'RT'], ['rw', 'RW'],
];

function part(name: string, short: string, required: boolean): ElementDefinition[] {
  const id = `Extension.extension:${name}`;
  return [
    el('Extension.extension', { id, sliceName: name, short, min: required ? 1 : 0, max: '1' }),
    el('Extension.extension.url', { id: `${id}.url`, fixedUri: name }),
    el('Extension.extension.value[x]', { id: `${id}.value[x]`, min: 1, type: [{ code: 'code' }] }),
  ];
}

/** SATUSEHAT administrativeCode: province, city, district, village (required) and rt, rw. */
export function administrativeCodeExtension(version: string): StructureDefinition {
  const url = SYSTEMS.administrativeCodeExtension;
  return profile({ id: 'administrativeCode', url, type: 'Extension', base: FHIR_SD + 'Extension', title: 'SATUSEHAT administrative code', description: 'Kemendagri area codes of an Indonesian address, as SATUSEHAT expects them (satusehat-api §3.5).', context: ['Address'] }, version, [
    el('Extension', { short: 'Kode wilayah administratif' }),
    el('Extension.extension', { min: 4, slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'closed' } }),
    ...ADMIN_PARTS.flatMap(([name, short], i) => part(name, short, i < 4)),
    el('Extension.url', { fixedUri: url }),
    el('Extension.value[x]', { max: '0' }),
  ]);
}

export const EXTENSION_URLS = {
  cluster: ILP.clusterExtension,
  lifeCycle: ILP.lifeCycleExtension,
  setting: ILP.settingExtension,
  administrativeCode: SYSTEMS.administrativeCodeExtension,
} as const;
