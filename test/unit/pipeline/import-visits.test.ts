import { issue, OperationOutcomeError } from '../../../src/kernel';
import { importVisits, type ImportDeps, type ImportLine, type ImportResult } from '../../../src/pipeline/import-visits';
import type { WriteOutcome } from '../../../src/store/ports';
import type { WritePlan } from '../../../src/write-plan/plan';

async function* linesOf(texts: string[]): AsyncGenerator<ImportLine> {
  for (const [i, text] of texts.entries()) yield { kind: 'text', line: i + 1, text };
}

function outcome(plan: WritePlan): WriteOutcome {
  const submission = { id: `pk-${plan.submissionId}`, organizationId: 'o', submissionId: plan.submissionId, version: 1, status: 'accepted' as const, payloadHash: 'h', receivedAt: '', updatedAt: '', resources: [], removed: [], warnings: [], nationalIds: {} };
  return { saved: { kind: 'created', submission }, results: [] };
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
      return { plan: { submissionId: b.submissionId } as WritePlan, warnings: [], results: [] };
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
});
