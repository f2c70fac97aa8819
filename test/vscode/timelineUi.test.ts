// End to end through VS Code's UI (code-server's workbench driven by Playwright, the
// extension loaded as the development extension): open examples/web/deployment.yaml, choose
// Apply to Cluster from the editor's context menu, see the pods' rows in the timeline's
// webview, click a container's Pulling event, and find its `image:` line selected in the
// editor (the status bar's `Ln …, Col … (… selected)`); then export the trace from the app's
// toolbar and from the panel's title bar through VS Code's save dialog. PODTRACE_SCREENSHOT=1
// saves the window as docs/timeline-panel.png for the README.
//
// The timeline app's inspection API (`window.__podtraceTimeline`: rows(), eventPosition(id),
// eventCount) is what the test reads and clicks by: the click lands on the canvas where the
// app drew the event.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Frame, Locator, Page } from 'playwright-core';
import { parseManifestText } from '../../src/core/manifest/base/parse';
import { defaultProfile } from '../../src/core/sim/profile/profile';
import { manifestObjects, traceInSimulator } from '../../src/core/trace/simulatedTrace';
import { openWorkbench } from './workbench';

const root = path.resolve(__dirname, '../../..');
const workspacePath = path.join(root, 'examples');
const manifest = path.join(workspacePath, 'web/deployment.yaml');
const runTimeoutMs = 120_000;

/** The trace the extension will stream (its default settings: seed 1, three nodes, Kubernetes 1.35). */
function expectedTrace() {
  const files = [{ name: manifest, file: parseManifestText(fs.readFileSync(manifest, 'utf8')) }];
  return traceInSimulator({
    files,
    objects: manifestObjects(files),
    seed: 1,
    profile: defaultProfile,
    version: '1.35',
    nodes: 3,
    nodesGiven: false,
  });
}

interface TimelineView {
  readonly eventCount: number;
  readonly rowLabels: readonly string[];
}

/**
 * The parts of the page's globals these functions use (they run
 * in the browser; this file compiles without the DOM library).
 */
interface AppWindow {
  readonly __podtraceTimeline?: {
    readonly eventCount: number;
    rows(): { readonly label: string }[];
    eventPosition(id: number): { readonly x: number; readonly y: number } | undefined;
  };
  readonly document: {
    getElementById(id: string): unknown;
  };
}

/** What the timeline shows, read in its frame through the app's inspection API. */
function readTimeline(frame: Frame): Promise<TimelineView | undefined> {
  return frame.evaluate(() => {
    const api = (globalThis as unknown as AppWindow).__podtraceTimeline;
    return api && { eventCount: api.eventCount, rowLabels: api.rows().map((r) => r.label) };
  });
}

/** The webview's content frame: its parent is not the page's main frame, and it holds the app. */
async function timelineFrame(page: Page, until: number): Promise<Frame> {
  for (;;) {
    for (const frame of page.frames()) {
      if (!frame.parentFrame() || frame.parentFrame() === page.mainFrame()) continue;
      const hasApp = await frame
        .evaluate(() => (globalThis as unknown as AppWindow).document.getElementById('app') !== null)
        .catch(() => false);
      if (hasApp) return frame;
    }
    if (Date.now() > until) throw new Error('timed out waiting for the timeline webview (a frame holding #app)');
    await page.waitForTimeout(200);
  }
}

