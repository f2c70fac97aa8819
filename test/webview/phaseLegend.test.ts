// The pod phase bars and their legend, in headless Chromium: the legend's toggle shows a strip
// that names every step beside a swatch of the colour the bars draw that step in (light, dark
// and high contrast), the styles of the step that held a pod back and of a step never
// finished; the bars write each step's name where it fits; hovering a step names it; and the
// legend stays shown across a reload.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { PodRow } from '../../src/protocol/traceColumns';
import type { InspectedSegment } from './browserTypes';
import { launchChromium, openTimeline, startTimelineServer, type TimelinePage, type TimelineServer } from './harness';
import { canvasOrigin, canvasPixel, clickRowTitle } from './pageReaders';
import { hostMessages, webCase, type TraceCase } from './traces';

const steps = [
  'scheduling',
  'volumes, sandbox and CNI',
  'image pulls',
  'container start',
  'readiness',
  'EndpointSlice update',
  'propagation to consumers',
];

let browser: Browser;
let server: TimelineServer;
let web: TraceCase;
/** Each pod's row label: the first with every step plain, the second held back by readiness, the third never ready. */
let rows: string[];

/**
 * The web trace's pods with phases a second apart, so that every step is wide on screen: the
 * first pod plain, the second held back by its readiness, the third never ready.
 */
function evenPhases(pod: PodRow): PodRow {
  const i = web.trace.pods.findIndex((p) => p.uid === pod.uid);
  const at = (k: number) => (i === 2 && k > 4 ? null : k * 1000);
  return {
    ...pod,
    phases: {
      created: at(0),
      scheduled: at(1),
      ipAssigned: at(2),
      imagesReady: at(3),
      started: at(4),
      ready: at(5),
      inEndpoints: at(6),
      routable: at(7),
    },
    heldBy: [null, { step: 'readiness', ms: 1000, detail: null }, { step: 'readiness', ms: null, detail: 'probe' }][i],
  };
}

