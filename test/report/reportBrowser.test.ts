// The HTML report as a user gets it: written by `podtrace trace --report`, opened from a
// file:// URL in headless chromium with the network off. It makes no request but for the file
// itself, throws no page error, and the app starts and gets the whole trace. Strings from the
// trace that are HTML or script (an image name, a file name) stay inside the data block.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { HostToWebviewMessage } from '../../src/protocol/messages';
import { launchChromium, type Browser } from './browser';
import { repoRoot, reportMessages } from './traceRun';

const cli = path.join(repoRoot, 'dist/cli.js');
const payload = '</script><script>window.__pwned=1</script>';

/** What the tests read in the page (the tests compile without the DOM's types; the callbacks run in the browser). */
interface PageGlobals {
  readonly document: {
    readonly scripts: { readonly length: number };
    querySelectorAll(selector: string): ArrayLike<{ readonly textContent: string | null }>;
    getElementById(id: string): { readonly textContent: string | null } | null;
  };
  readonly __podtraceTimeline?: { readonly eventCount: number };
  readonly __pwned?: unknown;
}

let browser: Browser;
let scratch: string;

before(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-report-browser-'));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

function writeReport(args: string[], cwd: string, file: string): void {
  const result = spawnSync(process.execPath, [cli, 'trace', '--quiet', '--report', file, ...args], {
    cwd,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
}

function eventCount(messages: readonly HostToWebviewMessage[]): number {
  return messages.reduce((n, m) => n + (m.type === 'eventsAppended' ? m.chunk.time.length : 0), 0);
}

interface Opened {
  readonly requests: string[];
  readonly errors: string[];
  readonly warnings: string[];
  readonly page: import('playwright-core').Page;
}

/** Opens the report offline and waits until the app, through its inspection API, holds `events` events. */
async function openReport(file: string, events: number): Promise<Opened> {
  const { context } = browser;
  await context.setOffline(true);
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text());
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(
    (n) => {
      const api = (globalThis as unknown as PageGlobals).__podtraceTimeline;
      return api !== undefined && api.eventCount >= n;
    },
    events,
    { timeout: 20_000 },
  );
  return { requests, errors, warnings, page };
}

async function shownEvents(page: Opened['page']): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__podtraceTimeline?.eventCount ?? -1);
}

/** The page's Content Security Policy and its script elements' nonce, from the HTML text. */
function policy(html: string): { csp: string; scriptNonces: string[] } {
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)];
  assert.equal(metas.length, 1, 'one CSP meta element');
  const csp = metas[0][1].replace(/&#39;/g, "'");
  const scriptNonces = [...html.matchAll(/<script nonce="([^"]+)">/g)].map((m) => m[1]);
  return { csp, scriptNonces };
}

test(
  'the report of examples/web opens offline from a file, requests nothing else, and the app gets the whole trace',
  { timeout: 60_000 },
  async () => {
    const file = path.join(scratch, 'web.html');
    writeReport(['examples/web'], repoRoot, file);
    const html = fs.readFileSync(file, 'utf8');

    const { csp, scriptNonces } = policy(html);
    assert.equal(scriptNonces.length, 1, 'one script with the nonce');
    assert.match(csp, /^default-src 'none';/);
    assert.ok(csp.includes(`script-src 'nonce-${scriptNonces[0]}';`), csp);
    assert.doesNotMatch(csp, /https?:|unsafe-inline|unsafe-eval|\*/);
    assert.match(scriptNonces[0], /^[A-Za-z0-9+/]{22}==$/, 'a nonce of 128 random bits');
    // Two script elements end in the text: the data block and the app; nothing inside either ends them early.
    assert.equal(html.match(/<\/script/gi)?.length, 2);
    assert.equal(html.match(/<script type="application\/json" id="podtrace-report-data">/g)?.length, 1);
    assert.doesNotMatch(html, /sourceMappingURL/, 'no source map comment pointing beside the report');

    const messages = reportMessages(html);
    assert.deepEqual([...new Set(messages.map((m) => m.type))], ['traceReset', 'eventsAppended', 'traceFinished']);
    const events = eventCount(messages);
    assert.ok(events > 100, `expected the web example's events, got ${events}`);

    const { page, requests, errors, warnings } = await openReport(file, events);
    assert.deepEqual(requests, [pathToFileURL(file).href], 'the report requests nothing but itself');
    assert.deepEqual(errors, []);
    assert.deepEqual(
      warnings.filter((w) => /dropped|not a trace/.test(w)),
      [],
      'every message of the data block was accepted',
    );
    assert.equal(await page.title(), 'podtrace trace examples/web');
    assert.equal(await shownEvents(page), events, 'the inspection API counts every event');
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.scripts.length), 2);
    await page.close();
  },
);

test(
  'HTML, script and line separators in the trace (an image name, a file name) stay in the data block ' +
    'and reach the app as text',
  { timeout: 60_000 },
  async () => {
    // A file named `</script><script>window.__pwned=1</script>.yaml`: the title and every source range name it.
    const nameInTrace = `${payload}.yaml`;
    fs.mkdirSync(path.join(scratch, path.dirname(nameInTrace)), { recursive: true });
    const image = `nginx:1.27${payload}<!--\u2028x`;
    fs.writeFileSync(
      path.join(scratch, nameInTrace),
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: hostile',
        'spec:',
        '  containers:',
        '    - name: app',
        `      image: ${JSON.stringify(image)}`,
        '',
      ].join('\n'),
    );
    const file = path.join(scratch, 'hostile.html');
    writeReport([nameInTrace], scratch, file);
    const html = fs.readFileSync(file, 'utf8');
    assert.equal(html.match(/<\/script/gi)?.length, 2, 'no string of the trace ends a script element');
    assert.ok(!html.includes('\u2028'), 'U+2028 is escaped');

    const messages = reportMessages(html);
    const strings = messages.flatMap((m) => (m.type === 'eventsAppended' ? m.chunk.strings : []));
    assert.ok(
      strings.some((s) => s.includes(`couldn't parse image name ${JSON.stringify(image)}`)),
      'the event message holds the image name exactly',
    );
    const events = eventCount(messages);

    const { page, requests, errors } = await openReport(file, events);
    assert.deepEqual(requests, [pathToFileURL(file).href]);
    assert.deepEqual(errors, []);
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned), undefined);
    assert.equal(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).document.scripts.length),
      2,
      'no script element was made from the data',
    );
    assert.equal(await page.title(), `podtrace trace ${nameInTrace}`);
    // What the browser reads from the data block is the trace, byte for byte.
    const inPage = await page.evaluate(
      () =>
        JSON.parse(
          (globalThis as unknown as PageGlobals).document.getElementById('podtrace-report-data')!.textContent!,
        ) as unknown,
    );
    assert.deepEqual(inPage, { format: 1, messages: JSON.parse(JSON.stringify(messages)) });
    // That the image name is shown as text, never as markup, test/webview/security.test.ts shows.
    assert.equal(await shownEvents(page), events);
    await page.close();
  },
);
