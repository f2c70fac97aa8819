// The timeline app's side of the protocol, in headless Chromium with a mocked webview API:
// the view state survives a reload of the webview, follow live keeps the clock in view while
// a trace streams, messages that do not validate are dropped with a logged reason, and the
// toolbar's run and export controls post what the host expects.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { EventsAppendedNotification, HostToWebviewMessage } from '../../src/protocol/messages';
import { launchChromium, openTimeline, startTimelineServer, themeVariables, type TimelineServer } from './harness';
import {
  canvasPixel,
  pixelsOfColour,
  canvasOrigin,
  clickEvent,
  clickRowTitle,
  pressKeys,
  selectedEventId,
  tableEventIds,
  viewportOf,
} from './pageReaders';
import { findEvent, hostMessages, routingWindowCase, warningsCase, webCase, type TraceCase } from './traces';

let browser: Browser;
let server: TimelineServer;
let web: TraceCase;

before(async () => {
  [browser, server] = await Promise.all([launchChromium(), startTimelineServer()]);
  web = webCase();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the view (window, filters, selection, folded sections) \
survives a reload once the host sends the trace again', async () => {
  const t = await openTimeline(browser, server, { theme: 'light' });
  const messages = hostMessages(web, { chunkSize: 40 });
  await t.feed(messages);
  await clickRowTitle(t, /^Components/);
  const pulled = findEvent(web.events, 'Pulled');
  await clickEvent(t, pulled.id);
  await pressKeys(t, 'w', 'w', 'a');
  await t.page.locator('vscode-text-field[title^="Filter rows"]').click();
  await t.page.keyboard.type('pod/');
  await t.page.waitForTimeout(600);
  const before = {
    viewport: await viewportOf(t.page),
    selected: await selectedEventId(t.page),
    listed: await tableEventIds(t.page),
  };
  assert.equal(before.selected, pulled.id);
  assert.ok(before.listed.length > 0 && before.listed.length < web.events.length);

  await t.page.reload();
  await t.page.waitForFunction(() => window.__podtraceTimeline !== undefined);
  assert.deepEqual(await t.posted(), [{ type: 'ready' }], 'expected the reloaded app to ask for the trace again');
  await t.feed(messages);
  assert.deepEqual(await viewportOf(t.page), before.viewport);
  assert.equal(await selectedEventId(t.page), before.selected);
  assert.deepEqual(await tableEventIds(t.page), before.listed);
  assert.equal(
    await t.page.locator('vscode-text-field[title^="Filter rows"]').evaluate((e) => (e as HTMLInputElement).value),
    'pod/',
  );
  const rows = await t.page.evaluate(() => window.__podtraceTimeline!.rows());
  assert.match(rows[0].label, /^Components \(\d+\)$/);
  assert.equal(rows[1].kind, 'section', 'expected the Components section to stay folded');
  assert.deepEqual(t.errors, []);
  await t.close();
});

test('a reset with filters applies them and the toolbar \
shows them, unless the app has its own view of the trace', async () => {
  const filters = { hiddenLanes: ['kubelet' as const], severity: 'warning' as const, text: 'probe', object: 'pod/' };
  const messages = hostMessages(web);
  const withFilters = [{ ...messages[0], filters }, ...messages.slice(1)];
  const expected = web.events
    .filter((e) => e.lane !== 'kubelet' && e.severity === 'Warning')
    .filter(
      (e) =>
        e.object.kind === 'Pod' && /probe/i.test(`${e.reason} ${e.message} Pod ${e.object.namespace}/${e.object.name}`),
    )
    .map((e) => e.id);
  assert.ok(expected.length > 0, 'expected the filters to leave some events (Unhealthy probe warnings)');
  const t = await openTimeline(browser, server, { theme: 'light' });
  await t.feed(withFilters);
  const shown = () =>
    t.page.evaluate(() => ({
      text: document.querySelector<HTMLInputElement>('vscode-text-field[title^="Filter events"]')!.value,
      object: document.querySelector<HTMLInputElement>('vscode-text-field[title^="Filter rows"]')!.value,
      severity: document.querySelector<HTMLSelectElement>('vscode-dropdown[aria-label="Severity"]')!.value,
      lanes: document.querySelector('details.lanes summary')!.textContent,
      kubelet: (document.querySelector('vscode-checkbox[data-lane="kubelet"]') as HTMLInputElement | null)?.checked,
    }));
  assert.deepEqual(await shown(), {
    text: 'probe',
    object: 'pod/',
    severity: 'warning',
    lanes: 'Lanes: 1 hidden',
    kubelet: false,
  });
  assert.deepEqual(await tableEventIds(t.page), expected);
  // Filters from the host are not the user's change: nothing is posted back.
  assert.deepEqual(
    (await t.posted()).filter((m) => m.type === 'filtersChanged'),
    [],
    'expected no filtersChanged for filters the host gave',
  );
  // After a reload the app's own saved view wins over the host's filters for this trace.
  await t.page.locator('vscode-text-field[title^="Filter events"]').click();
  await t.page.keyboard.press('Control+A');
  await t.page.keyboard.type('unhealthy');
  await t.page.waitForTimeout(600);
  await t.page.reload();
  await t.page.waitForFunction(() => window.__podtraceTimeline !== undefined);
  await t.feed(withFilters);
  assert.equal((await shown()).text, 'unhealthy', "expected the app's saved filters, not the host's");
  // A later trace in the same webview gets the host's filters again.
  await t.feed(withFilters);
  assert.equal((await shown()).text, 'probe');
  assert.deepEqual(t.errors, []);
  await t.close();
});

