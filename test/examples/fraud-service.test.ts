// examples/fraud-service.ts at parallelism 2 over HTTP: a payment is not fraud, the same card in
// another city five minutes later is (the alert names both cities), malformed JSON is a 400, a GET
// a 405, and SIGTERM ends the service with exit code 0.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startReadyChild } from '../../bench/utils/ready-child.js';

const SERVICE = fileURLToPath(new URL('../../examples/fraud-service.js', import.meta.url));
const START = Date.UTC(2026, 0, 1, 9, 0, 0);

describe('examples/fraud-service', () => {
  it('answers payments over HTTP and shuts down cleanly on SIGTERM', async () => {
    const service = await startReadyChild(process.execPath, [SERVICE, '--port', '0', '--parallelism', '2'], /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const url = `${service.ready[1]!}/transactions`;
    const post = async (body: string): Promise<{ status: number; json: unknown }> => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return { status: res.status, json: await res.json() };
    };
    try {
      assert.deepEqual(await post(JSON.stringify({ card: 'card-1', city: 'Lisbon', time: START })), { status: 200, json: { fraud: false } });
      assert.deepEqual(await post(JSON.stringify({ card: 'card-1', city: 'Paris', time: START + 5 * 60_000 })), {
        status: 200,
        json: { fraud: true, alert: { card: 'card-1', first: { city: 'Lisbon', time: START }, second: { city: 'Paris', time: START + 5 * 60_000 } } },
      });
      const malformed = await post('{"card": "card-1", ');
      assert.equal(malformed.status, 400);
      assert.match((malformed.json as { error: string }).error, /not JSON/);
      const get = await fetch(url);
      assert.equal(get.status, 405);
      assert.equal(get.headers.get('allow'), 'POST');
    } finally {
      assert.equal(await service.stop('SIGTERM', 10_000), 0, service.output());
    }
  });
});
