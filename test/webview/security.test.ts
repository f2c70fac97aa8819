// Strings from a cluster holding HTML and script payloads (in object names, namespaces,
// reasons, messages, nodes, field paths, image names, the title, a pod's summary) are shown
// as text and never run, in the webview page (under its real CSP, linked resources) and in
// the self-contained report (inline resources and the trace as its data block), which also
// makes no network request.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { HostToWebviewMessage } from '../../src/protocol/messages';
import { timelinePageHtml } from '../../src/report/timelinePage';
import {
  appFile,
  launchChromium,
  openTimeline,
  startTimelineServer,
  viewportSize,
  type TimelineServer,
} from './harness';
import { canvasOrigin, eventPosition } from './pageReaders';
import { hostMessages, reportData, simulate, type TraceCase } from './traces';

const img = '<img src=x onerror=window.__pwned=1>';
const script = '<script>window.__pwned=1</script>';

let browser: Browser;
let server: TimelineServer;
let hostile: TraceCase;
let messages: HostToWebviewMessage[];

before(async () => {
  [browser, server] = await Promise.all([launchChromium(), startTimelineServer()]);
  hostile = simulate(['test/fixtures/webview/hostile.yaml'], { untilMs: 20_000 });
  assert.ok(
    hostile.events.some((e) => e.message.includes(img)),
    'expected the image payload to reach an event message through the simulator',
  );
  messages = hostMessages(hostile, {
    title: `Trace ${script}`,
    mapEvent: (e) => ({
      ...e,
      object: e.object.kind === 'Pod' ? { ...e.object, name: `${img}-pod`, namespace: script } : e.object,
      reason: e.severity === 'Warning' ? `${script}${e.reason}` : e.reason,
      message: `${e.message} ${img}`,
      node: e.node === null ? null : `${e.node}<b>${img}</b>`,
      fieldPath: e.fieldPath === undefined ? undefined : `${e.fieldPath}${script}`,
    }),
    mapPod: (p) => ({
      ...p,
      name: `${img}-pod`,
      namespace: script,
      heldBy: p.heldBy && { ...p.heldBy, detail: `${script}${img}` },
    }),
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Records, from before the app runs, every element of a dangerous kind added to the document and every CSP violation.
 */
function watchDom(): void {
  const w = window as unknown as { __added: string[]; __violations: string[] };
  w.__added = [];
  w.__violations = [];
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of Array.from(r.addedNodes)) {
        if (!(n instanceof Element) || !/^(IMG|SCRIPT|IFRAME|OBJECT|EMBED|B)$/.test(n.tagName)) continue;
        // The page's own scripts, as the parser makes them: the app (with the nonce) and the report's data block.
        if (n.tagName === 'SCRIPT' && (n.hasAttribute('nonce') || n.id === 'podtrace-report-data')) continue;
        w.__added.push(n.outerHTML.slice(0, 80));
      }
    }
  }).observe(document, { childList: true, subtree: true });
  document.addEventListener('securitypolicyviolation', (e) =>
    w.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
  );
}

/**
 * Selects the hostile pod's first warning, opens the table, and checks that every payload shows as text and none ran.
 */
