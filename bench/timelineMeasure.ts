// What the timeline benchmark measures in headless Chromium, as functions that the benchmark
// (bench/timeline.bench.ts) runs on the 212,000-event trace and a test runs on a small one:
// the panel from the host's first message to its first complete frame, and a fixed workload
// that tells how fast the machine is at the time; with the figures' arithmetic. The HTML
// report is in ./timelineReport, the pan and zoom frames in ./timelineGestures.
import { floatColumns, intColumns } from '../src/extension/webviewOutbox';
import type { Browser, Page } from 'playwright-core';
import type { HostToWebviewMessage } from '../src/protocol/messages';
import type { TimelinePage } from '../test/webview/harness';
// The DOM's types for the functions that run in the page, and the app's inspection API there.
import type {} from '../test/webview/browserTypes';
import { viewportSize } from '../test/webview/harness';

/** The performance entries the app writes (src/webview/renderer.ts). */
export const firstFrameMark = 'podtrace:first-complete-frame';
const frameMeasure = 'podtrace:frame';

/** p50, p95 and the maximum of a list of durations (ms), by nearest rank; null figures for an empty list. */
export interface Distribution {
  readonly count: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly max: number | null;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q: number): number | null =>
    sorted.length === 0 ? null : round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
  return { count: sorted.length, p50: rank(0.5), p95: rank(0.95), max: rank(1) };
}

/** The median of the figures (the upper of the middle two for an even count, as sim.bench.ts takes it). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median: expected at least one figure, got none');
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

export const round = (ms: number, digits = 1): number => Math.round(ms * 10 ** digits) / 10 ** digits;

/** Events in a trace's host messages. */
export function eventsIn(messages: readonly HostToWebviewMessage[]): number {
  return messages.reduce((n, m) => n + (m.type === 'eventsAppended' ? m.chunk.time.length : 0), 0);
}

/** What the benchmark keeps in the page: the messages to post, and when each message reached the window. */
interface BenchPageState {
  messages: unknown[];
}

interface DispatchProbe {
  /** performance.now() as each message event reached the window, before the app's listener ran. */
  dispatched: number[];
}

declare global {
  interface Window {
    __podtraceBench?: BenchPageState;
    __podtraceDispatch?: DispatchProbe;
  }
}

/**
 * Pass as `beforeLoad` to openTimeline for a page whose load measurePanelLoad times: a window
 * listener registered before the app's stamps each message as it is dispatched (listeners at
 * the window run in the order they were added, whatever their phase, so it has to come first).
 */
export async function installDispatchProbe(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const probe: DispatchProbe = { dispatched: [] };
    window.__podtraceDispatch = probe;
    window.addEventListener('message', () => probe.dispatched.push(performance.now()));
  });
}

/**
 * Puts a trace's host messages (ReportData's JSON text, as the report's data block holds it)
 * into the page, parsed, ready to post; returns how many events they hold. Not timed: in VS
 * Code the host serializes and sends the messages from another process.
 */
export async function stageMessages(t: TimelinePage, reportDataJson: string): Promise<number> {
  return t.page.evaluate(
    ([json, floats, ints]) => {
      const data = JSON.parse(json) as {
        messages: { type: string; chunk?: Record<string, unknown> & { time: ArrayLike<unknown> } }[];
      };
      // As the panel sends them (src/extension/webviewOutbox.ts): the number columns as typed
      // arrays, which VS Code carries to the webview as binary.
      for (const m of data.messages) {
        if (!m.chunk) continue;
        for (const c of floats) m.chunk[c] = Float64Array.from(m.chunk[c] as number[]);
        for (const c of ints) m.chunk[c] = Int32Array.from(m.chunk[c] as number[]);
      }
      window.__podtraceBench = { messages: data.messages };
      return data.messages.reduce((n, m) => n + (m.type === 'eventsAppended' ? m.chunk!.time.length : 0), 0);
    },
    [reportDataJson, floatColumns, intColumns] as const,
  );
}

export interface PanelLoad {
  /** From the first message's dispatch to the end of the first frame drawn after the last message. */
  readonly ms: number;
  /** From the first message's dispatch until the app has handled the last one. */
  readonly ingestMs: number;
  /**
   * The app's handling of the messages: its listener's time, summed. That includes deserializing
   * each message, which Chromium does when the listener first reads `event.data`. The rest of
   * `ingestMs` is the frames drawn between messages and the browser's own work between tasks.
   */
  readonly appHandlingMs: number;
  /** Frames the app drew while the messages were arriving, and their draw time in all. */
  readonly framesWhileLoading: number;
  readonly drawWhileLoadingMs: number;
  /** The draw time of the complete frame. */
  readonly frameDrawMs: number;
  /** The events the app held at that frame (the trace's count, or the benchmark fails). */
  readonly eventCount: number;
  /**
   * Where the app's `podtrace:first-complete-frame` mark fell (ms after the first dispatch), and
   * whether it came before the last message (a frame drawn between chunks).
   */
  readonly markMs: number | null;
  readonly markBeforeLastMessage: boolean;
}

