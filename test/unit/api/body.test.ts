import { scanJson } from '../../../src/api/body';
import { OperationOutcomeError } from '../../../src/kernel';

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (!(e instanceof OperationOutcomeError)) throw e;
    return `${e.issues[0]!.errorCode}@${e.issues[0]!.expression ?? ''}`;
  }
}

test('accepts ordinary JSON', () => {
  expect(codeOf(() => scanJson({ a: [{ b: 1 }, null, 'x'] }, 8))).toBeUndefined();
});

test('refuses nesting deeper than the limit, iteratively', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 200_000; i += 1) deep = [deep];
  expect(codeOf(() => scanJson(deep, 32))).toMatch(/^HTTP-BODY-TOO-DEEP@/);
  expect(codeOf(() => scanJson({ a: { b: { c: 1 } } }, 3))).toBeUndefined();
  expect(codeOf(() => scanJson({ a: { b: { c: {} } } }, 3))).toBe('HTTP-BODY-TOO-DEEP@a.b.c');
});

test('refuses prototype-pollution keys wherever they are', () => {
  expect(codeOf(() => scanJson(JSON.parse('{"__proto__": {"x": 1}}'), 8))).toBe('HTTP-BODY-FORBIDDEN-KEY@__proto__');
  expect(codeOf(() => scanJson({ list: [{ constructor: { prototype: {} } }] }, 8))).toBe('HTTP-BODY-FORBIDDEN-KEY@list[0].constructor');
});
