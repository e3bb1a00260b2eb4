import { jsonPointerToPath } from '../../../src/intake/schema-validator';
import { intakeDeps } from '../../support/intake';
import { example } from '../../support/submissions';

test('JSON pointers become FHIRPath-style paths', () => {
  expect(jsonPointerToPath('/screenings/1/items/0/value')).toBe('screenings[1].items[0].value');
  expect(jsonPointerToPath('')).toBe('');
  expect(jsonPointerToPath('/patient/address/villageCode')).toBe('patient.address.villageCode');
  expect(jsonPointerToPath('/a~1b/0')).toBe('a/b[0]');
});

test('the generated schema accepts the reference submission', () => {
  expect(intakeDeps().schema.validate(example())).toMatchObject({ ok: true });
});

test('the item discriminator reports the item own rule, not every branch', () => {
  const s = example();
  s.screenings[0].items[0].value = 'high';
  const r = intakeDeps().schema.validate(s);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.issues).toEqual([expect.objectContaining({ errorCode: 'SCHEMA-TYPE', expression: 'screenings[0].items[0].value' })]);
});

test('an implausible value names the item, its unit and its range', () => {
  const s = example();
  s.screenings[0].items[0].value = 1420;
  const r = intakeDeps().schema.validate(s);
  if (r.ok) throw new Error('expected failure');
  expect(r.issues[0]!.message.en).toMatch(/systolic-bp value 1420 mmHg is outside the plausible range/);
});