async function poll<T>(what: string, until: number, probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Types a path into VS Code's save dialog, accepts it, and waits for the export to be on disk. */
async function saveAs(page: Page, input: Locator, file: string, until: number): Promise<void> {
  await input.fill(file);
  // The dialog checks the typed path as it changes; OK accepts it once it has.
  const ok = page.locator('.quick-input-widget .monaco-button', { hasText: /^OK$/ });
  await poll(`the save dialog to accept ${file}`, until, async () => {
    if (fs.existsSync(file)) return true;
    if (await ok.isVisible()) await ok.click();
    return undefined;
  });
  // Complete once the notification says where it went (the file appears when renamed into place).
  await page.locator('.notification-list-item', { hasText: `exported the trace` }).first().waitFor();
}

test(
  "through the UI: the editor's Apply opens the timeline, and clicking an event selects its YAML",
  { timeout: runTimeoutMs + 10_000 },
  async () => {
    const trace = expectedTrace();
    const pulling = trace.events.find((e) => e.reason === 'Pulling');
    assert.ok(pulling, 'expected a Pulling event in the web trace');
    const source = trace.sourceOf(pulling);
    assert.ok(
      source && source.path === 'spec.template.spec.containers[0].image',
      `expected the Pulling event to map to the image, got ${JSON.stringify(source)}`,
    );
    const podNames = trace.pods.map((p) => p.name);
    const log: string[] = [];
    const record = (line: string) => {
      log.push(line);
      if (process.env.PODTRACE_VSCODE_LOG === '1') process.stderr.write(`${line}\n`);
    };
    const workbench = await openWorkbench({
      workspacePath,
      timeoutMs: runTimeoutMs,
      record,
      viewport: { width: 1600, height: 1000 },
    });
    try {
      const { page } = workbench;
      const until = Date.now() + workbench.deadline.remaining();
      await workbench.load([['extensionDevelopmentPath', workbench.remote(root)]]);
      await page.locator('.monaco-workbench').waitFor({ timeout: workbench.deadline.remaining() });
      const screenshot = process.env.PODTRACE_SCREENSHOT === '1';
      // For the README's picture, the editor and the timeline get the whole window.
      if (screenshot)
        await page
          .locator('.part.sidebar')
          .waitFor()
          .then(() => page.keyboard.press('Control+B'));

      // Open the manifest with Quick Open, as a user would.
      await poll('Quick Open', until, async () => {
        await page.keyboard.press('Control+P');
        return (await page.locator('.quick-input-widget input').isVisible()) ? true : undefined;
      });
      await page.keyboard.type('web/deployment.yaml');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'deployment.yaml' }).first().waitFor();
      await page.keyboard.press('Enter');
      const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
      await editor.waitFor();
      await page.locator('.tab.active', { hasText: 'deployment.yaml' }).waitFor();

      // The editor's context menu: Apply to Cluster.
      await editor.click({ button: 'right', position: { x: 200, y: 40 } });
      const item = page.getByRole('menuitem', { name: /Apply to Cluster/ });
      await item.waitFor();
      await item.click();

      // The timeline beside the editor: the three pods' rows, then the whole trace.
      const frame = await timelineFrame(page, until);
      await poll('the three pods on the timeline', until, async () => {
        const view = await readTimeline(frame);
        return view && podNames.every((name) => view.rowLabels.some((label) => label.includes(name)))
          ? true
          : undefined;
      });
      await poll(`all ${trace.events.length} events on the timeline`, until, async () =>
        (await readTimeline(frame))?.eventCount === trace.events.length ? true : undefined,
      );

      // Click the Pulling event where the app drew it.
      const at = await frame.evaluate(
        (id) => (globalThis as unknown as AppWindow).__podtraceTimeline?.eventPosition(id),
        pulling.id,
      );
      assert.ok(at, `expected event ${pulling.id} (Pulling) on screen in the timeline`);
      // The timeline's canvas: the largest one in the app.
      const canvases = await frame.locator('canvas').all();
      const boxes = (await Promise.all(canvases.map((c) => c.boundingBox()))).filter((b) => b !== null);
      const box = boxes.sort((a, b) => b.width * b.height - a.width * a.height)[0];
      assert.ok(box, 'expected a canvas in the timeline');
      await page.mouse.click(box.x + at.x, box.y + at.y);

      // The editor selects the image line: `image: nginx:1.27`, the cursor at its end.
      const selected = source.endColumn - source.column;
      const expected = `Ln ${source.endLine}, Col ${source.endColumn} (${selected} selected)`;
      const status = page.locator('.statusbar-item', { hasText: /^Ln \d+, Col \d+/ }).first();
      await poll(`the status bar to show ${expected}`, until, async () =>
        (await status.textContent())?.trim() === expected ? true : undefined,
      ).catch(async (error: Error) => {
        throw new Error(`${error.message}; it shows ${JSON.stringify(await status.textContent().catch(() => null))}`);
      });
      const manifestLines = fs.readFileSync(manifest, 'utf8').split('\n');
      assert.equal(manifestLines[source.line - 1].slice(source.column - 1, source.endColumn - 1), 'image: nginx:1.27');

      // The README's picture: the selected event, its YAML selected, the cursor's rows marked.
      if (screenshot) {
        await page.waitForTimeout(1000);
        const file = path.join(root, 'docs/timeline-panel.png');
        fs.mkdirSync(path.dirname(file), { recursive: true });
        await page.screenshot({ path: file });
        record(`[ui test] saved ${file}`);
      }

      // Export from the app's toolbar (its format menu says Report (HTML)): VS Code's save
      // dialog proposes deployment.html in the workspace folder; saved elsewhere, the report
      // is written there.
      const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-ui-export-'));
      try {
        await frame.locator('vscode-button[title="Save the trace in the chosen format"]').click();
        const input = page.locator('.quick-input-widget input');
        await poll('the save dialog', until, async () => ((await input.isVisible()) ? true : undefined));
        assert.equal(await input.inputValue(), path.join(workspacePath, 'deployment.html'));
        const report = path.join(exportDir, 'from-the-app.html');
        await saveAs(page, input, report, until);
        assert.match(fs.readFileSync(report, 'utf8'), /^<!DOCTYPE html>[\s\S]*podtrace-report-data/);

        // Export from the panel's title bar: the format from a quick pick, then the dialog.
        await page.locator('.tab', { hasText: 'Timeline: deployment.yaml' }).click();
        const titleAction = page.locator('a.action-label[role="button"][aria-label="Export Trace…"]');
        await poll('Export Trace in the title bar', until, async () =>
          (await titleAction.isVisible()) ? true : undefined,
        );
        await titleAction.click();
        await poll('the format quick pick', until, async () =>
          (await page.locator('.quick-input-title', { hasText: /^Podtrace: Export Trace$/ }).isVisible())
            ? true
            : undefined,
        );
        await page.keyboard.type('OTLP');
        await page.keyboard.press('Enter');
        await poll('the save dialog for OTLP', until, async () =>
          (await input.inputValue()).endsWith('deployment.otlp.jsonl') ? true : undefined,
        );
        const otlp = path.join(exportDir, 'from-the-title-bar.otlp.jsonl');
        await saveAs(page, input, otlp, until);
        const lines = fs.readFileSync(otlp, 'utf8').trimEnd().split('\n');
        assert.ok(lines.length >= 1 && lines.every((l) => JSON.parse(l).resourceSpans), 'expected OTLP JSON Lines');
      } finally {
        fs.rmSync(exportDir, { recursive: true, force: true });
      }
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- last log lines ---\n${log.slice(-40).join('\n')}`, {
        cause: error,
      });
    } finally {
      await workbench.close();
    }
  },
);
