// The timeline benchmark's measuring code (bench/timelineMeasure.ts, timelineGestures.ts,
// timelineFigures.ts) on a small trace, so that it cannot rot while the benchmark is not run:
// examples/web in the panel's page and as a report, with real input, gives finite figures
// over frames that held every event; and what it is given wrong, it refuses with the reason.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { interactionSummary, panZoomTargetsMet } from '../../bench/timelineFigures';
import { gestures, measureInteraction } from '../../bench/timelineGestures';
import {
  distribution,
  eventsIn,
  installDispatchProbe,
  measurePanelLoad,
  median,
  referenceWorkloadMs,
  stageMessages,
} from '../../bench/timelineMeasure';
import { measureReportLoad } from '../../bench/timelineReport';
import { reportMessages } from '../report/traceRun';
import { launchChromium, openTimeline, startTimelineServer, type TimelineServer } from './harness';
import { hostMessages, reportData, repoRoot, webCase, type TraceCase } from './traces';

let browser: Browser;
let server: TimelineServer;
let web: TraceCase;
/** The web trace in chunks of 10 events, so that the app may draw frames between them, as with the benchmark trace. */
let dataJson: string;

before(async () => {
  [browser, server] = await Promise.all([launchChromium(), startTimelineServer()]);
  web = webCase();
  dataJson = JSON.stringify(reportData(hostMessages(web, { chunkSize: 10 })));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const finite = (value: number | null, what: string): number => {
  assert.ok(
    typeof value === 'number' && Number.isFinite(value) && value >= 0,
    `${what}: expected a finite figure ≥ 0, got ${value}`,
  );
  return value;
};

test('distribution and median: nearest-rank percentiles, and no median of nothing', () => {
  const d = distribution(Array.from({ length: 100 }, (_, i) => 100 - i));
  assert.deepEqual(d, { count: 100, p50: 50, p95: 95, max: 100 });
  assert.deepEqual(distribution([]), { count: 0, p50: null, p95: null, max: null });
  assert.equal(median([5, 1, 3]), 3);
  assert.throws(() => median([]), /expected at least one figure/);
});

test('the panel load of the web trace ends on a frame that holds every event', async () => {
  const t = await openTimeline(browser, server, { beforeLoad: installDispatchProbe });
  try {
    assert.equal(await stageMessages(t, dataJson), web.events.length);
    const load = await measurePanelLoad(t, web.events.length);
    assert.equal(load.eventCount, web.events.length);
    assert.ok(finite(load.ms, 'ms') >= finite(load.ingestMs, 'ingestMs'), JSON.stringify(load));
    assert.ok(load.ingestMs >= finite(load.appHandlingMs, 'appHandlingMs'), JSON.stringify(load));
    finite(load.frameDrawMs, 'frameDrawMs');
    finite(load.drawWhileLoadingMs, 'drawWhileLoadingMs');
    finite(load.markMs, 'markMs');
    assert.deepEqual(t.errors, []);
  } finally {
    await t.close();
  }
});

test('the panel load refuses a page without the probe, without messages, or that holds another count', async () => {
  const bare = await openTimeline(browser, server);
  try {
    await stageMessages(bare, dataJson);
    await assert.rejects(measurePanelLoad(bare, web.events.length), /no dispatch probe/);
  } finally {
    await bare.close();
  }
  const t = await openTimeline(browser, server, { beforeLoad: installDispatchProbe });
  try {
    await assert.rejects(measurePanelLoad(t, web.events.length), /no messages were staged/);
    await stageMessages(t, dataJson);
    await assert.rejects(
      measurePanelLoad(t, web.events.length + 1),
      new RegExp(`hold the trace's ${web.events.length + 1} events, the app held ${web.events.length} `),
    );
  } finally {
    await t.close();
  }
});

test('pan and zoom through real input give draw times and frame intervals at each level', async () => {
  const t = await openTimeline(browser, server, { beforeLoad: installDispatchProbe });
  try {
    await stageMessages(t, dataJson);
    await measurePanelLoad(t, web.events.length);
    const levels = [
      { name: 'out', share: 1 },
      { name: 'deep', share: 1 / 50 },
    ];
    const figures = await measureInteraction(t, { gestureMs: 200, levels });
    // The lanes are at the top, so the middle event's mark is on screen and the gestures go on there.
    assert.equal(figures.pointerOnMiddleEvent, true);
    for (const level of levels) {
      for (const g of gestures) {
        const f = figures.levels[level.name][g];
        const where = `${level.name} ${g}: ${JSON.stringify(f)}`;
        assert.ok(f.inputs > 0 && f.draw.count > 0 && f.interval.count > 0, where);
        finite(f.draw.p95, where);
        finite(f.interval.p95, where);
      }
    }
    // The deep level's window is about a fiftieth of the fitted one (the zoom stops within 20%).
    const ratio = figures.levels.out.zoom.windowMs / figures.levels.deep.zoom.windowMs;
    assert.ok(ratio > 50 / 1.3 && ratio < 50 * 1.3, `expected a window about 50 times narrower, got ${ratio}`);
    const summary = interactionSummary([figures, figures]);
    assert.equal(summary.drawMs.p95, figures.all.draw.p95);
    assert.ok(summary.worstDrawP95At && /^(out|deep) (zoom|pan|scroll)$/.test(summary.worstDrawP95At));
    assert.deepEqual(Object.keys(panZoomTargetsMet(summary)).sort(), [
      'panZoomDrawP95EachGestureMs',
      'panZoomDrawP95Ms',
      'panZoomIntervalP95Ms',
    ]);
    assert.deepEqual(t.errors, []);
  } finally {
    await t.close();
  }
});

test('the report of examples/web: navigation to its first complete frame, and its heap', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-bench-test-'));
  try {
    const file = path.join(dir, 'web.html');
    const cli = path.join(repoRoot, 'dist/cli.js');
    const result = spawnSync(process.execPath, [cli, 'trace', '--quiet', '--report', file, 'examples/web'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    const events = eventsIn(reportMessages(fs.readFileSync(file, 'utf8')));
    assert.ok(events > 0);
    const report = await measureReportLoad(browser, file, events);
    assert.equal(report.eventCount, events);
    assert.ok(finite(report.ms, 'ms') > 0);
    finite(report.domContentLoadedMs, 'domContentLoadedMs');
    assert.ok(finite(report.heap.usedMiB, 'heap') > 0 && report.heap.v8MiB > 0, JSON.stringify(report.heap));
    assert.ok(
      report.heap.usedMiB >= report.heap.v8MiB + report.heap.arrayBuffersMiB - 0.2,
      JSON.stringify(report.heap),
    );
    finite(report.heapAfterGc.usedMiB, 'heap after a collection');
    await assert.rejects(measureReportLoad(browser, file, events + 1), /expected the first complete frame/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the reference workload takes a finite time', async () => {
  assert.ok(finite(await referenceWorkloadMs(browser), 'reference') > 0);
});
