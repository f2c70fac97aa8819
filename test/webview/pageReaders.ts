// Small readers and gestures over a timeline page, shared by the browser tests.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { InspectedRow } from './browserTypes';
import type { TimelinePage } from './harness';

export const rowsOnScreen = (page: Page): Promise<InspectedRow[]> =>
  page.evaluate(() => window.__podtraceTimeline!.rows());
export const selectedEventId = (page: Page): Promise<number | undefined> =>
  page.evaluate(() => window.__podtraceTimeline!.selectedEventId);
export const viewportOf = (page: Page): Promise<{ startMs: number; endMs: number }> =>
  page.evaluate(() => window.__podtraceTimeline!.viewport());
export const tableEventIds = (page: Page): Promise<number[]> =>
  page.evaluate(() => window.__podtraceTimeline!.tableEventIds());

/** The canvas's top left corner in page coordinates. */
export async function canvasOrigin(page: Page): Promise<{ x: number; y: number }> {
  const box = await page.locator('canvas.timeline-canvas').boundingBox();
  assert.ok(box, 'expected the timeline canvas on the page, found none');
  return { x: box.x, y: box.y };
}

/** Where the event is on the canvas (CSS pixels), failing with the reason when it is not on screen. */
export async function eventPosition(page: Page, id: number): Promise<{ x: number; y: number }> {
  const p = await page.evaluate((i) => window.__podtraceTimeline!.eventPosition(i), id);
  assert.ok(
    p,
    `expected event ${id} on screen, eventPosition gave undefined (rows: ${JSON.stringify(await rowsOnScreen(page))})`,
  );
  return p;
}

/** Clicks the event where the inspection API says it is. */
export async function clickEvent(t: TimelinePage, id: number): Promise<void> {
  const p = await eventPosition(t.page, id);
  const o = await canvasOrigin(t.page);
  await t.page.mouse.click(o.x + p.x, o.y + p.y);
  await t.settle();
}

/** Clicks a row's title (a section header folds or unfolds). */
export async function clickRowTitle(t: TimelinePage, label: RegExp): Promise<void> {
  const row = (await rowsOnScreen(t.page)).find((r) => label.test(r.label));
  assert.ok(
    row,
    `expected a row ${label} on screen, found ${JSON.stringify((await rowsOnScreen(t.page)).map((r) => r.label))}`,
  );
  const o = await canvasOrigin(t.page);
  await t.page.mouse.click(o.x + 30, o.y + row.y + row.height / 2);
  await t.settle();
}

/** The canvas's pixel at a CSS point, as [r, g, b, a]. */
export async function canvasPixel(page: Page, x: number, y: number): Promise<number[]> {
  return page.evaluate(
    ([px, py]) => {
      const canvas = document.querySelector<HTMLCanvasElement>('canvas.timeline-canvas')!;
      const scale = canvas.width / canvas.getBoundingClientRect().width;
      return Array.from(
        canvas.getContext('2d')!.getImageData(Math.round(px * scale), Math.round(py * scale), 1, 1).data,
      );
    },
    [x, y],
  );
}

/** Whether any pixel within `radius` of (x, y) differs from `background` by more than a faint tint. */
export async function inkNear(
  page: Page,
  x: number,
  y: number,
  radius: number,
  background: number[],
): Promise<boolean> {
  for (let dx = -radius; dx <= radius; dx++) {
    const p = await canvasPixel(page, x + dx, y);
    if (p.slice(0, 3).some((c, i) => Math.abs(c - background[i]) > 40)) return true;
  }
  return false;
}

export async function pressKeys(t: TimelinePage, ...keys: string[]): Promise<void> {
  for (const k of keys) await t.page.keyboard.press(k);
  await t.settle();
}

/** How many pixels of the canvas's line at CSS `y` are within `tolerance` of the colour `rgb`. */
export async function pixelsOfColour(
  page: Page,
  y: number,
  rgb: readonly number[],
  tolerance: number,
): Promise<number> {
  return page.evaluate(
    ([py, colour, tol]) => {
      const canvas = document.querySelector<HTMLCanvasElement>('canvas.timeline-canvas')!;
      const scale = canvas.width / canvas.getBoundingClientRect().width;
      const line = canvas.getContext('2d')!.getImageData(0, Math.round(py * scale), canvas.width, 1).data;
      let n = 0;
      for (let i = 0; i < line.length; i += 4) {
        if ([0, 1, 2].every((c) => Math.abs(line[i + c] - colour[c]) <= tol)) n++;
      }
      return n;
    },
    [y, rgb, tolerance] as const,
  );
}