before(async () => {
  [browser, server] = await Promise.all([launchChromium(), startTimelineServer()]);
  web = webCase();
  rows = web.trace.pods.map((p) => `Pod ${p.namespace}/${p.name}`);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function openPods(theme: 'light' | 'dark' | 'high-contrast'): Promise<TimelinePage> {
  const t = await openTimeline(browser, server, { theme });
  await t.feed(hostMessages(web, { mapPod: evenPhases }));
  await clickRowTitle(t, /^Components/);
  return t;
}

const segmentsOf = (t: TimelinePage, row: string): Promise<InspectedSegment[]> =>
  t.page.evaluate((label) => window.__podtraceTimeline!.phaseSegments(label), row);

/** The legend's entries as shown: each name and the colour in the middle of its swatch. */
function legendShown(t: TimelinePage): Promise<{ name: string; rgb: number[] }[]> {
  return t.page.evaluate(() =>
    [...document.querySelectorAll('.phase-legend li')].map((li) => {
      const swatch = li.querySelector('canvas')!;
      const ctx = swatch.getContext('2d')!;
      const rgb = [...ctx.getImageData(Math.floor(swatch.width / 2), Math.floor(swatch.height / 2), 1, 1).data];
      return { name: li.textContent ?? '', rgb: rgb.slice(0, 3) };
    }),
  );
}

/** A pixel inside a segment that neither its name (which starts at its left) nor an outline covers. */
const inside = (s: InspectedSegment) => ({ x: Math.round(s.x1) - 4, y: Math.round(s.y) + 3 });

const close = (a: readonly number[], b: readonly number[]) => a.every((c, i) => Math.abs(c - b[i]) <= 3);

for (const theme of ['light', 'dark', 'high-contrast'] as const) {
  test(`the legend names every step with the colour the bars draw it in (${theme})`, async () => {
    const t = await openPods(theme);
    assert.equal(await t.page.locator('.phase-legend').isVisible(), false, 'expected the legend hidden at first');
    await t.page.locator('vscode-button', { hasText: 'Legend' }).click();
    await t.settle();
    assert.equal(await t.page.locator('vscode-button', { hasText: 'Legend' }).getAttribute('aria-pressed'), 'true');
    const legend = await legendShown(t);
    assert.deepEqual(
      legend.map((e) => e.name),
      [...steps, 'held the pod back', 'never finished'],
    );
    const plain = await segmentsOf(t, rows[0]);
    assert.deepEqual(
      plain.map((s) => [s.step, s.held, s.open]),
      steps.map((s) => [s, false, false]),
    );
    for (const [i, segment] of plain.entries()) {
      const p = inside(segment);
      const drawn = (await canvasPixel(t.page, p.x, p.y)).slice(0, 3);
      assert.ok(
        close(drawn, legend[i].rgb),
        `expected ${segment.step} drawn in its legend colour ${legend[i].rgb}, the bar has ${drawn} at ${p.x},${p.y}`,
      );
    }
    // The step that held a pod back is drawn stronger than the plain swatch of its step.
    const held = (await segmentsOf(t, rows[1])).find((s) => s.held)!;
    assert.equal(held.step, 'readiness');
    const heldRgb = (await canvasPixel(t.page, inside(held).x, inside(held).y)).slice(0, 3);
    assert.ok(!close(heldRgb, legend[steps.indexOf('readiness')].rgb), 'expected the held step drawn stronger');
    const open = (await segmentsOf(t, rows[2])).find((s) => s.open)!;
    assert.deepEqual([open.step, open.held], ['readiness', true]);
    const openRgb = (await canvasPixel(t.page, inside(open).x, inside(open).y)).slice(0, 3);
    const never = legend.find((e) => e.name === 'never finished')!;
    assert.ok(close(openRgb, never.rgb), `expected a step never finished as the legend shows it, ${never.rgb}`);
    assert.deepEqual(t.errors, []);
    await t.close();
  });
}

test('each step’s name is written inside its segment where it fits, and hovering a step names it', async () => {
  const t = await openPods('light');
  const plain = await segmentsOf(t, rows[0]);
  const foreground = [0x3b, 0x3b, 0x3b];
  for (const s of plain) {
    // The middle line of the segment: the name's letters are the foreground's colour.
    const ink = await t.page.evaluate(
      ([x0, x1, y, rgb]) => {
        const canvas = document.querySelector<HTMLCanvasElement>('canvas.timeline-canvas')!;
        const data = canvas.getContext('2d')!.getImageData(x0, y, x1 - x0, 1).data;
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if ([0, 1, 2].every((c) => Math.abs(data[i + c] - rgb[c]) < 60)) n++;
        return n;
      },
      [Math.round(s.x0) + 2, Math.round(s.x1) - 2, Math.round(s.y + s.height / 2), foreground] as const,
    );
    assert.ok(s.x1 - s.x0 > 60, `expected ${s.step} wide enough for a name, it is ${s.x1 - s.x0} px`);
    assert.ok(ink >= 4, `expected the name of ${s.step} written in its segment, found ${ink} pixels of ink`);
  }
  const held = (await segmentsOf(t, rows[1])).find((s) => s.held)!;
  const o = await canvasOrigin(t.page);
  await t.page.mouse.move(o.x + (held.x0 + held.x1) / 2, o.y + held.y + held.height / 2);
  const tooltip = t.page.locator('.tooltip');
  assert.equal(await tooltip.isVisible(), true);
  assert.equal(
    await tooltip.innerText(),
    `readiness · ${rows[1]}\n4.000 s → 5.000 s (1.000 s)\nThe step that held the pod back.`,
  );
  const open = (await segmentsOf(t, rows[2])).find((s) => s.open)!;
  await t.page.mouse.move(o.x + open.x0 + 20, o.y + open.y + open.height / 2);
  assert.match(await tooltip.innerText(), /^readiness · Pod default\/\S+\n4\.000 s →, not finished by \d+\.\d{3} s\n/);
  assert.equal(await tooltip.evaluate((e) => e.classList.contains('warning')), true);
  await t.close();
});

test('the legend stays shown across a reload of the webview', async () => {
  const t = await openPods('dark');
  await t.page.locator('vscode-button', { hasText: 'Legend' }).click();
  await t.page.waitForTimeout(400);
  await t.page.reload();
  await t.page.waitForFunction(() => window.__podtraceTimeline !== undefined);
  await t.feed(hostMessages(web));
  assert.equal(await t.page.locator('.phase-legend').isVisible(), true);
  await t.page.locator('vscode-button', { hasText: 'Legend' }).click();
  assert.equal(await t.page.locator('.phase-legend').isVisible(), false);
  await t.close();
});
