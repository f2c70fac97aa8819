// Pan and zoom as a user does them, through real input that Playwright sends to Chromium
// (the wheel zooms around the pointer, a drag pans, shift+wheel scrolls the rows), at several
// zoom levels, with what each frame cost: the draw time of each `podtrace:frame` measure the
// app writes, and the interval between animation frames while the input goes on (what the user
// sees: a frame that took too long shows as a longer interval).
import type { Page } from 'playwright-core';
import type { TimelinePage } from '../test/webview/harness';
import type {} from '../test/webview/browserTypes';
import { distribution, round, type Distribution } from './timelineMeasure';

export type Gesture = 'zoom' | 'pan' | 'scroll';
export const gestures: readonly Gesture[] = ['zoom', 'pan', 'scroll'];

/** A zoom level: the share of the fitted window that is on screen (1: fully zoomed out). */
export interface ZoomLevel {
  readonly name: string;
  readonly share: number;
}

export const zoomLevels: readonly ZoomLevel[] = [
  { name: 'out', share: 1 },
  { name: 'mid', share: 1 / 20 },
  { name: 'deep', share: 1 / 1000 },
];

export interface GestureFrames {
  /** Draw time of each `podtrace:frame` drawn while the input went on. */
  readonly draw: Distribution;
  /**
   * Time between consecutive animation frames while the input went on, from the timestamps
   * requestAnimationFrame passes: each frame's begin time on Chromium's 60 Hz frame clock, so a
   * frame the page could not finish in its turn shows as 33 ms. (The callbacks' own times add
   * the loaded machine's scheduling jitter: up to 22 ms between frames that drew in 2 ms.)
   */
  readonly interval: Distribution;
  /** Intervals longer than one and a half frames: each is at least one frame the user saw skipped. */
  readonly droppedFrames: number;
  /** Input events sent. */
  readonly inputs: number;
  /** The window on screen when the gesture began, in ms of trace time. */
  readonly windowMs: number;
}

export interface InteractionOptions {
  /** How long each gesture goes on at each level. */
  readonly gestureMs: number;
  readonly levels?: readonly ZoomLevel[];
}

/** A frame at 60 Hz. */
export const frameMs = 1000 / 60;

/** One input event at most this often: a fast trackpad's rate, more than one per frame at 60 Hz. */
const inputEveryMs = 10;
/** Inputs in one direction before the gesture turns back, so that it stays at its level and place. */
const inputsPerSweep = 6;

interface FrameRecording {
  ticks: number[];
  started: number;
  running: boolean;
}

declare global {
  interface Window {
    __podtraceFrameRecording?: FrameRecording;
  }
}

export interface InteractionFigures {
  readonly levels: Record<string, Record<Gesture, GestureFrames>>;
  /** Every level and gesture together. */
  readonly all: { readonly draw: Distribution; readonly interval: Distribution; readonly droppedFrames: number };
  /** Whether the pointer was on the middle event's mark (else in the middle of the canvas). */
  readonly pointerOnMiddleEvent: boolean;
}

/**
 * Drives each gesture for `gestureMs` at each zoom level on a page whose trace is loaded and
 * fitted, and returns the frames per level and gesture. The pointer stays on the event in the
 * middle of the trace (in the lanes at the top), so that every level shows dense rows.
 */
export async function measureInteraction(t: TimelinePage, options: InteractionOptions): Promise<InteractionFigures> {
  const { page } = t;
  const pointer = await pointerOnTrace(page);
  const fitted = await windowSpan(page);
  const levels: Record<string, Record<Gesture, GestureFrames>> = {};
  const draws: number[] = [];
  const intervals: number[] = [];
  for (const level of options.levels ?? zoomLevels) {
    const perGesture = {} as Record<Gesture, GestureFrames>;
    for (const gesture of gestures) {
      // Each gesture begins at its level: a gesture ends where it began, up to rounding.
      await zoomTo(page, pointer, fitted * level.share);
      const windowMs = round(await windowSpan(page), 3);
      await startRecording(page);
      const inputs = await drive(page, pointer, gesture, options.gestureMs);
      const frames = await stopRecording(page);
      draws.push(...frames.draws);
      intervals.push(...frames.intervals);
      perGesture[gesture] = {
        draw: distribution(frames.draws),
        interval: distribution(frames.intervals),
        droppedFrames: dropped(frames.intervals),
        inputs,
        windowMs,
      };
    }
    levels[level.name] = perGesture;
  }
  return {
    levels,
    pointerOnMiddleEvent: pointer.onMiddleEvent,
    all: { draw: distribution(draws), interval: distribution(intervals), droppedFrames: dropped(intervals) },
  };
}

