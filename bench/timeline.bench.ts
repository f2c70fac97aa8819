// The timeline's performance figures (issue 19), measured in headless Chromium on the
// benchmark trace: 100 Deployments × 100 replicas on 1,000 nodes, about 212,000 events.
//   1. the panel: the app in the webview's page (linked resources, the real CSP), the trace's
//      host messages posted to it; from the first message received to the first frame that
//      holds every event; for that trace and for one of about 100,000 events (50 × 100, also
//      on 1,000 nodes);
//   2. pan and zoom: real wheel, drag and shift+wheel input at three zoom levels with the
//      benchmark trace loaded; each frame's draw time and the interval between frames;
//   3. the HTML report of the benchmark trace from a file:// URL: navigation start to the first
//      complete frame, the file's size and the page's JS heap;
//   4. the trace's event count, the load average and a fixed reference workload in the same
//      Chromium, so that figures compare across runs on a shared machine.
// Each trace is made once, by the whole command a user runs (`podtrace trace --report`); the
// panel gets the report's data block, which holds the same host messages the panel gets.
// Every measurement runs BENCH_RUNS times (default 3); the output has each run's figure and
// the medians. Prints one JSON object.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { reportDataText, reportMessages } from '../test/report/traceRun';
import {
  launchChromium,
  openTimeline,
  repositoryRoot,
  startTimelineServer,
  viewportSize,
  type TimelinePage,
} from '../test/webview/harness';
import { measureInteraction, zoomLevels, type InteractionFigures } from './timelineGestures';
import {
  eventsIn,
  installDispatchProbe,
  measurePanelLoad,
  median,
  referenceWorkloadMs,
  round,
  stageMessages,
  type PanelLoad,
} from './timelineMeasure';
import { measureReportLoad, type ReportLoad } from './timelineReport';
import { benchManifest } from './simWorkload';
import { interactionSummary, panZoomTargetsMet, targets } from './timelineFigures';

/** A whole number from the environment, at least `least`; anything else stops the benchmark naming the variable. */
function setting(name: string, fallback: number, least: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < least)
    throw new Error(`expected ${name} to be a whole number ≥ ${least}, found ${JSON.stringify(text)}`);
  return value;
}

const root = repositoryRoot();
const nodes = 1000;
const loadAverage = (): number[] => os.loadavg().map((l) => round(l, 2));

interface BenchTrace {
  readonly workload: string;
  readonly command: string;
  readonly events: number;
  readonly reportFile: string;
  readonly reportBytes: number;
  readonly dataJson: string;
  readonly commandMs: number;
}

/** Runs `podtrace trace --nodes 1000 --report` on the workload and reads the report's data block back. */
function makeTrace(dir: string, deployments: number, replicas: number): BenchTrace {
  const name = `${deployments}x${replicas}`;
  const input = path.join(dir, `${name}.yaml`);
  const reportFile = path.join(dir, `${name}.html`);
  fs.writeFileSync(input, benchManifest(deployments, replicas));
  const args = [
    path.join(root, 'dist/cli.js'),
    'trace',
    '--quiet',
    '--nodes',
    String(nodes),
    '--report',
    reportFile,
    input,
  ];
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  const commandMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(`podtrace trace on ${name} exited ${result.status ?? result.signal}: ${result.stderr}`);
  const html = fs.readFileSync(reportFile, 'utf8');
  return {
    workload: `${deployments} Deployments × ${replicas} replicas with readiness probes on ${nodes} nodes`,
    command: `podtrace trace --nodes ${nodes} --report ${name}.html ${name}.yaml`,
    events: eventsIn(reportMessages(html)),
    reportFile,
    reportBytes: fs.statSync(reportFile).size,
    dataJson: reportDataText(html),
    commandMs: Math.round(commandMs),
  };
}

interface Run {
  readonly referenceMs: number;
  readonly panel100k: PanelLoad;
  readonly panel: PanelLoad;
  readonly interaction: InteractionFigures;
  readonly report: ReportLoad;
  readonly loadAverage: number[];
}