test('follow live keeps the source’s clock in view while a trace streams, until the user moves the view', async () => {
  const warnings = warningsCase();
  const [reset, ...chunks] = hostMessages(warnings, { chunkSize: 6, live: true, unfinished: true }) as [
    HostToWebviewMessage,
    ...EventsAppendedNotification[],
  ];
  const t = await openTimeline(browser, server, { theme: 'light' });
  await t.feed([reset]);
  assert.equal(await t.page.locator('vscode-checkbox', { hasText: 'Follow live' }).isVisible(), true);
  // Stream until the clock is well past the first window (ten seconds).
  let fed = 0;
  for (const message of chunks) {
    await t.feed([message]);
    fed++;
    const vp = await viewportOf(t.page);
    const clock = message.chunk.clockMs;
    assert.ok(
      vp.startMs <= clock && clock <= vp.endMs,
      `expected the clock ${clock} ms in view, the view is ${vp.startMs}–${vp.endMs}`,
    );
    if (clock > 25_000) break;
  }
  assert.ok(fed < chunks.length, 'expected chunks left after the clock passed 25 s');
  const half = fed;

  await t.page.locator('vscode-button', { hasText: 'Skip to end' }).click();
  await t.page.locator('vscode-button', { hasText: 'Cancel' }).click();
  assert.deepEqual(
    (await t.posted()).filter((m) => m.type === 'runControl'),
    [
      { type: 'runControl', action: 'skipToEnd' },
      { type: 'runControl', action: 'cancel' },
    ],
  );

  // Zooming in is the user taking the view: follow turns off and the window stays.
  const o = await canvasOrigin(t.page);
  await t.page.mouse.move(o.x + 400, o.y + 200);
  await t.page.mouse.wheel(0, -600);
  await t.settle();
  assert.equal(
    await t.page
      .locator('vscode-checkbox', { hasText: 'Follow live' })
      .evaluate((e) => (e as HTMLInputElement).checked),
    false,
  );
  const held = await viewportOf(t.page);
  const later = chunks.slice(half).find((m) => m.chunk.clockMs > held.endMs);
  assert.ok(later, 'expected a later chunk whose clock is past the zoomed window');
  await t.feed(chunks.slice(half, chunks.indexOf(later) + 1));
  assert.deepEqual(await viewportOf(t.page), held);

  await t.page.locator('vscode-checkbox', { hasText: 'Follow live' }).click();
  await t.settle();
  const followed = await viewportOf(t.page);
  assert.ok(
    followed.startMs <= later.chunk.clockMs && later.chunk.clockMs <= followed.endMs,
    'expected Follow live to bring the clock back into view',
  );
  await t.feed([{ type: 'traceFinished', stopReason: 'time-limit', endedAtMs: 60_000, summary: 'stopped at 60.000s' }]);
  const fitted = await viewportOf(t.page);
  assert.ok(fitted.startMs === 0 && fitted.endMs >= 60_000, 'expected the finished trace fitted while following');
  assert.equal(await t.page.locator('vscode-button', { hasText: 'Skip to end' }).isVisible(), false);
  await t.close();
});

