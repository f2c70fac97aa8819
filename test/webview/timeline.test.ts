// The timeline app in headless Chromium, in a page that mocks VS Code's webview API: what it
// draws (lanes, pod rows with their phase bars), what the filters hide, what a click and the
// keyboard select and reveal, the table view, the YAML cursor's highlight, the critical path.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { lanes } from '../../src/core/trace/model/traceEvent';
import type { HostToWebviewMessage } from '../../src/protocol/messages';
import { launchChromium, openTimeline, startTimelineServer, type TimelineServer } from './harness';
import {
  canvasPixel,
  clickEvent,
  clickRowTitle,
  eventPosition,
  inkNear,
  pressKeys,
  rowsOnScreen,
  selectedEventId,
  tableEventIds,
  viewportOf,
} from './pageReaders';
import { findEvent, hostMessages, repoRoot, webCase, type TraceCase } from './traces';

let browser: Browser;
let server: TimelineServer;
let web: TraceCase;
let messages: HostToWebviewMessage[];

before(async () => {
  [browser, server] = await Promise.all([launchChromium(), startTimelineServer()]);
  web = webCase();
  messages = hostMessages(web);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const label = (e: { object: { kind: string; namespace: string | null; name: string } }) =>
  `${e.object.kind} ${e.object.namespace}/${e.object.name}`;

/** The web trace on a light page with the Components section folded, so that the pods are on screen. */
async function webPage() {
  const t = await openTimeline(browser, server, { theme: 'light' });
  await t.feed(messages);
  await clickRowTitle(t, /^Components/);
  return t;
}

test('lanes render in the trace model’s order, then a row per object, and pod rows with their phase bars', async () => {
  const t = await openTimeline(browser, server, { theme: 'light' });
  await t.feed(messages);
  assert.equal(await t.page.evaluate(() => window.__podtraceTimeline!.eventCount), web.events.length);
  const objects = new Set(web.events.map(label));
  const used = lanes.filter((l) => web.events.some((e) => e.lane === l));
  // Sections: Components, Workloads, Pods, Services and endpoints.
  assert.equal(await t.page.evaluate(() => window.__podtraceTimeline!.rowCount), used.length + objects.size + 4);
  const rows = await rowsOnScreen(t.page);
  assert.equal(rows[0].label, `Components (${used.length})`);
  assert.deepEqual(
    rows.filter((r) => r.kind === 'lane').map((r) => r.label),
    used.slice(0, rows.filter((r) => r.kind === 'lane').length),
  );
  // A lane row has ink where its events are: the first Pulled span, in the cri lane.
  const pulled = findEvent(web.events, 'Pulled');
  const background = await canvasPixel(t.page, 700, 10);
  const cri = rows.find((r) => r.label === 'cri')!;
  const x = (await eventPosition(t.page, pulled.id)).x;
  assert.ok(
    await inkNear(t.page, Math.round(x) - 3, cri.y + cri.height / 2, 2, background),
    'expected the Pulled span drawn on the cri lane',
  );
  assert.deepEqual(
    await t.page.evaluate(() => performance.getEntriesByName('podtrace:first-complete-frame').length),
    1,
  );
  assert.ok((await t.page.evaluate(() => performance.getEntriesByName('podtrace:frame').length)) >= 1);

  // A lane's title selects the lane: the detail pane sums it up.
  await clickRowTitle(t, /^kubelet$/);
  const kubelet = web.events.filter((e) => e.lane === 'kubelet');
  assert.match(
    await t.page.locator('.detail').innerText(),
    new RegExp(
      `kubelet lane\\s+${kubelet.length} events, ${kubelet.filter((e) => e.severity === 'Warning').length} warnings`,
    ),
  );
  await clickRowTitle(t, /^Components/);
  const folded = await rowsOnScreen(t.page);
  const pods = folded.filter((r) => r.kind === 'pod');
  assert.deepEqual(
    pods.map((r) => r.label),
    web.trace.pods.map((p) => `Pod ${p.namespace}/${p.name}`),
    'expected one row per pod, by creation time',
  );
  assert.ok(
    folded.some((r) => r.label === 'Deployment default/web') && folded.some((r) => r.label === 'Service default/web'),
  );
  // Each pod's phase bar, under its events, is drawn through its readiness step (started → ready).
  for (const [i, pod] of web.trace.pods.entries()) {
    const started = findEvent(web.events, 'Started', new RegExp(`^${pod.name}$`));
    const ready = web.events.find((e) => e.id === pod.phaseEvents.ready)!;
    const a = await eventPosition(t.page, started.id);
    const b = await eventPosition(t.page, ready.id);
    assert.equal(a.y, pods[i].y + pods[i].eventsHeight / 2, `expected ${pod.name}'s events in its own row`);
    const segments = await t.page.evaluate((label) => window.__podtraceTimeline!.phaseSegments(label), pods[i].label);
    const readiness = segments.find((s) => s.step === 'readiness');
    assert.ok(
      readiness && readiness.y >= pods[i].y + pods[i].eventsHeight,
      `expected ${pod.name}'s bar under its events`,
    );
    assert.ok(
      Math.abs(readiness.x0 - a.x) < 1.5 && Math.abs(readiness.x1 - b.x) < 1.5,
      `expected the readiness step from Started (${a.x}) to ready (${b.x}), got ${readiness.x0} to ${readiness.x1}`,
    );
    assert.ok(
      await inkNear(t.page, Math.round(readiness.x1 - 3), readiness.y + 3, 1, background),
      `expected ${pod.name}'s phase bar between started and ready`,
    );
  }
  assert.deepEqual(t.errors, []);
  await t.close();
});

test('the filters hide what they should: free text, severity, lanes', async () => {
  const t = await webPage();
  await t.page.locator('canvas.timeline-canvas').focus();
  await t.page.keyboard.press('/');
  await t.page.keyboard.type('unhealthy');
  await t.page.waitForTimeout(400);
  await t.settle();
  const matching = web.events.filter((e) => /unhealthy/i.test(`${e.reason} ${e.message}`)).map((e) => e.id);
  assert.ok(matching.length > 0);
  assert.deepEqual(await tableEventIds(t.page), matching);
  const rows = await rowsOnScreen(t.page);
  assert.deepEqual(
    rows.filter((r) => r.kind === 'object').map((r) => r.label),
    [],
    'expected the objects without an Unhealthy event hidden',
  );
  assert.equal(rows.filter((r) => r.kind === 'pod').length, 3);
  const scheduled = findEvent(web.events, 'Scheduled');
  assert.equal(
    await t.page.evaluate((id) => window.__podtraceTimeline!.eventPosition(id), scheduled.id),
    undefined,
    'expected a filtered-out event nowhere on screen',
  );
  await eventPosition(t.page, matching[0]);
  const posted = await t.posted();
  assert.deepEqual(posted.filter((m) => m.type === 'filtersChanged').at(-1), {
    type: 'filtersChanged',
    filters: { hiddenLanes: [], severity: 'all', text: 'unhealthy', object: '' },
  });

  await t.page.keyboard.press('Control+A');
  await t.page.keyboard.press('Backspace');
  await t.page.locator('vscode-dropdown[aria-label="Severity"]').click();
  await t.page.locator('vscode-option', { hasText: 'Warnings only' }).click();
  await t.page.waitForTimeout(50);
  await t.settle();
  assert.deepEqual(
    await tableEventIds(t.page),
    web.events.filter((e) => e.severity === 'Warning').map((e) => e.id),
  );

  await t.page.locator('vscode-dropdown[aria-label="Severity"]').click();
  await t.page.locator('vscode-option', { hasText: 'All events' }).click();
  await t.page.locator('details.lanes summary').click();
  await t.page.locator('vscode-checkbox[data-lane="kubelet"]').click();
  await t.settle();
  await clickRowTitle(t, /^Pods/);
  await clickRowTitle(t, /^Components/);
  const lanesShown = (await rowsOnScreen(t.page)).filter((r) => r.kind === 'lane').map((r) => r.label);
  assert.ok(
    lanesShown.length > 5 && !lanesShown.includes('kubelet'),
    `expected every lane but kubelet, got ${lanesShown.join(', ')}`,
  );
  assert.deepEqual(
    await tableEventIds(t.page),
    web.events.filter((e) => e.lane !== 'kubelet').map((e) => e.id),
  );
  const last = (await t.posted()).filter((m) => m.type === 'filtersChanged').at(-1);
  assert.deepEqual(last, {
    type: 'filtersChanged',
    filters: { hiddenLanes: ['kubelet'], severity: 'all', text: '', object: '' },
  });
  await t.close();
});

test('clicking an event selects it and posts revealSource with the YAML range that caused it', async () => {
  const t = await webPage();
  const pulling = findEvent(web.events, 'Pulling');
  await clickEvent(t, pulling.id);
  assert.equal(await selectedEventId(t.page), pulling.id);
  const source = web.trace.sourceOf(pulling)!;
  const reveal = (await t.posted()).filter((m) => m.type === 'revealSource');
  assert.deepEqual(reveal.slice(0, 1), [
    {
      type: 'revealSource',
      eventId: pulling.id,
      source: {
        file: 'examples/web/deployment.yaml',
        line: source.line,
        column: source.column,
        endLine: source.endLine,
        endColumn: source.endColumn,
      },
    },
  ]);
  // The range is the container's image in the YAML.
  const line = fs.readFileSync(path.join(repoRoot, source.file), 'utf8').split('\n')[source.line - 1];
  assert.match(line.slice(source.column - 1), /^image: nginx:1\.27/);
  const detail = await t.page.locator('.detail').innerText();
  assert.match(detail, /Pulling/);
  assert.ok(detail.includes(`examples/web/deployment.yaml:${source.line}:${source.column}`), detail);
  // Overlapping spans of the same pod (the sandbox and, inside it, CNI ADD): each is picked where eventPosition aims.
  const pod = new RegExp(`^${pulling.object.name}$`);
  for (const reason of ['SandboxReady', 'CNIAdd', 'SandboxReady']) {
    const span = findEvent(web.events, reason, pod);
    await clickEvent(t, span.id);
    assert.equal(await selectedEventId(t.page), span.id, `expected a click at ${reason}'s position to pick it`);
  }
  await t.close();
});

test('the keyboard moves the selection between events and rows, zooms, and reveals', async () => {
  const t = await webPage();
  const pulling = findEvent(web.events, 'Pulling');
  await clickEvent(t, pulling.id);
  const ofPod = web.events
    .filter((e) => e.object.name === pulling.object.name)
    .sort((a, b) => a.time - b.time || a.id - b.id);
  const at = ofPod.findIndex((e) => e.id === pulling.id);
  await pressKeys(t, 'ArrowRight');
  assert.equal(await selectedEventId(t.page), ofPod[at + 1].id, 'expected → to select the next event in the pod’s row');
  await pressKeys(t, 'ArrowLeft', 'ArrowLeft');
  assert.equal(await selectedEventId(t.page), ofPod[at - 1].id, 'expected ← twice to go back past where it started');
  await pressKeys(t, 'ArrowRight', 'ArrowDown');
  const moved = await selectedEventId(t.page);
  assert.ok(
    moved !== undefined && web.events[moved].object.name !== pulling.object.name,
    'expected ↓ to select an event in the next row',
  );
  const rows = (await rowsOnScreen(t.page)).filter((r) => r.kind === 'pod');
  assert.equal(label(web.events[moved]), rows[rows.findIndex((r) => r.label === label(pulling)) + 1].label);
  const before = await viewportOf(t.page);
  await pressKeys(t, 'w', 'w');
  const zoomed = await viewportOf(t.page);
  assert.ok(zoomed.endMs - zoomed.startMs < (before.endMs - before.startMs) / 1.5, 'expected W to zoom in');
  await pressKeys(t, 'd');
  const panned = await viewportOf(t.page);
  assert.ok(panned.startMs > zoomed.startMs, 'expected D to pan to later times');
  await pressKeys(t, 'f');
  assert.deepEqual(await viewportOf(t.page), before, 'expected F to fit the trace again');
  await pressKeys(t, 'Enter');
  assert.equal((await t.posted()).filter((m) => m.type === 'revealSource').at(-1)?.eventId, moved);
  await pressKeys(t, 'Escape');
  assert.equal(await selectedEventId(t.page), undefined);
  await t.close();
});

test('the table view lists the same events as an ARIA grid, and its keyboard selects and reveals', async () => {
  const t = await openTimeline(browser, server, { theme: 'light' });
  await t.feed(messages);
  await t.page.locator('vscode-button', { hasText: 'Table view' }).click();
  await t.settle();
  assert.equal(await t.page.locator('canvas.timeline-canvas').isVisible(), false);
  const grid = t.page.locator('[role=grid]');
  assert.equal(await grid.getAttribute('aria-rowcount'), String(web.events.length + 1));
  assert.deepEqual(
    await tableEventIds(t.page),
    web.events.map((e) => e.id),
  );
  const first = grid.locator('[role=row][aria-rowindex="2"] [role=gridcell]');
  const e0 = web.events[0];
  assert.deepEqual(await first.allInnerTexts(), [
    `${(e0.time / 1000).toFixed(3)} s`,
    e0.lane,
    '',
    label(e0),
    e0.reason,
    e0.message,
    `examples/web/deployment.yaml:${web.trace.sourceOf(e0)!.line}`,
  ]);
  assert.ok((await grid.locator('[role=row]').count()) < 80, 'expected only the rows in view in the DOM');
  await grid.focus();
  await pressKeys(t, 'ArrowDown', 'ArrowDown');
  assert.equal(await selectedEventId(t.page), 1);
  assert.equal(
    await grid.getAttribute('aria-activedescendant'),
    await grid.locator('[aria-selected=true]').getAttribute('id'),
  );
  await pressKeys(t, 'End');
  assert.equal(await selectedEventId(t.page), web.events.length - 1);
  await pressKeys(t, 'Enter');
  assert.equal((await t.posted()).filter((m) => m.type === 'revealSource').at(-1)?.eventId, web.events.length - 1);
  await t.page.locator('vscode-button', { hasText: 'Timeline view' }).click();
  await t.settle();
  assert.equal(await t.page.locator('canvas.timeline-canvas').isVisible(), true);
  await t.close();
});

test('the YAML cursor highlights the rows of the objects its document made', async () => {
  const t = await webPage();
  const lines = (f: string) => fs.readFileSync(path.join(repoRoot, f), 'utf8').split('\n').length;
  const select = (file: string): HostToWebviewMessage => ({
    type: 'sourceSelectionChanged',
    selection: { file, line: 3, column: 1, documentStartLine: 1, documentEndLine: lines(file) },
  });
  await t.feed([select('examples/web/deployment.yaml')]);
  const highlighted = await t.page.evaluate(() => window.__podtraceTimeline!.highlightedRows());
  const rs = web.events.find((e) => e.object.kind === 'ReplicaSet')!;
  assert.deepEqual(
    highlighted.sort(),
    ['Deployment default/web', label(rs), ...web.trace.pods.map((p) => `Pod default/${p.name}`)].sort(),
  );
  // Line 3 (`kind: Deployment`) is no event's range: the rows light up, no event does.
  assert.deepEqual(await t.page.evaluate(() => window.__podtraceTimeline!.rowsAtCursor()), []);
  // The `image:` line: the pods, whose pulls map to it, are marked; the Deployment is not.
  const deployment = fs.readFileSync(path.join(repoRoot, 'examples/web/deployment.yaml'), 'utf8').split('\n');
  const imageLine = deployment.findIndex((l) => l.trim().startsWith('image:')) + 1;
  await t.feed([
    {
      type: 'sourceSelectionChanged',
      selection: {
        file: 'examples/web/deployment.yaml',
        line: imageLine,
        column: 10,
        documentStartLine: 1,
        documentEndLine: deployment.length,
      },
    },
  ]);
  assert.deepEqual(
    (await t.page.evaluate(() => window.__podtraceTimeline!.rowsAtCursor())).sort(),
    web.trace.pods.map((p) => `Pod default/${p.name}`).sort(),
  );
  await t.feed([select('examples/web/service.yaml')]);
  assert.ok(
    (await t.page.evaluate(() => window.__podtraceTimeline!.highlightedRows())).includes('Service default/web'),
  );
  await t.feed([{ type: 'sourceSelectionChanged', selection: null }]);
  assert.deepEqual(await t.page.evaluate(() => window.__podtraceTimeline!.highlightedRows()), []);
  await t.close();
});

test('C shows a pod’s critical path, and the detail pane’s causes select the cause', async () => {
  const t = await webPage();
  const pod = web.trace.pods[0];
  // Created, not Started: a failed readiness probe follows Started within a pixel, and a click there picks the warning.
  const started = findEvent(web.events, 'Created', new RegExp(`^${pod.name}$`));
  await clickEvent(t, started.id);
  assert.equal(await selectedEventId(t.page), started.id);
  await pressKeys(t, 'c');
  const steps = await t.page.locator('ol[aria-label="Critical path"] li').allInnerTexts();
  const phaseEvents = Object.values(pod.phaseEvents);
  assert.ok(
    steps.length >= phaseEvents.length,
    `expected at least the ${phaseEvents.length} phase events on the path, got ${steps.join(' | ')}`,
  );
  assert.match(steps.at(-1)!, new RegExp(web.events[pod.phaseEvents.routable!].reason));
  assert.equal(await t.page.locator('.detail button[aria-pressed]').getAttribute('aria-pressed'), 'true');
  assert.ok(started.causes.length > 0, 'expected the Created event to have a recorded cause');
  const cause = started.causes[0];
  await t.page.locator('.detail-links button').first().click();
  await t.settle();
  assert.equal(await selectedEventId(t.page), cause);
  await t.close();
});