async function main(): Promise<void> {
  const runs = setting('BENCH_RUNS', 3, 1);
  /** How long each gesture goes on at each zoom level. */
  const gestureMs = setting('BENCH_GESTURE_MS', 2000, 100);
  const loadAtStart = loadAverage();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-bench-timeline-'));
  const [browser, server] = await Promise.all([launchChromium(), startTimelineServer()]);
  try {
    const benchmark = makeTrace(dir, 100, 100);
    const hundredK = makeTrace(dir, 50, 100);
    /** A fresh panel page: the trace loaded and timed, then `after` on the loaded page. */
    const inPanel = async <T>(trace: BenchTrace, after: (t: TimelinePage, load: PanelLoad) => Promise<T>) => {
      const t = await openTimeline(browser, server, { beforeLoad: installDispatchProbe });
      try {
        const events = await stageMessages(t, trace.dataJson);
        return await after(t, await measurePanelLoad(t, events));
      } finally {
        await t.close();
      }
    };
    const results: Run[] = [];
    for (let i = 0; i < runs; i++) {
      const referenceMs = await referenceWorkloadMs(browser);
      const panel100k = await inPanel(hundredK, async (_, load) => load);
      // Pan and zoom on the benchmark trace as the panel load left it: complete and fitted.
      const [panel, interaction] = await inPanel(
        benchmark,
        async (t, load) => [load, await measureInteraction(t, { gestureMs })] as const,
      );
      const report = await measureReportLoad(browser, benchmark.reportFile, benchmark.events);
      results.push({ referenceMs, panel100k, panel, interaction, report, loadAverage: loadAverage() });
    }
    const measured = { results, benchmark, hundredK, gestureMs, loadAtStart, browser: browser.version() };
    process.stdout.write(JSON.stringify(output(measured)) + '\n');
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Where each run's panel time went, and where the app's first-complete-frame mark fell. */
function panelDetail(loads: readonly PanelLoad[]) {
  return {
    ingestMs: loads.map((l) => l.ingestMs),
    appHandlingMs: loads.map((l) => l.appHandlingMs),
    framesWhileLoading: loads.map((l) => l.framesWhileLoading),
    drawWhileLoadingMs: loads.map((l) => l.drawWhileLoadingMs),
    frameDrawMs: loads.map((l) => l.frameDrawMs),
    markMs: loads.map((l) => l.markMs),
    markBeforeLastMessage: loads.map((l) => l.markBeforeLastMessage),
    eventCount: loads[0].eventCount,
  };
}

interface Measured {
  readonly results: readonly Run[];
  readonly benchmark: BenchTrace;
  readonly hundredK: BenchTrace;
  readonly gestureMs: number;
  readonly loadAtStart: number[];
  readonly browser: string;
}

/** The benchmark's JSON: each run's figures, their medians, the targets and whether they are met. */
function output({ results, benchmark, hundredK, gestureMs, loadAtStart, browser }: Measured) {
  const each = <T>(pick: (r: Run) => T): T[] => results.map(pick);
  const referenceMs = median(each((r) => r.referenceMs));
  const panelMs = median(each((r) => r.panel.ms));
  const panel100kMs = median(each((r) => r.panel100k.ms));
  const reportMs = median(each((r) => r.report.ms));
  const panZoom = interactionSummary(each((r) => r.interaction));
  const meetsTargets = {
    panelMs: panelMs <= targets.panelMs,
    panel100kMs: panel100kMs <= targets.panel100kMs,
    ...panZoomTargetsMet(panZoom),
    reportMs: reportMs <= targets.reportMs,
  };
  const trace = (t: BenchTrace) => ({
    workload: t.workload,
    command: t.command,
    events: t.events,
    reportBytes: t.reportBytes,
    commandMs: t.commandMs,
  });
  return {
    benchmark: 'timeline',
    browser: `Chromium ${browser}, headless, --disable-gpu`,
    viewport: `${viewportSize.width}×${viewportSize.height} CSS px, device scale 1`,
    runs: results.length,
    traces: { benchmark: trace(benchmark), hundredThousand: trace(hundredK) },
    panel: {
      what: 'first message dispatched in the webview page → end of the first frame drawn after the last message',
      ms: each((r) => r.panel.ms),
      medianMs: panelMs,
      ...panelDetail(each((r) => r.panel)),
    },
    panel100k: {
      ms: each((r) => r.panel100k.ms),
      medianMs: panel100kMs,
      ...panelDetail(each((r) => r.panel100k)),
    },
    panZoom: { gestureMs, levels: zoomLevels, ...panZoom },
    report: {
      what: 'navigation start (performance.timeOrigin) → podtrace:first-complete-frame, file:// URL, fresh context',
      ms: each((r) => r.report.ms),
      medianMs: reportMs,
      domContentLoadedMs: each((r) => r.report.domContentLoadedMs),
      fileBytes: benchmark.reportBytes,
      heapMethod:
        'CDP Runtime.getHeapUsage right after the first complete frame, and after HeapProfiler.collectGarbage: ' +
        "V8's usedSize + the ArrayBuffers' backingStorageSize + Blink's embedderHeapUsedSize " +
        '(what performance.memory.usedJSHeapSize counts)',
      heapUsedMiB: each((r) => r.report.heap.usedMiB),
      medianHeapUsedMiB: median(each((r) => r.report.heap.usedMiB)),
      heap: each((r) => r.report.heap),
      heapAfterGc: each((r) => r.report.heapAfterGc),
      eventCount: results[0].report.eventCount,
    },
    reference: {
      what:
        'a fixed workload in a blank page of the same Chromium: ' +
        'sort 1M doubles, JSON of 100k rows, 200k canvas rectangles',
      ms: each((r) => r.referenceMs),
      medianMs: referenceMs,
    },
    overReference: {
      panel: round(panelMs / referenceMs, 2),
      panel100k: round(panel100kMs / referenceMs, 2),
      report: round(reportMs / referenceMs, 2),
    },
    targets,
    meetsTargets,
    loadAverage: { atStart: loadAtStart, afterEachRun: each((r) => r.loadAverage) },
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`bench timeline: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
