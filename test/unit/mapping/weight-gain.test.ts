/** Weight gain N/T/O/B against the KBM (catalog/kbm.ts), counted in the facility's local months. */
import { kbmGrams } from '../../../src/catalog/kbm';
import { twoTInARow, weightGain } from '../../../src/mapping/weight-gain';

const WIB = 420;
const w = (effectiveUtc: string, weightKg: number) => ({ effectiveUtc, weightKg });
const at = (current: ReturnType<typeof w>, earlier: ReturnType<typeof w>[], birthDate = '2023-03-10') => ({ birthDate, offsetMinutes: WIB, current, earlier });

test.each([
  ['first weighing', [], 'B'],
  ['gain of exactly the KBM (200 g at 18 months)', [w('2024-08-14T02:00:00+00:00', 10.0)], 'N'],
  ['gain 1 g short of the KBM', [w('2024-08-14T02:00:00+00:00', 10.001)], 'T'],
  ['weight lost', [w('2024-08-14T02:00:00+00:00', 10.5)], 'T'],
  ['previous weighing two months ago (July): O', [w('2024-07-14T02:00:00+00:00', 9.0)], 'O'],
])('%s', (_name, earlier, expected) => {
  expect(weightGain(at(w('2024-09-11T02:00:00+00:00', 10.2), earlier))).toBe(expected);
});

test('months are local: 31 Aug 23:30 WIB is August although it is 16:30 UTC the same day, 1 Sep 06:00 WIB is September', () => {
  // 2024-08-31T16:30Z = 31 Aug 23:30 WIB (August); 2024-08-31T23:00Z = 1 Sep 06:00 WIB (September).
  expect(weightGain(at(w('2024-08-31T23:00:00+00:00', 10.2), [w('2024-08-31T16:30:00+00:00', 10.0)]))).toBe('N');
  // Both on 1 Sep local: the same month, so no previous month's weighing → B.
  expect(weightGain(at(w('2024-09-01T05:00:00+00:00', 10.2), [w('2024-08-31T23:00:00+00:00', 10.0)]))).toBe('B');
});

test('KBM by age: 900 g at 2 months, 200 g from 11 months', () => {
  expect(kbmGrams(2)).toBe(900);
  expect(kbmGrams(11)).toBe(200);
  expect(kbmGrams(36)).toBe(200);
  // A 2-month-old gaining 800 g does not reach its 900 g KBM.
  expect(weightGain(at(w('2024-09-30T02:00:00+00:00', 5.0), [w('2024-08-30T02:00:00+00:00', 4.2)], '2024-07-28'))).toBe('T');
});

test('2T: this weighing and the previous one both below the KBM', () => {
  const aug = w('2024-08-14T02:00:00+00:00', 10.0);
  const sep = w('2024-09-11T02:00:00+00:00', 10.1);
  const oct = w('2024-10-09T02:00:00+00:00', 10.15);
  expect(twoTInARow(at(oct, [sep, aug]))).toBe(true);
  expect(twoTInARow(at(sep, [aug]))).toBe(false);
  expect(twoTInARow(at(w('2024-10-09T02:00:00+00:00', 10.4), [sep, aug]))).toBe(false);
});
