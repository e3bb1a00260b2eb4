import { payloadHash } from '../../../src/pipeline/submit-visit';

test('key order does not change the hash; content and catalogue version do', () => {
  const a = payloadHash({ x: 1, y: [1, { b: 2, a: 1 }] }, '2026.11.0');
  expect(payloadHash({ y: [1, { a: 1, b: 2 }], x: 1 }, '2026.11.0')).toBe(a);
  expect(payloadHash({ x: 2, y: [1, { a: 1, b: 2 }] }, '2026.11.0')).not.toBe(a);
  expect(payloadHash({ x: 1, y: [1, { a: 1, b: 2 }] }, '2026.12.0')).not.toBe(a);
  expect(a).toMatch(/^[0-9a-f]{64}$/);
});