/**
 * Posts the staged messages to the app as the host does (window messages, one per host message)
 * and times the panel from the data received to the first complete frame. The page must have
 * been opened with installDispatchProbe.
 *
 * Which frame counts: each message is a task of its own, and Chromium may draw a frame between
 * two of them, so `podtrace:first-complete-frame` (the first frame after any event arrived) can
 * fall before the last chunk. The figure is therefore taken to the end of the first
 * `podtrace:frame` drawn after the app handled the last message (the chunks, then
 * `traceFinished`, which fits the view). A listener added after the app's stamps the end of
 * each message and, after the last, asks for an animation frame: its callback runs after the
 * renderer's in the same frame, and reads that frame's measure and the app's event count.
 * Where the mark fell is reported beside it.
 */
export async function measurePanelLoad(t: TimelinePage, expectedEvents: number): Promise<PanelLoad> {
  const figure = await t.page.evaluate(
    ([mark, measure]) =>
      new Promise<{ error: string } | PanelLoad>((resolve) => {
        const messages = window.__podtraceBench?.messages;
        const probe = window.__podtraceDispatch;
        if (!messages) return resolve({ error: 'no messages were staged in the page (stageMessages)' });
        if (!probe) return resolve({ error: 'the page has no dispatch probe (open it with installDispatchProbe)' });
        probe.dispatched.length = 0;
        const handled: number[] = [];
        const frameAfter = (lastHandled: number, tries: number): void => {
          requestAnimationFrame(() => {
            const frames = performance.getEntriesByName(measure);
            const frame = frames[frames.length - 1];
            if (!frame || frame.startTime < lastHandled) {
              if (tries > 0) return frameAfter(lastHandled, tries - 1);
              return resolve({ error: 'the app drew no frame in the 10 animation frames after the last message' });
            }
            const first = probe.dispatched[0];
            const loading = frames.filter((f) => f.startTime >= first && f.startTime < lastHandled);
            const markEntry = performance.getEntriesByName(mark)[0];
            resolve({
              ms: frame.startTime + frame.duration - first,
              ingestMs: lastHandled - first,
              appHandlingMs: handled.reduce((sum, end, i) => sum + end - probe.dispatched[i], 0),
              framesWhileLoading: loading.length,
              drawWhileLoadingMs: loading.reduce((sum, f) => sum + f.duration, 0),
              frameDrawMs: frame.duration,
              eventCount: window.__podtraceTimeline!.eventCount,
              markMs: markEntry ? markEntry.startTime - first : null,
              markBeforeLastMessage: markEntry !== undefined && markEntry.startTime < lastHandled,
            });
          });
        };
        const onHandled = (): void => {
          handled.push(performance.now());
          if (handled.length < messages.length) return;
          window.removeEventListener('message', onHandled);
          frameAfter(handled[handled.length - 1], 10);
        };
        window.addEventListener('message', onHandled);
        for (const m of messages) window.postMessage(m, '*');
      }),
    [firstFrameMark, frameMeasure] as const,
  );
  if ('error' in figure) throw new Error(`panel load: ${figure.error}`);
  if (figure.eventCount !== expectedEvents)
    throw new Error(
      `panel load: expected the complete frame to hold the trace's ${expectedEvents} events, ` +
        `the app held ${figure.eventCount} (warnings: ${t.warnings.join(' | ') || 'none'})`,
    );
  return {
    ...figure,
    ms: round(figure.ms),
    ingestMs: round(figure.ingestMs),
    appHandlingMs: round(figure.appHandlingMs),
    drawWhileLoadingMs: round(figure.drawWhileLoadingMs),
    frameDrawMs: round(figure.frameDrawMs),
    markMs: figure.markMs === null ? null : round(figure.markMs),
  };
}

/**
 * The machine's speed in this Chromium, now: a fixed workload in a blank page of its own, made
 * of what the timeline's first frame costs (sorting typed arrays, JSON, drawing rectangles on a
 * 2D canvas and reading them back). Its figure drifts with the shared machine's load as the
 * timeline's do, so a figure over it compares across runs.
 */
export async function referenceWorkloadMs(browser: Browser): Promise<number> {
  const context = await browser.newContext({ viewport: viewportSize, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    const ms = await page.evaluate(() => {
      const started = performance.now();
      let seed = 12345;
      const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
      const values = new Float64Array(1 << 20);
      for (let i = 0; i < values.length; i++) values[i] = next();
      values.sort();
      const rows = Array.from({ length: 100_000 }, (_, i) => ({ id: i, name: `pod-${i}`, at: values[i] }));
      const parsed = JSON.parse(JSON.stringify(rows)) as { at: number }[];
      const canvas = document.createElement('canvas');
      canvas.width = 1100;
      canvas.height = 720;
      const ctx = canvas.getContext('2d')!;
      for (let i = 0; i < 200_000; i++) {
        ctx.fillStyle = i % 3 === 0 ? '#3794ff' : i % 3 === 1 ? '#89d185' : '#cca700';
        ctx.fillRect((parsed[i % parsed.length].at * 1100) | 0, (i * 7) % 720, 2, 14);
      }
      // Reading a pixel back waits for the rectangles to be drawn.
      ctx.getImageData(0, 0, 1, 1);
      return performance.now() - started;
    });
    return round(ms);
  } finally {
    await context.close();
  }
}