test('messages that do not validate are dropped, each with a logged reason, and the trace goes on', async () => {
  const [reset, first] = hostMessages(web, { chunkSize: 30 }) as [HostToWebviewMessage, EventsAppendedNotification];
  const t = await openTimeline(browser, server);
  const chunk = first.chunk;
  await t.feed([
    reset,
    'not a message',
    { type: 'bogus' },
    { type: 'eventsAppended', chunk: { ...chunk, firstId: 5 } },
    { type: 'eventsAppended', chunk: { ...chunk, lane: chunk.lane.map(() => 99) } },
    { type: 'eventsAppended', chunk: { ...chunk, message: chunk.message.slice(1) } },
    { type: 'themeChanged', theme: 'neon' },
    {
      type: 'sourceSelectionChanged',
      selection: { file: 'a.yaml', line: 0, column: 1, documentStartLine: 1, documentEndLine: 1 },
    },
  ]);
  assert.equal(await t.page.evaluate(() => window.__podtraceTimeline!.eventCount), 0);
  const expected = [
    /dropped a message from the host: message: expected an object/,
    /dropped a message from the host: message: unknown message type "bogus"/,
    /dropped a chunk of 30 events from the host: expected the chunk starting at event 0, got one starting at 5/,
    /dropped a chunk of 30 events from the host: lane: an entry outside 0…14/,
    /dropped a message from the host: eventsAppended: message: expected 30 numbers, one per event/,
    /dropped a message from the host: themeChanged: theme: expected one of light, dark/,
    /dropped a message from the host: sourceSelectionChanged: selection: expected 1-based line/,
  ];
  for (const pattern of expected)
    assert.ok(
      t.warnings.some((w) => pattern.test(w)),
      `expected a warning matching ${pattern}; got:\n${t.warnings.join('\n')}`,
    );
  await t.feed([first]);
  assert.equal(await t.page.evaluate(() => window.__podtraceTimeline!.eventCount), 30);
  assert.deepEqual(t.errors, []);
  await t.close();
});

test('Export posts the chosen format once there is a \
trace; the run controls are hidden once it is complete', async () => {
  const t = await openTimeline(browser, server, { theme: 'dark' });
  await t.settle();
  assert.equal(await t.page.locator('.export-controls').isVisible(), false, 'expected no Export without a trace');
  await t.feed(hostMessages(web));
  assert.equal(await t.page.locator('.export-controls').isVisible(), true);
  assert.equal(await t.page.locator('vscode-button', { hasText: 'Skip to end' }).isVisible(), false);
  await t.page.locator('vscode-dropdown[aria-label="Export format"]').click();
  await t.page.locator('vscode-option', { hasText: 'OTLP JSON' }).click();
  await t.page.locator('vscode-button', { hasText: 'Export' }).click();
  assert.deepEqual(
    (await t.posted()).filter((m) => m.type === 'exportRequested'),
    [{ type: 'exportRequested', format: 'otlp' }],
  );
  await t.close();
});

test('routing windows show in the error colour on the pod’s row and the consumer’s lane', async () => {
  const routing = routingWindowCase();
  const w = routing.trace.windows[0];
  assert.ok(w && w.end !== null, 'expected the scale-down to leave a kube-proxy routing to the terminating pod');
  // A view saved by an earlier session, around the window (the restore puts it back).
  const around = { startMs: w.start - 150, endMs: w.end! + 150 };
  const t = await openTimeline(browser, server, { theme: 'light', savedState: { version: 1, viewport: around } });
  await t.feed(hostMessages(routing));
  assert.deepEqual(await viewportOf(t.page), around);
  const rows = await t.page.evaluate(() => window.__podtraceTimeline!.rows());
  const error = [0xe5, 0x14, 0x00];
  const bar = async (label: string): Promise<number> => {
    const row = rows.find((r) => r.label === label);
    assert.ok(row, `expected a row ${label} on screen, found ${rows.map((r) => r.label).join(', ')}`);
    // The window's line runs along the foot of the row's events.
    return pixelsOfColour(t.page, row.y + row.eventsHeight - 2, error, 40);
  };
  assert.ok((await bar(`Pod default/${w.pod}`)) > 20, 'expected the window on the pod’s row');
  assert.ok((await bar(w.lane)) > 20, `expected the window on the ${w.lane} lane`);
  assert.equal(await bar('apiserver'), 0, 'expected no window on the apiserver lane');
  await t.close();
});

test('a theme switch in VS Code (class and colour variables) redraws the canvas in the new colours', async () => {
  const t = await openTimeline(browser, server, { theme: 'light' });
  await t.feed(hostMessages(web));
  assert.deepEqual(await canvasPixel(t.page, 600, 12), [255, 255, 255, 255], 'expected the light editor background');
  const dark = themeVariables('dark');
  await t.page.evaluate((theme) => {
    for (const [k, v] of Object.entries(theme.variables)) document.documentElement.style.setProperty(k, v);
    document.body.className = theme.bodyClass;
  }, dark);
  await t.feed([{ type: 'themeChanged', theme: 'dark' }]);
  assert.deepEqual(
    await canvasPixel(t.page, 600, 12),
    [0x1f, 0x1f, 0x1f, 255],
    'expected Dark Modern’s editor background',
  );
  await t.close();
});
