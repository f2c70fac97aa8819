// The timeline app in headless Chromium, as VS Code shows it: a page built by
// timelinePageHtml with linked resources (so the real Content Security Policy applies),
// served with the built dist/webview/timeline.js and timeline.css from 127.0.0.1, and a mock
// `acquireVsCodeApi` that records what the app posts and keeps its state across reloads (as
// VS Code does). Host messages are fed with window.postMessage. The browser tests and the
// timeline benchmark (bench/timeline.bench.ts) both use it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { HostToWebviewMessage } from '../../src/protocol/messages';
// The DOM's types for the functions that run in the page (and the globals the app sets there).
import type {} from './browserTypes';
import { timelinePageHtml } from '../../src/report/timelinePage';
import { chromiumArgs, findOnPath } from '../vscode/workbench';

/** A fixed size and scale, so that pixels and screenshots are the same on every run. */
export const viewportSize = { width: 1100, height: 720 };

/**
 * The repository's root: the nearest folder above this bundle whose package.json is podtrace's.
 * Found, not counted, because the tests run from out/test/webview and the benchmark from out/bench.
 */
export function repositoryRoot(from: string = __dirname): string {
  const isPodtrace = (manifest: string): boolean =>
    fs.existsSync(manifest) &&
    (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'podtrace';
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (isPodtrace(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir)
      throw new Error(`expected podtrace's package.json in ${from} or a folder above it, found none`);
  }
}

export function appFile(name: 'timeline.js' | 'timeline.css'): string {
  const file = path.join(repositoryRoot(), 'dist/webview', name);
  assert.ok(
    fs.existsSync(file),
    `expected the built timeline app at ${file}, found nothing; build it with \`node scripts/build.mjs\``,
  );
  return file;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = findOnPath('chromium');
  assert.ok(
    executablePath,
    "expected Debian's chromium on PATH, found none; run `node scripts/testTools.mjs` to install it",
  );
  return chromium.launch({ executablePath, args: chromiumArgs, headless: true });
}

export interface TimelineServer {
  readonly origin: string;
  /** Every path the browser asked for, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Serves the webview page (`/`), the app and its stylesheet. */
export async function startTimelineServer(): Promise<TimelineServer> {
  const requests: string[] = [];
  const script = fs.readFileSync(appFile('timeline.js'));
  const style = fs.readFileSync(appFile('timeline.css'));
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(url);
    if (url === '/' || url.startsWith('/?')) {
      const html = timelinePageHtml({
        title: 'Podtrace timeline',
        nonce: 'dGVzdC1ub25jZS0xMjM0NQ==',
        resources: {
          kind: 'linked',
          cspSource: origin,
          scriptUri: `${origin}/timeline.js`,
          styleUri: `${origin}/timeline.css`,
        },
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else if (url === '/timeline.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (url === '/timeline.css') res.writeHead(200, { 'content-type': 'text/css' }).end(style);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * Installed before the app runs: VS Code's webview API, recording, with state kept in sessionStorage across reloads.
 */
function mockVsCodeApi(): void {
  const w = window as unknown as { __posted: unknown[]; acquireVsCodeApi: () => unknown };
  w.__posted = [];
  let acquired = false;
  w.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return {
      postMessage: (m: unknown) => w.__posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => {
        const s = sessionStorage.getItem('__mockVsCodeState');
        return s === null ? undefined : JSON.parse(s);
      },
      setState: (s: unknown) => sessionStorage.setItem('__mockVsCodeState', JSON.stringify(s)),
    };
  };
}

export interface TimelinePage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** console.warn and console.error lines, and page errors. */
  readonly warnings: string[];
  readonly errors: string[];
  posted(): Promise<{ type: string; [key: string]: unknown }[]>;
  feed(messages: readonly HostToWebviewMessage[] | readonly unknown[]): Promise<void>;
  /** Waits until a frame has been drawn after everything fed so far. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * Sets body's class and the theme variables (VS Code's Light
   * Modern, Dark Modern or Dark High Contrast) before the app starts.
   */
  readonly theme?: 'light' | 'dark' | 'high-contrast';
  /** The webview state VS Code holds from an earlier session (what getState answers at the first load). */
  readonly savedState?: unknown;
  /** Runs before the page loads, after the mocks are installed (the benchmark adds its own init scripts here). */
  readonly beforeLoad?: (page: Page) => Promise<void>;
}

export async function openTimeline(
  browser: Browser,
  server: TimelineServer,
  options: OpenOptions = {},
): Promise<TimelinePage> {
  const context = await browser.newContext({ viewport: viewportSize, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const warnings: string[] = [];
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  if (options.savedState !== undefined) {
    await page.addInitScript((state) => {
      if (sessionStorage.getItem('__mockVsCodeSeeded') !== null) return;
      sessionStorage.setItem('__mockVsCodeSeeded', '1');
      sessionStorage.setItem('__mockVsCodeState', JSON.stringify(state));
    }, options.savedState);
  }
  await page.addInitScript(mockVsCodeApi);
  if (options.theme) await page.addInitScript(applyVsCodeTheme, themeVariables(options.theme));
  if (options.beforeLoad) await options.beforeLoad(page);
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => window.__podtraceTimeline !== undefined);
  const timeline: TimelinePage = {
    context,
    page,
    warnings,
    errors,
    posted: () => page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted),
    async feed(messages) {
      await page.evaluate((list) => {
        for (const m of list) window.postMessage(m, '*');
      }, messages as unknown[]);
      await timeline.settle();
    },
    async settle() {
      // Messages are delivered as tasks; a frame requested after them is drawn on the next animation frame.
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    },
    close: () => context.close(),
  };
  return timeline;
}

export interface ThemeSetting {
  readonly bodyClass: string;
  readonly variables: Readonly<Record<string, string>>;
}

/** Runs in the page before the app: VS Code sets the variables on <html> and the class on <body>. */
function applyVsCodeTheme(theme: ThemeSetting): void {
  const apply = (): boolean => {
    if (!document.body) return false;
    for (const [k, v] of Object.entries(theme.variables)) document.documentElement.style.setProperty(k, v);
    document.body.className = theme.bodyClass;
    return true;
  };
  if (apply()) return;
  new MutationObserver((_, observer) => {
    if (apply()) observer.disconnect();
  }).observe(document, { childList: true, subtree: true });
}

/**
 * The variables the app and its controls read, with VS Code 1.100's Light Modern and Dark Modern
 * values; high contrast is Dark Modern with Dark High Contrast's colours over it.
 */
export function themeVariables(kind: 'light' | 'dark' | 'high-contrast'): ThemeSetting {
  if (kind === 'high-contrast') {
    const dark = themeVariables('dark');
    return {
      bodyClass: 'vscode-high-contrast',
      variables: {
        ...dark.variables,
        '--vscode-editor-background': '#000000',
        '--vscode-foreground': '#ffffff',
        '--vscode-descriptionForeground': '#ffffffb3',
        '--vscode-focusBorder': '#f38518',
        '--vscode-contrastBorder': '#6fc3df',
        '--vscode-editorWarning-foreground': '#ffd370',
        '--vscode-charts-foreground': '#ffffff',
        '--vscode-charts-lines': 'rgba(255, 255, 255, 0.5)',
        '--vscode-list-hoverBackground': 'transparent',
        '--vscode-sideBar-background': '#000000',
      },
    };
  }
  const light = kind === 'light';
  const v: Record<string, string> = {
    '--vscode-font-family': '"DejaVu Sans", sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-font-weight': 'normal',
    '--vscode-editor-background': light ? '#ffffff' : '#1f1f1f',
    '--vscode-foreground': light ? '#3b3b3b' : '#cccccc',
    '--vscode-descriptionForeground': light ? '#3b3b3b' : '#9d9d9d',
    '--vscode-focusBorder': light ? '#005fb8' : '#0078d4',
    '--vscode-editorWarning-foreground': light ? '#bf8803' : '#cca700',
    '--vscode-editorError-foreground': light ? '#e51400' : '#f14c4c',
    '--vscode-editor-selectionBackground': light ? '#add6ff' : '#264f78',
    '--vscode-charts-foreground': light ? '#3b3b3b' : '#cccccc',
    '--vscode-charts-lines': light ? 'rgba(59, 59, 59, 0.5)' : 'rgba(204, 204, 204, 0.5)',
    '--vscode-charts-red': light ? '#e51400' : '#f14c4c',
    '--vscode-charts-blue': light ? '#1a85ff' : '#3794ff',
    '--vscode-charts-yellow': light ? '#bf8803' : '#cca700',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': light ? '#388a34' : '#89d185',
    '--vscode-charts-purple': light ? '#652d90' : '#b180d7',
    '--vscode-list-hoverBackground': light ? '#f2f2f2' : '#2a2d2e',
    '--vscode-sideBar-background': light ? '#f8f8f8' : '#181818',
    '--vscode-panel-border': light ? '#e5e5e5' : '#2b2b2b',
    '--vscode-textLink-foreground': light ? '#005fb8' : '#4daafc',
    '--vscode-button-background': light ? '#005fb8' : '#0078d4',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-hoverBackground': light ? '#0258a8' : '#026ec1',
    '--vscode-button-secondaryBackground': light ? '#e5e5e5' : '#313131',
    '--vscode-button-secondaryForeground': light ? '#3b3b3b' : '#cccccc',
    '--vscode-button-secondaryHoverBackground': light ? '#cccccc' : '#3c3c3c',
    '--vscode-input-background': light ? '#ffffff' : '#313131',
    '--vscode-input-foreground': light ? '#3b3b3b' : '#cccccc',
    '--vscode-input-placeholderForeground': light ? '#767676' : '#989898',
    '--vscode-dropdown-background': light ? '#ffffff' : '#313131',
    '--vscode-dropdown-foreground': light ? '#3b3b3b' : '#cccccc',
    '--vscode-dropdown-border': light ? '#cecece' : '#3c3c3c',
    '--vscode-checkbox-background': light ? '#f8f8f8' : '#313131',
    '--vscode-checkbox-border': light ? '#cecece' : '#3c3c3c',
    '--vscode-checkbox-foreground': light ? '#3b3b3b' : '#cccccc',
    '--vscode-list-activeSelectionBackground': light ? '#e8e8e8' : '#04395e',
  };
  return { bodyClass: light ? 'vscode-light' : 'vscode-dark', variables: v };
}
