import { testDbKind } from '../../support/database';
import { TestGateway, startGateway } from '../../support/gateway';
import { example, uniqueId, type Json } from '../../support/submissions';

/** POST /ilp/v1/encounters/$import over a real socket: NDJSON in, NDJSON out, one result per line, in order. */
interface ResultLine {
  line: number;
  status: number;
  id?: string;
  submissionId?: string;
  result?: string;
  outcome?: { resourceType: string; issue: { code: string; details?: { coding?: { code?: string }[] } }[] };
}

const visit = (patch: Json = {}): Json => ({ ...example(), submissionId: uniqueId('IMPORT'), ...patch });
const codeOf = (r: ResultLine | undefined): string | undefined => r?.outcome?.issue[0]?.details?.coding?.[0]?.code;

async function postImport(gw: TestGateway, body: string | ReadableStream<Uint8Array>, type = 'application/x-ndjson'): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${gw.url}/ilp/v1/encounters/$import`, {
    method: 'POST', headers: { 'content-type': type }, body,
    ...(typeof body === 'string' ? {} : { duplex: 'half' }),
  } as RequestInit);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

function results(text: string): ResultLine[] {
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((l) => JSON.parse(l) as ResultLine);
}

/** A body sent in small chunks without Content-Length (chunked transfer), as a streaming client sends it. */
function chunked(text: string, size = 700): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) { controller.close(); return; }
      controller.enqueue(bytes.subarray(at, at + size));
      at += size;
    },
  });
}

describe(`NDJSON bulk import (${testDbKind()})`, () => {
  let gw: TestGateway;
  beforeAll(async () => { gw = await startGateway({ IMPORT_MAX_LINE_BYTES: '8192', IMPORT_CONCURRENCY: '3' }); });
  afterAll(async () => { await gw?.close(); });

  test('mixed good, malformed, invalid, duplicate, blank and CRLF lines: one result per line in order, each accepted one stored', async () => {
    const a = visit();
    const b = visit();
    const invalid = visit({ patient: { ...example().patient, nik: '123' } });
    const c = visit();
    const lines = [
      JSON.stringify(a), // 1
      '{"submissionId": "broken", ', // 2 malformed
      JSON.stringify(invalid), // 3 invalid content
      '', // 4 blank: skipped
      JSON.stringify(a), // 5 the same visit again: idempotent
      `${JSON.stringify(b)}\r`, // 6 CRLF
      '[1, 2, 3]', // 7 not an object
      JSON.stringify({ ...a, end: '2024-07-29T09:10:00+07:00' }), // 8 a changed version of line 1
      JSON.stringify(c), // 9 last line without a newline
    ];
    const res = await postImport(gw, lines.join('\n'));
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/x-ndjson/);
    const out = results(res.text);
    expect(out.map((r) => [r.line, r.status])).toEqual([[1, 202], [2, 400], [3, 422], [5, 202], [6, 202], [7, 422], [8, 202], [9, 202]]);
    expect(out[0]).toMatchObject({ submissionId: a.submissionId, result: 'created' });
    expect(codeOf(out[1])).toBe('HTTP-BODY-MALFORMED');
    expect(out[2]).toMatchObject({ submissionId: invalid.submissionId });
    expect(codeOf(out[2])).toBe('ILP-NIK-INVALID');
    expect(out[3]).toMatchObject({ id: out[0]?.id, result: 'unchanged' });
    expect(out[4]).toMatchObject({ submissionId: b.submissionId, result: 'created' });
    expect(codeOf(out[5])).toBe('HTTP-BODY-NOT-OBJECT');
    expect(out[6]).toMatchObject({ id: out[0]?.id, result: 'updated' });
    expect(out[7]).toMatchObject({ submissionId: c.submissionId, result: 'created' });
    for (const r of [out[0], out[4], out[7]]) {
      const s = await gw.db.submissions.getSubmission(r?.id ?? '');
      expect(s?.status).toBe('accepted');
    }
    expect((await gw.db.submissions.getSubmission(out[0]?.id ?? ''))?.version).toBe(2);
    // Three visits, four versions: one outbox row per version.
    const rows = await gw.db.outbox.list(100);
    expect(rows.filter((r) => [out[0]?.id, out[4]?.id, out[7]?.id].includes(r.submissionPk))).toHaveLength(4);
  });

  test('re-sending the whole file creates nothing new: every line answers 202 unchanged with the same ids', async () => {
    const file = [visit(), visit(), visit()].map((v) => JSON.stringify(v)).join('\n') + '\n';
    const first = results((await postImport(gw, file)).text);
    const again = results((await postImport(gw, file)).text);
    expect(first.map((r) => r.result)).toEqual(['created', 'created', 'created']);
    expect(again.map((r) => [r.status, r.result])).toEqual([[202, 'unchanged'], [202, 'unchanged'], [202, 'unchanged']]);
    expect(again.map((r) => r.id)).toEqual(first.map((r) => r.id));
  });

  test('a line over IMPORT_MAX_LINE_BYTES is answered 413 for itself, streamed in chunks, and the lines around it are stored', async () => {
    const before = visit();
    const after = visit();
    const huge = JSON.stringify({ ...visit(), padding: 'x'.repeat(50_000) });
    const out = results((await postImport(gw, chunked([JSON.stringify(before), huge, JSON.stringify(after)].join('\n')))).text);
    expect(out.map((r) => [r.line, r.status])).toEqual([[1, 202], [2, 413], [3, 202]]);
    expect(codeOf(out[1])).toBe('IMPORT-LINE-TOO-LONG');
    expect(out[2]?.submissionId).toBe(after.submissionId);
  });

  test('two lines of the same visit in one batch are stored one after the other: one created, one unchanged', async () => {
    const v = JSON.stringify(visit());
    const out = results((await postImport(gw, [v, v, v].join('\n'))).text);
    expect(out.map((r) => r.result)).toEqual(['created', 'unchanged', 'unchanged']);
    expect(new Set(out.map((r) => r.id)).size).toBe(1);
  });

  test('not NDJSON: 415 OperationOutcome, nothing read', async () => {
    const res = await postImport(gw, JSON.stringify(visit()), 'application/json');
    expect(res.status).toBe(415);
    expect(JSON.parse(res.text)).toMatchObject({ resourceType: 'OperationOutcome' });
    expect(res.text).toContain('IMPORT-MEDIA-TYPE');
  });
});

describe(`NDJSON bulk import over IMPORT_MAX_BYTES (${testDbKind()})`, () => {
  let gw: TestGateway;
  beforeAll(async () => { gw = await startGateway({ IMPORT_MAX_BYTES: '5000' }); });
  afterAll(async () => { await gw?.close(); });

  const file = (): { text: string; ids: string[] } => {
    const vs = Array.from({ length: 6 }, () => visit());
    return { text: vs.map((v) => JSON.stringify(v)).join('\n') + '\n', ids: vs.map((v) => String(v.submissionId)) };
  };

  test('streamed without Content-Length: the lines within the limit are stored, then one 413 names the line where reading stopped', async () => {
    const { text, ids } = file();
    const res = await postImport(gw, chunked(text, 512));
    expect(res.status).toBe(200);
    const out = results(res.text);
    const last = out[out.length - 1];
    expect(last?.status).toBe(413);
    expect(codeOf(last)).toBe('IMPORT-TOO-LARGE');
    const stored = out.slice(0, -1);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((r) => r.status === 202)).toBe(true);
    expect(stored.map((r) => r.submissionId)).toEqual(ids.slice(0, stored.length));
    expect(last?.line).toBe(stored.length + 1);
    // Nothing from the line where reading stopped on was stored.
    expect(await gw.db.submissions.findSubmission('10000005', ids[stored.length] ?? '')).toBeUndefined();
    expect(await gw.db.submissions.findSubmission('10000005', ids[stored.length - 1] ?? '')).toBeDefined();
  });

  test('a declared Content-Length over the limit: 413 OperationOutcome before anything is read', async () => {
    const res = await postImport(gw, file().text);
    expect(res.status).toBe(413);
    expect(res.text).toContain('IMPORT-TOO-LARGE');
  });
});