async function exerciseAndCheck(page: Page, settle: () => Promise<void>, scripts: number): Promise<void> {
  // The last of the pod's warnings at its time: the one drawn on top, which a click there picks.
  const first = hostile.events.find((e) => e.severity === 'Warning' && e.object.kind === 'Pod')!;
  const warning = hostile.events
    .filter((e) => e.severity === 'Warning' && e.time === first.time && e.object.kind === 'Pod')
    .at(-1)!;
  // In the pod's row, or its lane's when the pod's row is below the fold: either selects it.
  const at = await eventPosition(page, warning.id);
  const o = await canvasOrigin(page);
  await page.mouse.click(o.x + at.x, o.y + at.y);
  await page.mouse.move(o.x + at.x, o.y + at.y + 1);
  await settle();
  assert.equal(await page.evaluate(() => window.__podtraceTimeline!.selectedEventId), warning.id);
  const detail = await page.locator('.detail').evaluate((e) => e.textContent ?? '');
  for (const payload of [`${script}${warning.reason}`, `${img}-pod`, script, img, `${warning.node}<b>${img}</b>`])
    assert.ok(detail.includes(payload), `expected ${payload} as text in the detail pane: ${detail}`);
  assert.ok(
    (await page.locator('.tooltip').evaluate((e) => e.textContent ?? '')).includes(img),
    'expected the payload as text in the tooltip',
  );
  assert.ok((await page.locator('h1').evaluate((e) => e.textContent ?? '')).includes(script));
  assert.ok(
    (await page.locator('ul.visually-hidden').evaluate((e) => e.textContent ?? '')).includes(`${img}-pod`),
    'expected the screen-reader list to name the pod as text',
  );
  await page.locator('vscode-button', { hasText: 'Table view' }).click();
  await settle();
  const cells = await page.locator('[role=gridcell]').evaluateAll((cs) => cs.map((c) => c.textContent ?? ''));
  assert.ok(
    cells.some((c) => c.includes(`${script}/${img}-pod`)),
    'expected the object as text in the table',
  );
  assert.ok(
    cells.some((c) => c.includes(`${script}${warning.reason}`)),
    'expected the reason as text in the table',
  );
  const state = await page.evaluate(() => {
    const w = window as unknown as { __pwned?: unknown; __added: string[]; __violations: string[] };
    return {
      pwned: w.__pwned,
      added: w.__added,
      violations: w.__violations,
      dangerous: document.querySelectorAll('img, iframe, object, embed, b').length,
      scripts: document.scripts.length,
    };
  });
  assert.equal(state.pwned, undefined, 'a payload ran');
  assert.deepEqual(state.added, [], 'expected no element made from the payloads');
  assert.equal(state.dangerous, 0);
  assert.equal(state.scripts, scripts, 'expected only the page’s own scripts');
  // Not even the UI toolkit's probe for :focus-visible, whose <style> gets the page's style
  // nonce from its csp-nonce meta element.
  assert.deepEqual(state.violations, [], 'expected no violation of the CSP');
}

test('in the webview page, payloads in every string of the trace are shown as text and never run', async () => {
  const t = await openTimeline(browser, server, { theme: 'light' });
  await t.page.addInitScript(watchDom);
  await t.page.reload();
  await t.page.waitForFunction(() => window.__podtraceTimeline !== undefined);
  await t.feed(messages);
  await exerciseAndCheck(t.page, t.settle, 1);
  assert.deepEqual(t.errors, []);
  await t.close();
});

test('in the self-contained report, payloads are shown as \
text and never run, and the page makes no network request', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-report-'));
  const file = path.join(dir, 'report.html');
  const html = timelinePageHtml({
    title: `Report ${script}`,
    nonce: 'cmVwb3J0LW5vbmNlLTEyMzQ1Ng==',
    resources: {
      kind: 'inline',
      script: fs.readFileSync(appFile('timeline.js'), 'utf8'),
      style: fs.readFileSync(appFile('timeline.css'), 'utf8'),
      data: JSON.stringify(reportData(messages)),
    },
  });
  fs.writeFileSync(file, html);
  const context = await browser.newContext({ viewport: viewportSize, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(watchDom);
  const url = pathToFileURL(file).href;
  await page.goto(url);
  await page.waitForFunction(() => window.__podtraceTimeline !== undefined && window.__podtraceTimeline.frames > 0);
  const settle = () =>
    page.evaluate(
      () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
    );
  assert.equal(await page.evaluate(() => window.__podtraceTimeline!.eventCount), hostile.events.length);
  assert.equal(
    await page.locator('vscode-button', { hasText: 'Export' }).isVisible(),
    false,
    'expected no export in the report',
  );
  await exerciseAndCheck(page, settle, 2);
  // In the report a click shows where the YAML is, since there is no editor to reveal it in.
  await page.locator('vscode-button', { hasText: 'Timeline view' }).click();
  await settle();
  assert.match(await page.locator('.detail-location').innerText(), /^test\/fixtures\/webview\/hostile\.yaml:\d+:\d+/);
  assert.deepEqual(requests, [url], 'expected the report to load nothing but itself');
  assert.deepEqual(errors, []);
  await context.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