const dropped = (intervals: readonly number[]): number => intervals.filter((i) => i > frameMs * 1.5).length;

interface Point {
  readonly x: number;
  readonly y: number;
  readonly onMiddleEvent: boolean;
}

/** Page coordinates of the middle event's mark, or of the middle of the canvas when it is not on screen. */
async function pointerOnTrace(page: Page): Promise<Point> {
  const box = await page.locator('canvas.timeline-canvas').boundingBox();
  if (!box) throw new Error('pan and zoom: expected the timeline canvas on the page, found none');
  const mark = await page.evaluate(() => {
    const api = window.__podtraceTimeline!;
    return api.eventPosition(Math.floor(api.eventCount / 2));
  });
  const y = box.y + Math.min(box.height / 2, 120);
  return mark ? { x: box.x + mark.x, y, onMiddleEvent: true } : { x: box.x + box.width * 0.6, y, onMiddleEvent: false };
}

const windowSpan = (page: Page): Promise<number> =>
  page.evaluate(() => {
    const w = window.__podtraceTimeline!.viewport();
    return w.endMs - w.startMs;
  });

/** Zooms with the wheel at the pointer until the window is within 20% of `spanMs` (the fitted span at most). */
async function zoomTo(page: Page, at: Point, spanMs: number): Promise<void> {
  await page.mouse.move(at.x, at.y);
  for (let i = 0; i < 200; i++) {
    const span = await windowSpan(page);
    const ratio = span / spanMs;
    if (ratio < 1.2 && ratio > 1 / 1.2) return;
    // The app zooms by exp(deltaY × 0.002) per wheel event: 100 is a factor of about 1.22.
    await page.mouse.wheel(0, ratio > 1 ? -100 : 100);
    await settleFrame(page);
  }
  throw new Error(`pan and zoom: could not zoom to a window of ${spanMs} ms in 200 wheel events`);
}

const settleFrame = (page: Page): Promise<unknown> =>
  page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

async function startRecording(page: Page): Promise<void> {
  await settleFrame(page);
  await page.evaluate(() => {
    const recording: FrameRecording = { ticks: [], started: performance.now(), running: true };
    window.__podtraceFrameRecording = recording;
    const tick = (time: number): void => {
      if (!recording.running) return;
      recording.ticks.push(time);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

async function stopRecording(page: Page): Promise<{ draws: number[]; intervals: number[] }> {
  // The frames the last inputs asked for are drawn before the recording stops.
  await settleFrame(page);
  const { ticks, draws } = await page.evaluate(() => {
    const recording = window.__podtraceFrameRecording!;
    recording.running = false;
    const drawn = performance
      .getEntriesByName('podtrace:frame')
      .filter((e) => e.startTime >= recording.started)
      .map((e) => e.duration);
    return { ticks: recording.ticks, draws: drawn };
  });
  return { draws, intervals: ticks.slice(1).map((tick, i) => tick - ticks[i]) };
}

/** Sends the gesture's input for `durationMs`, turning back every few inputs; returns how many were sent. */
async function drive(page: Page, at: Point, gesture: Gesture, durationMs: number): Promise<number> {
  const { mouse, keyboard } = page;
  await mouse.move(at.x, at.y);
  if (gesture === 'pan') await mouse.down();
  if (gesture === 'scroll') await keyboard.down('Shift');
  let x = at.x;
  let inputs = 0;
  const end = Date.now() + durationMs;
  // Whole sweeps there and back, so that the gesture ends where it began.
  while (Date.now() < end || inputs % (2 * inputsPerSweep) !== 0) {
    const sent = Date.now();
    const direction = Math.floor(inputs / inputsPerSweep) % 2 === 0 ? 1 : -1;
    if (gesture === 'zoom') await mouse.wheel(0, -50 * direction);
    else if (gesture === 'scroll') await mouse.wheel(0, 60 * direction);
    else {
      x += 12 * direction;
      await mouse.move(x, at.y);
    }
    inputs++;
    const wait = inputEveryMs - (Date.now() - sent);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  if (gesture === 'pan') await mouse.up();
  if (gesture === 'scroll') await keyboard.up('Shift');
  return inputs;
}
