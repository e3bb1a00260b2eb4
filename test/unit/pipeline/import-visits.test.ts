import { issue, OperationOutcomeError } from '../../../src/kernel';
import { importVisits, readyPlan, type ImportDeps, type ImportLine, type ImportResult, type LineWritten } from '../../../src/pipeline/import-visits';
import type { WritePlan } from '../../../src/write-plan/plan';

async function* linesOf(texts: string[]): AsyncGenerator<ImportLine> {
  for (const [i, text] of texts.entries()) yield { kind: 'text', line: i + 1, text };
}

function outcome(plan: WritePlan): LineWritten {
  return { kind: 'created', id: `pk-${plan.submissionId}`, submissionId: plan.submissionId };
}

/**
 * Waits until `check` holds (every 5 ms, at most 5 s). A fixed pause is enough on an idle machine and
 * not under CI's parallel workers (this test failed there once after 20 ms); fixed pauses stay only
 * where a test shows that something does NOT happen.
 */
async function until(check: () => boolean): Promise<void> {
  const end = Date.now() + 5000;
  while (!check() && Date.now() < end) await new Promise((r) => { setTimeout(r, 5); });
}

function deps(groups: string[][], groupSize: number): ImportDeps {
  return {
    parse: (text) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new OperationOutcomeError(400, [issue('HTTP-BODY-NOT-OBJECT')]);
      }
    },
    authorize: () => undefined,
    plan: async (body) => {
      const b = body as { submissionId: string; bad?: boolean };
      if (b.bad) throw new OperationOutcomeError(422, [issue('HTTP-BODY-NOT-OBJECT')]);
      return readyPlan({ plan: { submissionId: b.submissionId } as WritePlan, warnings: [], results: [] });
    },
    write: async (plans) => {
      groups.push(plans.map((p) => p.submissionId));
      return plans.map((p) => (p.submissionId === 'refused' ? { error: new OperationOutcomeError(403, [issue('HTTP-BODY-NOT-OBJECT')]) } : outcome(p)));
    },
    unexpected: () => issue('HTTP-BODY-NOT-OBJECT'),
    limits: { maxBytes: 1e6, maxLineBytes: 1e6 },
    concurrency: 2,
    groupSize,
  };
}

const line = (submissionId: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ organizationId: 'o', submissionId, ...extra });

async function run(texts: string[], groupSize: number): Promise<{ results: ImportResult[]; groups: string[][] }> {
  const groups: string[][] = [];
  const results: ImportResult[] = [];
  for await (const r of importVisits(linesOf(texts), deps(groups, groupSize))) results.push(r);
  return { results, groups };
}

describe('$import group commit (importVisits)', () => {
  it('writes accepted lines in groups of at most groupSize, one transaction each; results in input order', async () => {
    const { results, groups } = await run(['a', 'b', 'c', 'd', 'e'].map((s) => line(s)), 2);
    expect(groups).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(results.map((r) => [r.line, r.status, r.submissionId])).toEqual([[1, 202, 'a'], [2, 202, 'b'], [3, 202, 'c'], [4, 202, 'd'], [5, 202, 'e']]);
  });

  it('a refused line (before or at the write) is answered in its place and never stops the others', async () => {
    const { results, groups } = await run([line('a'), line('x', { bad: true }), 'not json', line('refused'), line('b')], 8);
    expect(groups).toEqual([['a', 'refused', 'b']]);
    expect(results.map((r) => r.status)).toEqual([202, 422, 400, 403, 202]);
  });

  it('two lines with one submissionId never share a transaction: the later one is written after', async () => {
    const { groups } = await run([line('a'), line('b'), line('a'), line('c')], 8);
    expect(groups).toEqual([['a', 'b'], ['a', 'c']]);
  });

  it('with several writers, groups are written at once; a line sharing a submission or lock key with a group being written waits for its commit; results stay in input order', async () => {
    const started: string[][] = [];
    const open: (() => void)[] = [];
    let inFlight = 0;
    let most = 0;
    const d = deps([], 2);
    d.writers = 3;
    d.plan = async (body) => {
      const b = body as { submissionId: string; nik?: string };
      return readyPlan({ plan: { submissionId: b.submissionId, lockKeys: b.nik ? [`nik|${b.nik}`] : [] } as unknown as WritePlan, warnings: [], results: [] });
    };
    d.write = (plans) => new Promise((resolve) => {
      started.push(plans.map((p) => p.submissionId));
      inFlight += 1;
      most = Math.max(most, inFlight);
      open.push(() => { inFlight -= 1; resolve(plans.map(outcome)); });
    });
    const texts = [line('a'), line('b'), line('c'), line('d', { nik: '1' }), line('e', { nik: '1' }), line('a'), line('f')];
    const results: ImportResult[] = [];
    const done = (async () => { for await (const r of importVisits(linesOf(texts), d)) results.push(r); })();
    const settle = (): Promise<void> => new Promise((r) => { setTimeout(r, 20); });
    await until(() => started.length >= 2);
    await settle();
    // a,b | c,d | e and the second a wait: e shares d's lock key (group 2), the second a is group 1's submission.
    expect(started).toEqual([['a', 'b'], ['c', 'd']]);
    expect(results).toEqual([]);
    open[1]?.(); // the second group commits first: its results still wait for the first group's
    await settle();
    expect(results).toEqual([]);
    expect(started).toEqual([['a', 'b'], ['c', 'd']]);
    open[0]?.();
    await until(() => started.length >= 4 && results.length >= 4);
    await settle();
    expect(started).toEqual([['a', 'b'], ['c', 'd'], ['e', 'a'], ['f']]);
    expect(results.map((r) => r.submissionId)).toEqual(['a', 'b', 'c', 'd']);
    open[2]?.();
    open[3]?.();
    await done;
    expect(results.map((r) => [r.line, r.status])).toEqual(texts.map((_, i) => [i + 1, 202]));
    expect(most).toBeGreaterThanOrEqual(2);
  });

  it('one person seen by two organisations (no shared conditional-match key) is written one group after the other: the PWS person lock is shared', async () => {
    const started: string[][] = [];
    const open: (() => void)[] = [];
    const d = deps([], 1);
    d.writers = 3;
    d.plan = async (body) => {
      const b = body as { submissionId: string; person: string; org: string };
      const plan = { submissionId: b.submissionId, lockKeys: [`${b.org}|nik|${b.person}`], contributions: { rows: [{ personKey: b.person }], aliases: [] } };
      return readyPlan({ plan: plan as unknown as WritePlan, warnings: [], results: [] });
    };
    d.write = (plans) => new Promise((resolve) => {
      started.push(plans.map((p) => p.submissionId));
      open.push(() => resolve(plans.map(outcome)));
    });
    const texts = [line('a', { person: 'nik:1', org: 'o1' }), line('b', { person: 'nik:1', org: 'o2' }), line('c', { person: 'nik:2', org: 'o1' })];
    const results: ImportResult[] = [];
    const done = (async () => { for await (const r of importVisits(linesOf(texts), d)) results.push(r); })();
    const settle = (): Promise<void> => new Promise((r) => { setTimeout(r, 20); });
    await until(() => started.length >= 1);
    await settle();
    expect(started).toEqual([['a']]);
    open[0]?.();
    await until(() => started.length >= 3);
    expect(started).toEqual([['a'], ['b'], ['c']]);
    open[1]?.();
    open[2]?.();
    await done;
    expect(results.map((r) => r.status)).toEqual([202, 202, 202]);
  });
});
