// One `$import` upload for bench/ingest and bench/queued: NDJSON streamed for `seconds` (each line
// a new visit generated as the gateway reads it, so the gateway paces the upload; at most `maxLines`),
// the result lines read as they come. Accepted lines per second.
export async function importFor(url, seconds, maxLines, nextBody) {
  const end = Date.now() + seconds * 1000;
  let sent = 0;
  const body = new ReadableStream({
    pull(controller) {
      // Socket buffers take many lines ahead of the gateway: cap them, so the phase stays bounded.
      if (Date.now() >= end || sent++ >= maxLines) { controller.close(); return; }
      controller.enqueue(new TextEncoder().encode(`${nextBody()}\n`));
    },
  }, { highWaterMark: 4 });
  const started = Date.now();
  const res = await fetch(`${url}/ilp/v1/encounters/$import`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body, duplex: 'half' });
  const text = await res.text();
  const lines = text.trimEnd().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const accepted = lines.filter((l) => l.status === 202).length;
  return { status: res.status, lines: lines.length, accepted, perSecond: accepted / ((Date.now() - started) / 1000) };
}
