// The workbench in a real browser against a running server: token, identity, registry, a registered
// read in the editor, the live score, the subscriptions, one signal ingested from here arriving as an
// event and a score change, and the chart. Every request the page makes must go to the server it came
// from; a console error or a CSP violation fails the run. Writes OUT/report.json and two screenshots.
//
//   WORKBENCH_URL=http://localhost:9080/workbench/ TOKEN=<read+write token of TENANT> TENANT=tenant-123 \
//   OUT=target/workbench-test node test/workbench.test.mjs
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`workbench test: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

const pageUrl = new URL(required('WORKBENCH_URL'));
const token = required('TOKEN');
const tenant = required('TENANT');
const out = required('OUT');
const TIMEOUT = 30_000;

const report = {
  url: pageUrl.href, tenant, ok: false, failure: null, steps: [], loadTimeMs: null,
  requests: { count: 0, foreign: [], webSockets: [] },
  // Response bodies of the first page load as they came over the wire (workers and lazy chunks included).
  transferredBytes: { js: 0, css: 0, total: 0 },
  consoleErrors: [], cspViolations: [], editorSentHashOnly: null, event: null,
};

async function step(name, action) {
  const started = performance.now();
  try {
    const detail = await action();
    const ms = Math.round(performance.now() - started);
    report.steps.push({ name, ms, ...(detail ?? {}) });
    console.log(`[workbench test] ok   ${name} (${ms} ms)`);
  } catch (e) {
    report.steps.push({ name, ms: Math.round(performance.now() - started), failed: e.message });
    throw new Error(`${name}: ${e.message.split('\n')[0]}`);
  }
}

/** Watches everything a page does that the test judges: requests, console, CSP; sizes on the first load. */
function watch(page, measureSizes) {
  page.on('request', request => {
    report.requests.count++;
    const url = new URL(request.url());
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.host !== pageUrl.host) {
      report.requests.foreign.push(request.url());
    }
  });
  page.on('websocket', ws => {
    report.requests.webSockets.push(ws.url());
    if (new URL(ws.url()).host !== pageUrl.host) report.requests.foreign.push(ws.url());
  });
  if (measureSizes) page.on('requestfinished', async request => {
    const type = request.resourceType();
    const path = new URL(request.url()).pathname;
    const kind = path.endsWith('.css') || type === 'stylesheet' ? 'css' : path.endsWith('.js') ? 'js' : null;
    if (!kind) return;
    const sizes = await request.sizes().catch(() => null);
    if (sizes) {
      report.transferredBytes[kind] += sizes.responseBodySize;
      report.transferredBytes.total += sizes.responseBodySize;
    }
  });
  page.on('console', message => {
    if (message.type() === 'error') report.consoleErrors.push(message.text());
  });
  page.on('pageerror', error => report.consoleErrors.push(`uncaught: ${error.message}`));
}

async function newPage(browser, measureSizes = false) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.exposeBinding('__reportCspViolation', (_source, text) => report.cspViolations.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation',
      e => globalThis.__reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`));
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  watch(page, measureSizes);
  return page;
}

const testId = (page, id) => page.getByTestId(id);
const toTop = (page, id) => testId(page, id).evaluate(e => e.scrollIntoView({ block: 'start' }));

