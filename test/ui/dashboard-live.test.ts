// The dashboard on a real running job, in headless Chromium: every operator of the graph named
// as text, rates that move, a checkpoint row that appears, a failure shown with its operator and
// subtask, a vertex's subtasks; and the screenshot in docs/ (EDDY_UPDATE_SCREENSHOT=1 retakes it).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, it } from 'node:test';
import { runJob } from '../../src/index.js';
import type { MonitoredArgs } from '../fixtures/monitored.js';
import { fixtureUrl } from '../harness/run-fixture.js';
import { collectPageErrors, launchChromium, screenshotFullPage } from './browser.js';

const dir = mkdtempSync(join(tmpdir(), 'eddy-dashboard-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const root = fileURLToPath(new URL('../../../', import.meta.url));

it('shows a running job live: its graph, moving rates, a checkpoint, a failure and the subtasks', async () => {
  const args: MonitoredArgs = { count: 120_000, keys: 97, perMs: 8, checkpointMs: 400, dir: join(dir, 'checkpoints'), failOnce: { at: 3_000, marker: join(dir, 'failed-once') } };
  const job = await runJob(fixtureUrl('monitored'), { parallelism: 2, args, jobName: 'dashboard demo', webUI: { port: 0 } });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(new URL(`#/jobs/${job.id}`, job.webUI).href);
    const graph = page.getByTestId('job-graph');
    await graph.getByTestId('vertex').first().waitFor();
    const names = await graph.getByTestId('operator-name').allTextContents();
    for (const name of ['Numbers', 'Fragile', 'Double', 'Evens', 'Counter', 'Sink']) assert.ok(names.some((n) => n.includes(name)), `${name} is not in the graph: ${names.join(', ')}`);
    assert.deepEqual(await graph.getByTestId('edge-label').allTextContents(), ['HASH']);

    const exception = page.getByTestId('exception').first();
    await exception.waitFor({ timeout: 15_000 });
    assert.match(await exception.innerText(), /planned failure at 3000/);
    assert.match(await exception.innerText(), /Fragile \(subtask [01]\)/);
    assert.match(await exception.innerText(), /restarted/);

    const rates = graph.getByTestId('vertex-rates').first();
    const seen = new Set<string>();
    for (let i = 0; i < 8 && seen.size < 2; i++) {
      seen.add(await rates.textContent() ?? '');
      await page.waitForTimeout(800);
    }
    assert.ok(seen.size >= 2, `the rates did not move: ${[...seen].join(' | ')}`);

    await page.getByTestId('checkpoint-row').filter({ hasText: /COMPLETED/i }).first().waitFor({ timeout: 15_000 });

    await graph.getByTestId('vertex').nth(1).click();
    const panel = page.getByTestId('subtask-panel');
    await panel.getByTestId('subtask-row').first().waitFor();
    assert.equal(await panel.getByTestId('subtask-row').count(), 2);

    const shot = process.env['EDDY_UPDATE_SCREENSHOT'] === '1' ? join(root, 'docs/images/dashboard.png') : join(dir, 'dashboard.png');
    await screenshotFullPage(page, shot);
    assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
  } finally {
    await browser.close();
    await job.cancel();
  }
});
