import { createMetrics, registerIntakeQueueGauges, registerQueueGauges } from '../../../src/api/metrics';

test('the gauges of one table read it once per scrape, and again at the next scrape', async () => {
  const m = createMetrics();
  let outboxReads = 0;
  let queueReads = 0;
  registerQueueGauges(m, async () => { outboxReads += 1; return { pending: 4, claimed: 1, failed: 0, oldestSeconds: 12.5 }; });
  registerIntakeQueueGauges(m, async () => { queueReads += 1; return { received: 7, leased: 2, refused: 1, oldestSeconds: 3 }; });
  const text = await m.registry.metrics();
  expect(text).toMatch(/^ilp_gateway_relay_queue_depth\{status="pending"\} 4$/m);
  expect(text).toMatch(/^ilp_gateway_relay_oldest_pending_seconds 12.5$/m);
  expect(text).toMatch(/^ilp_gateway_intake_queue_depth\{state="received"\} 7$/m);
  expect(text).toMatch(/^ilp_gateway_intake_queue_oldest_seconds 3$/m);
  expect([outboxReads, queueReads]).toEqual([1, 1]);
  await m.registry.metrics();
  expect([outboxReads, queueReads]).toEqual([2, 2]);
});

test('a failed read fails that scrape only; the next scrape reads again', async () => {
  const m = createMetrics();
  let reads = 0;
  registerIntakeQueueGauges(m, async () => {
    reads += 1;
    if (reads === 1) throw new Error('database down');
    return { received: 1, leased: 0, refused: 0, oldestSeconds: 0 };
  });
  await expect(m.registry.metrics()).rejects.toThrow('database down');
  expect(await m.registry.metrics()).toMatch(/^ilp_gateway_intake_queue_depth\{state="received"\} 1$/m);
});