async function ingest(signal) {
  const response = await fetch(new URL('../v1/coherence/signals', pageUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(signal),
  });
  const body = await response.json();
  if (response.status !== 202) throw new Error(`ingest answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

async function run(browser) {
  const page = await newPage(browser, true);

  await step('open the page', async () => {
    await page.goto(pageUrl.href);
    await testId(page, 'token-input').waitFor();
  });

  await step('paste the token and see whom it acts for', async () => {
    await testId(page, 'token-input').fill(token);
    await testId(page, 'token-use').click();
    await testId(page, 'identity').waitFor();
    const shown = {
      tenant: await testId(page, 'identity-tenant').innerText(),
      scopes: await testId(page, 'identity-scopes').innerText(),
      expiry: await testId(page, 'identity-expiry').innerText(),
    };
    if (shown.tenant !== tenant) throw new Error(`identity shows tenant ${shown.tenant}, not ${tenant}`);
    if (!shown.scopes.includes('coherence:read') || !shown.scopes.includes('coherence:write')) {
      throw new Error(`identity shows scopes "${shown.scopes}"`);
    }
    if (!/expires in/.test(shown.expiry)) throw new Error(`identity shows expiry "${shown.expiry}"`);
    return { shown };
  });

  await step('see the registry', async () => {
    await page.locator('[data-testid="registry-entry"][data-id="pq_tenant_coherence_v1"]').waitFor();
    return { entries: await testId(page, 'registry-entry').count(), mode: await testId(page, 'registry-mode').innerText() };
  });

  await step('run the registered tenant read in the editor', async () => {
    await page.locator('[data-testid="registry-entry"][data-id="pq_tenant_coherence_v1"] button').click();
    await page.waitForFunction(() => document.querySelector('.graphiql-query-editor')?.textContent.includes('tenantCoherence'));
    const sent = page.waitForRequest(r => r.method() === 'POST' && new URL(r.url()).pathname.endsWith('/graphql'));
    await page.locator('.graphiql-execute-button').click();
    const body = JSON.parse((await sent).postData());
    report.editorSentHashOnly = body.query === undefined && /^[0-9a-f]{64}$/.test(body.extensions?.persistedQuery?.sha256Hash ?? '');
    if (!report.editorSentHashOnly) throw new Error(`the editor sent ${JSON.stringify(body)}, not the registered hash alone`);
    if (body.variables?.tenantId !== tenant) throw new Error(`the variables skeleton holds ${JSON.stringify(body.variables)}`);
    await page.waitForFunction(() => /"score"/.test(document.querySelector('.graphiql-response')?.textContent ?? ''));
    await toTop(page, 'editor');
    await page.screenshot({ path: join(out, 'workbench-editor.png') });
  });

  let before;
  await step('see the live score', async () => {
    await testId(page, 'live').scrollIntoViewIfNeeded();
    await testId(page, 'live-score-value').waitFor();
    before = Number(await testId(page, 'live-score-value').innerText());
    return { score: before, status: await testId(page, 'live-status').innerText() };
  });

  await step('see the subscriptions connected', async () => {
    await page.locator('[data-testid="ws-state"][data-state="connected"]').waitFor();
  });

  await step('ingest a signal and see its event and the score change arrive', async () => {
    // A heavy signal at the far end from the current score moves it whatever the tenant holds.
    const signal = {
      tenantId: tenant, type: 'workbench-check', value: before >= 0.5 ? 0 : 1, weight: 50,
      source: 'workbench-browser-test', signalId: `workbench-${Date.now()}`,
    };
    const changesBefore = await testId(page, 'score-change').count();
    const sentAt = performance.now();
    const receipt = await ingest(signal);
    const row = page.locator(`[data-testid="event-row"][data-signal-id="${signal.signalId}"]`);
    await row.waitFor();
    const eventMs = Math.round(performance.now() - sentAt);
    await page.waitForFunction(
      ([n, score]) => [...document.querySelectorAll('[data-testid="score-change"]')].length > n
        && Number(document.querySelector('[data-testid="live-score-value"]').textContent) !== score,
      [changesBefore, before]);
    const after = Number(await testId(page, 'live-score-value').innerText());
    report.event = { signalId: signal.signalId, sequence: await row.getAttribute('data-sequence'), eventMs,
      scoreChangeMs: Math.round(performance.now() - sentAt), scoreBefore: before, scoreAfter: after, receipt };
    return { eventMs, scoreBefore: before, scoreAfter: after };
  });

  await step('see the chart with points', async () => {
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="score-chart"]')?.dataset.points) > 0);
    await toTop(page, 'live');
    await page.screenshot({ path: join(out, 'workbench-live.png') });
    return { points: Number(await testId(page, 'score-chart').getAttribute('data-points')) };
  });

  await step('open the dev stack link (#token=) and see the score', async () => {
    const fresh = await newPage(browser);
    await fresh.goto(`${pageUrl.href}#token=${encodeURIComponent(token)}`);
    await testId(fresh, 'live-score-value').waitFor();
    const seen = await fresh.evaluate(key => ({
      scoreVisibleMs: performance.getEntriesByName('workbench-score-visible')[0]?.startTime ?? null,
      hash: location.hash,
      inSession: Object.values(sessionStorage).includes(key),
      inLocal: Object.values(localStorage).some(v => v.includes(key)),
      cookies: document.cookie,
    }), token);
    if (seen.hash) throw new Error(`the token stayed in the address: ${seen.hash.slice(0, 20)}…`);
    if (!seen.inSession || seen.inLocal || seen.cookies.includes(token)) {
      throw new Error('the token must be in sessionStorage only');
    }
    report.loadTimeMs = Math.round(seen.scoreVisibleMs);
    await fresh.context().close();
    return { loadTimeMs: report.loadTimeMs };
  });
}

await mkdir(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  // --no-sandbox: root in a container; the rest keep Chromium's own background traffic off the network.
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  await run(browser);
  const problems = [
    ...report.requests.foreign.map(u => `request to another host: ${u}`),
    ...report.consoleErrors.map(m => `console error: ${m}`),
    ...report.cspViolations.map(v => `CSP violation: ${v}`),
  ];
  if (problems.length) throw new Error(problems.join('\n'));
  report.ok = true;
} catch (e) {
  report.failure = e.message;
} finally {
  await browser.close();
  await writeFile(join(out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
}
if (!report.ok) {
  console.error(`[workbench test] FAILED: ${report.failure}\n(report: ${join(out, 'report.json')})`);
  process.exit(1);
}
console.log(`[workbench test] passed: ${report.steps.length} steps, page load to score ${report.loadTimeMs} ms, `
  + `${report.requests.count} requests, ${report.transferredBytes.total} bytes of JS and CSS`);
