// The built dashboard (dist/ui/) in headless Chromium against a fake monitoring server: a process
// with one job opens it at once and shows its graph (operator names, edge labels), live rates that
// change with the next event, the subtasks of a clicked vertex, its checkpoint and exceptions, and
// its final state; a process with two jobs lists them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, launchChromium } from './browser.js';
import { EDGE_LABELS, EXCEPTION, FINAL_FAILURE, FIRST_SAMPLE, JOB_ID, OPERATOR_NAMES, SECOND_SAMPLE, jobEvent, renamedJob } from './dashboard-fixture.js';
import { startFakeMonitorServer } from './fake-monitor-server.js';
import type { FakeMonitorServer } from './fake-monitor-server.js';

const WAIT = { timeout: 10_000 };

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser.close();
});

function vertex(page: Page, vertexId: number) {
  return page.locator(`[data-testid="vertex"][data-vertex-id="${vertexId}"]`);
}

describe('the dashboard of a process with one job', () => {
  let server: FakeMonitorServer;
  let page: Page;
  let pageErrors: string[];

  before(async () => {
    server = await startFakeMonitorServer([jobEvent(FIRST_SAMPLE)]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    pageErrors = collectPageErrors(page);
    await page.goto(server.url);
    await page.getByTestId('vertex').nth(2).waitFor(WAIT);
  });
  after(async () => {
    await page.close();
    await server.close();
  });

  it('opens the job at once, with its name, state and progress in the header', async () => {
    assert.equal(new URL(page.url()).hash, `#/jobs/${JOB_ID}`);
    assert.equal(await page.getByTestId('job-name').textContent(), 'Sensor alerts');
    assert.equal(await page.getByTestId('job-state').textContent(), 'RUNNING');
    assert.equal(await page.getByTestId('job-progress').textContent(), '75%');
    assert.equal(await page.getByTestId('job-rate').textContent(), '1.2 k/s');
  });

  it('draws a node per vertex with each chained operator named, and the edges labelled by partitioning', async () => {
    assert.equal(await page.getByTestId('vertex').count(), 3);
    assert.deepEqual(await page.getByTestId('operator-name').allTextContents(), OPERATOR_NAMES);
    assert.deepEqual(await vertex(page, 1).getByTestId('operator-name').allTextContents(), OPERATOR_NAMES.slice(0, 2));
    assert.deepEqual((await page.getByTestId('edge-label').allTextContents()).sort(), EDGE_LABELS);
    assert.equal(await vertex(page, 2).getByTestId('vertex-parallelism').textContent(), 'parallelism 2');
    assert.match((await vertex(page, 2).getByTestId('vertex-watermark').textContent()) ?? '', /^watermark .*\(lag 2\.0 s\)$/);
  });

  it('updates the rates and load in place when the next event comes', async () => {
    const rates = vertex(page, 1).getByTestId('vertex-rates');
    assert.equal(await rates.textContent(), 'in 0/s · out 1.2 k/s');
    assert.equal(await vertex(page, 2).getByTestId('vertex-load').textContent(), 'busy 30% · backpressured 0%');
    const windowBox = await vertex(page, 2).locator('.vertex-box').elementHandle();
    server.push(jobEvent(SECOND_SAMPLE));
    await vertex(page, 1).getByText('in 0/s · out 2.4 k/s').waitFor(WAIT);
    assert.equal(await vertex(page, 2).getByTestId('vertex-rates').textContent(), 'in 2.4 k/s · out 24/s');
    assert.equal(await vertex(page, 2).getByTestId('vertex-load').textContent(), 'busy 70% · backpressured 0%');
    assert.equal(await vertex(page, 1).getAttribute('class'), 'vertex backpressured');
    assert.equal(await page.getByTestId('job-rate').textContent(), '2.4 k/s');
    const sameBox = await windowBox?.evaluate((box, current) => box === current, await vertex(page, 2).locator('.vertex-box').elementHandle());
    assert.equal(sameBox, true, 'the graph was drawn again for an event that did not change it');
  });

  it('shows the checkpoint in the history', async () => {
    const rows = page.getByTestId('checkpoint-row');
    assert.equal(await rows.count(), 1);
    const cells = await rows.first().locator('td').allTextContents();
    assert.deepEqual([cells[0], cells[1], cells[2], cells[4], cells[5], cells[6], cells[7]], ['7', 'COMPLETED', 'checkpoint', '320 ms', '1.5 MB', '12 ms', '6/6']);
    assert.equal(await page.getByTestId('checkpoint-counts').textContent(), '1 completed · 0 failed · 0 in progress');
  });

  it('shows the exception with its operator, subtask and message, and its stack on a click', async () => {
    const entry = page.getByTestId('exception');
    assert.equal(await entry.count(), 1);
    assert.equal(await entry.getByTestId('exception-place').textContent(), `${EXCEPTION.operator} (subtask ${EXCEPTION.subtask})`);
    assert.equal(await entry.getByTestId('exception-message').textContent(), `${EXCEPTION.name}: ${EXCEPTION.message}`);
    assert.equal(await entry.locator('.stack').isVisible(), false);
    await entry.locator('summary').click();
    assert.match((await entry.locator('.stack').textContent()) ?? '', /at average \(file:\/\/\/app\/job\.js:42:11\)/);
    assert.equal(await entry.locator('.stack').isVisible(), true);
  });

  it('shows a row per subtask, and per operator at each, for a clicked vertex', async () => {
    await vertex(page, 2).click();
    const rows = page.getByTestId('subtask-row');
    await rows.nth(1).waitFor(WAIT);
    assert.equal(await rows.count(), 2);
    assert.equal(await page.getByTestId('subtasks-title').textContent(), 'Subtasks of Window: average per sensor');
    const first = await rows.nth(0).locator('td').allTextContents();
    const second = await rows.nth(1).locator('td').allTextContents();
    assert.deepEqual([first[0], first[1], first[4], first[18]], ['0', '0', '1.2 k/s', '0–63']);
    assert.deepEqual([second[0], second[1], second[18]], ['1', '1', '64–127']);
    const operatorRows = await page.getByTestId('operator-row').allTextContents();
    assert.equal(operatorRows.length, 2);
    for (const row of operatorRows) assert.match(row, /Window: average per sensor/);
    assert.equal(await vertex(page, 2).getAttribute('class'), 'vertex selected');
    await page.getByTestId('subtasks-close').click();
    assert.equal(await page.getByTestId('subtask-panel').isVisible(), false);
  });

  it('shows the final state when the job ended, its last exception first, and keeps its last figures', async () => {
    server.finish(jobEvent(SECOND_SAMPLE, 'FAILED'));
    await page.getByTestId('job-state').getByText('FAILED').waitFor(WAIT);
    assert.equal(await page.getByTestId('job-status').textContent(), 'The job ended: FAILED.');
    assert.equal(await vertex(page, 1).getByTestId('vertex-rates').textContent(), 'in 0/s · out 2.4 k/s');
    const entries = page.getByTestId('exception');
    assert.deepEqual(await entries.getByTestId('exception-message').allTextContents(), [`${FINAL_FAILURE.name}: ${FINAL_FAILURE.message}`, `${EXCEPTION.name}: ${EXCEPTION.message}`]);
    assert.equal(await entries.nth(0).getByTestId('exception-place').textContent(), 'the job');
    assert.equal(await entries.nth(0).locator('.ended').textContent(), 'job ended');
    assert.equal(await entries.nth(1).locator('.stack').isVisible(), true, 'the stack unfolded before the update was folded again');
    assert.deepEqual(pageErrors, []);
  });
});

describe('the dashboard of a process with two jobs', () => {
  let server: FakeMonitorServer;
  let page: Page;

  before(async () => {
    server = await startFakeMonitorServer([jobEvent(FIRST_SAMPLE), renamedJob(jobEvent(FIRST_SAMPLE), 'job-2', 'Sensor averages')]);
    page = await browser.newPage({ viewport: { width: 420, height: 800 } });
    await page.goto(server.url);
    await page.getByTestId('job-row').nth(1).waitFor(WAIT);
  });
  after(async () => {
    await page.close();
    await server.close();
  });

  it('lists the jobs, and opens the one clicked', async () => {
    assert.deepEqual(await page.getByTestId('job-link').allTextContents(), ['Sensor alerts', 'Sensor averages']);
    await page.getByTestId('job-link').nth(1).click();
    await page.getByTestId('job-name').getByText('Sensor averages').waitFor(WAIT);
    assert.equal(new URL(page.url()).hash, '#/jobs/job-2');
    assert.equal(await page.getByTestId('vertex').count(), 3);
    assert.ok(server.requests.includes('/jobs/job-2/events'));
  });

  it('goes back to the list from a job', async () => {
    await page.getByTestId('all-jobs').click();
    await page.getByTestId('job-row').nth(1).waitFor(WAIT);
    assert.equal(new URL(page.url()).hash, '#/jobs');
  });
});
