import { GroupCalls } from '../../../src/kernel/group-calls';

/** A runGroup whose groups the test finishes by hand, recording what each group held. */
function manual() {
  const groups: { items: readonly number[]; finish(results?: readonly (string | { error: unknown })[]): void; fail(err: unknown): void }[] = [];
  const runGroup = (items: readonly number[]) => new Promise<readonly (string | { error: unknown })[]>((resolve, reject) => {
    groups.push({ items, finish: (results) => resolve(results ?? items.map((i) => `r${i}`)), fail: reject });
  });
  return { groups, runGroup };
}

const tick = () => new Promise((r) => setImmediate(r));

test('a call with a flight free starts its group at once; calls made meanwhile go together in the next group', async () => {
  const { groups, runGroup } = manual();
  const g = new GroupCalls(runGroup, { flights: 1, maxGroup: 10 });
  const first = g.run(1);
  expect(groups.map((x) => x.items)).toEqual([[1]]);
  const rest = [g.run(2), g.run(3), g.run(4)];
  await tick();
  expect(groups).toHaveLength(1); // waiting for the flight
  groups[0]?.finish();
  await expect(first).resolves.toBe('r1');
  await tick();
  expect(groups.map((x) => x.items)).toEqual([[1], [2, 3, 4]]);
  groups[1]?.finish();
  await expect(Promise.all(rest)).resolves.toEqual(['r2', 'r3', 'r4']);
  expect(g.inFlight).toBe(0);
});

test('at most `flights` groups run at once, and a group holds at most `maxGroup` calls, in arrival order', async () => {
  const { groups, runGroup } = manual();
  const g = new GroupCalls(runGroup, { flights: 2, maxGroup: 2 });
  const all = [1, 2, 3, 4, 5, 6, 7].map((i) => g.run(i));
  expect(groups.map((x) => x.items)).toEqual([[1], [2]]);
  expect(g.inFlight).toBe(2);
  groups[0]?.finish();
  await tick();
  expect(groups.map((x) => x.items)).toEqual([[1], [2], [3, 4]]);
  groups[1]?.finish();
  groups[2]?.finish();
  await tick();
  expect(groups.map((x) => x.items)).toEqual([[1], [2], [3, 4], [5, 6], [7]]);
  groups[3]?.finish();
  groups[4]?.finish();
  await expect(Promise.all(all)).resolves.toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
});

test("an item's own error rejects that call only; a group that throws rejects its calls and the next group still runs", async () => {
  const { groups, runGroup } = manual();
  const g = new GroupCalls(runGroup, { flights: 1, maxGroup: 10 });
  const a = g.run(1);
  const [b, c] = [g.run(2), g.run(3)];
  groups[0]?.fail(new Error('connection lost'));
  await expect(a).rejects.toThrow('connection lost');
  await tick();
  groups[1]?.finish([{ error: new Error('bad item') }, 'fine']);
  await expect(b).rejects.toThrow('bad item');
  await expect(c).resolves.toBe('fine');
  const d = g.run(4);
  groups[2]?.finish();
  await expect(d).resolves.toBe('r4');
});

test('a group answering the wrong number of results fails its calls instead of answering them wrongly', async () => {
  const g = new GroupCalls<number, string>(async (items) => items.slice(1).map(String), { flights: 1, maxGroup: 10 });
  await expect(g.run(1)).rejects.toThrow('a group of 1 answered 0 results');
});

test('flights and maxGroup must be positive integers', () => {
  const run = async (items: readonly number[]) => items.map(String);
  expect(() => new GroupCalls(run, { flights: 0, maxGroup: 1 })).toThrow(RangeError);
  expect(() => new GroupCalls(run, { flights: 1, maxGroup: 1.5 })).toThrow(RangeError);
});

test('with keyOf, calls of one key never share a group nor run in two at once, and run in the order they were made', async () => {
  const { groups, runGroup } = manual();
  const g = new GroupCalls(runGroup, { flights: 2, maxGroup: 10, keyOf: (i: number) => String(i % 10) });
  // 1 flies alone; 11 (key 1) waits for it although a flight is free, and 2 takes that flight.
  const calls = [g.run(1), g.run(11), g.run(2), g.run(12), g.run(3)];
  expect(groups.map((x) => x.items)).toEqual([[1], [2]]);
  groups[1]?.finish();
  await tick();
  // Key 2 is free again, key 1 is not: 12 and 3 go, 11 still waits.
  expect(groups.map((x) => x.items)).toEqual([[1], [2], [12, 3]]);
  groups[0]?.finish();
  await tick();
  expect(groups.map((x) => x.items)).toEqual([[1], [2], [12, 3], [11]]);
  groups[2]?.finish();
  groups[3]?.finish();
  await expect(Promise.all(calls)).resolves.toEqual(['r1', 'r11', 'r2', 'r12', 'r3']);
  expect(g.inFlight).toBe(0);
});

test('a `later` step finishes its call outside the group: the flight is free at once, its key stays busy until the step settles', async () => {
  const steps: { resolve(v: string): void }[] = [];
  const groups: number[][] = [];
  const g = new GroupCalls<number, string>(async (items) => {
    groups.push([...items]);
    return items.map((i) => (i === 1 ? { later: () => new Promise<string>((resolve) => { steps.push({ resolve }); }) } : `r${i}`));
  }, { flights: 1, maxGroup: 10, keyOf: (i) => String(i % 10) });
  const first = g.run(1);
  await tick();
  // The flight is free: another key goes at once; the same key (11) waits for the step.
  const other = g.run(2);
  const same = g.run(11);
  await expect(other).resolves.toBe('r2');
  await tick();
  expect(groups).toEqual([[1], [2]]);
  steps[0]?.resolve('r1 later');
  await expect(first).resolves.toBe('r1 later');
  await expect(same).resolves.toBe('r11');
  expect(groups).toEqual([[1], [2], [11]]);
});
