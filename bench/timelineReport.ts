// The HTML report in headless Chromium, as a user opens it: the file from a file:// URL in a
// fresh context, from navigation start to the app's first complete frame, and the page's heap
// then. Used by bench/timeline.bench.ts on the benchmark trace's report and by a test on a
// small one.
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
// The DOM's types for the functions that run in the page, and the app's inspection API there.
import type {} from '../test/webview/browserTypes';
import { viewportSize } from '../test/webview/harness';
import { firstFrameMark, round } from './timelineMeasure';

export interface ReportLoad {
  /** From navigation start (the page's time origin) to `podtrace:first-complete-frame`. */
  readonly ms: number;
  /** Navigation timing's DOMContentLoaded end: the 20 MB page parsed, before the app's script ran to its end. */
  readonly domContentLoadedMs: number;
  readonly eventCount: number;
  /** The page's heap right after the first complete frame, and after a full garbage collection. */
  readonly heap: HeapUsage;
  readonly heapAfterGc: HeapUsage;
}

/**
 * CDP `Runtime.getHeapUsage` in MiB: V8's heap, the ArrayBuffers' backing stores (the app's
 * typed-array columns live there, outside V8's heap) and Blink's, and their sum, which is what
 * `performance.memory.usedJSHeapSize` counts.
 */
export interface HeapUsage {
  readonly usedMiB: number;
  readonly v8MiB: number;
  readonly arrayBuffersMiB: number;
  readonly embedderMiB: number;
}

interface RuntimeHeapUsage {
  readonly usedSize: number;
  readonly totalSize: number;
  readonly embedderHeapUsedSize?: number;
  readonly backingStorageSize?: number;
}

function heapUsage(h: RuntimeHeapUsage): HeapUsage {
  const mib = (bytes: number): number => round(bytes / 2 ** 20);
  const arrayBuffers = h.backingStorageSize ?? 0;
  const embedder = h.embedderHeapUsedSize ?? 0;
  return {
    usedMiB: mib(h.usedSize + arrayBuffers + embedder),
    v8MiB: mib(h.usedSize),
    arrayBuffersMiB: mib(arrayBuffers),
    embedderMiB: mib(embedder),
  };
}

/**
 * Opens the report from its file:// URL in a fresh context (no view kept from an earlier run)
 * and times navigation start to the first complete frame. In the report the bridge hands every
 * message to the app in one task (src/webview/hostBridge.ts), so no frame can fall between
 * chunks: the mark is the complete frame, and the event count read after it is the count at it.
 */
export async function measureReportLoad(browser: Browser, file: string, expectedEvents: number): Promise<ReportLoad> {
  const context = await browser.newContext({ viewport: viewportSize, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'commit', timeout: 120_000 });
    await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, firstFrameMark, {
      polling: 50,
      timeout: 120_000,
    });
    const times = await page.evaluate((mark) => {
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return {
        ms: performance.getEntriesByName(mark)[0].startTime,
        domContentLoadedMs: navigation ? navigation.domContentLoadedEventEnd : -1,
        eventCount: window.__podtraceTimeline?.eventCount ?? -1,
      };
    }, firstFrameMark);
    const cdp = await context.newCDPSession(page);
    const heap = heapUsage((await cdp.send('Runtime.getHeapUsage')) as RuntimeHeapUsage);
    await cdp.send('HeapProfiler.collectGarbage');
    const heapAfterGc = heapUsage((await cdp.send('Runtime.getHeapUsage')) as RuntimeHeapUsage);
    if (errors.length > 0) throw new Error(`report ${file}: the page threw: ${errors.join(' | ')}`);
    if (times.eventCount !== expectedEvents)
      throw new Error(
        `report ${file}: expected the first complete frame to hold the trace's ${expectedEvents} events, ` +
          `the app held ${times.eventCount}`,
      );
    return {
      ms: round(times.ms),
      domContentLoadedMs: round(times.domContentLoadedMs),
      eventCount: times.eventCount,
      heap,
      heapAfterGc,
    };
  } finally {
    await context.close();
  }
}
