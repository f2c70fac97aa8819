// Runs an extension's tests inside a real VS Code without downloading one: code-server
// 4.100.3 (VS Code 1.100.3's server and workbench, installed by scripts/testTools.mjs)
// serves the workbench, and headless Debian chromium, driven by playwright-core, opens it
// as an Extension Development Host with a tests module, the way @vscode/test-electron
// does on machines that can download VS Code. See ../shared/VSCODE-TESTS.md.
//
// The tests module's run() executes in the Node extension host with the full `vscode` API.
// It reports each test as one console line, `PODTRACE_VSCODE_TEST {json}`; the workbench
// forwards the extension host's console to `window.codeAutomationLog`, where this runner
// reads it, and calls `window.codeAutomationExit(code)` when run() settles (0 on success).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const resultPrefix = 'PODTRACE_VSCODE_TEST ';

export interface VsCodeTestOptions {
  /** The folder with the extension's package.json. */
  readonly extensionPath: string;
  /** The compiled tests module (CommonJS) that exports `run(): Promise<void>`. */
  readonly testsModulePath: string;
  /** The folder VS Code opens as its workspace. */
  readonly workspacePath: string;
  /** false starts VS Code with workspace trust on, for tests of the trust gate; default true. */
  readonly trustWorkspace?: boolean;
  /** Everything, from starting code-server to the last browser process gone, within this. */
  readonly timeoutMs: number;
  /** code-server's entry script; default: the one scripts/testTools.mjs installed. */
  readonly codeServerEntry?: string;
  /** Extra environment for code-server and so for the extension host (the tests' flags). */
  readonly env?: Readonly<Record<string, string>>;
  /** Called with every log line as it arrives, e.g. to echo it while debugging. */
  readonly onLog?: (line: string) => void;
}

export interface VsCodeTestResult {
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly durationMs?: number;
}

export interface VsCodeTestRun {
  /** run()'s outcome as VS Code reports it: 0 when it resolved; -1 when the run timed out. */
  readonly exitCode: number;
  readonly results: VsCodeTestResult[];
  /** code-server's output, the extension host's console and the page's errors, in order. */
  readonly log: string[];
}

// Keeps a runaway log from filling memory; the tail is what explains a failure.
const maxLogLines = 5000;

// The flags VS Code's own browser smoke tests use, plus what a container needs: no
// sandbox as root, and /tmp instead of a small /dev/shm.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** The folder scripts/testTools.mjs installs into; mirrors its testToolsDir() and codeServerDir(). */
function testToolsManifestPath(): string {
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const dir = process.env.PODTRACE_TEST_TOOLS
    ? path.resolve(process.env.PODTRACE_TEST_TOOLS)
    : path.join(cache, 'podtrace', 'test-tools');
  return path.join(dir, 'code-server-4.100.3', 'podtrace-test-tools.json');
}

/** The code-server entry that scripts/testTools.mjs recorded once its install completed. */
export function installedCodeServerEntry(): string {
  const manifestFile = testToolsManifestPath();
  let manifest: { codeServerEntry?: unknown };
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { codeServerEntry?: unknown };
  } catch (error) {
    throw new Error(
      `expected code-server 4.100.3's install manifest at ${manifestFile}, found none (${(error as Error).message}); ` +
        'run `node scripts/testTools.mjs` (npm test does) to install it',
    );
  }
  if (typeof manifest.codeServerEntry !== 'string' || !fs.existsSync(manifest.codeServerEntry)) {
    throw new Error(`expected ${manifestFile} to name an existing code-server entry, found ${JSON.stringify(manifest.codeServerEntry)}`);
  }
  return manifest.codeServerEntry;
}

/** The absolute path of `command` on PATH, or undefined. */
export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not in this PATH entry; keep looking.
    }
  }
  return undefined;
}

/**
 * Reads one result from a console message, if it holds one. The workbench may put a label
 * before the text, and the message may carry other text, so the prefix is searched for and
 * the JSON runs to the end of its line (JSON.stringify never emits a raw newline).
 */
export function parseResultLine(text: string): VsCodeTestResult | undefined {
  const at = text.indexOf(resultPrefix);
  if (at < 0) return undefined;
  const rest = text.slice(at + resultPrefix.length);
  const newline = rest.indexOf('\n');
  const json = newline < 0 ? rest : rest.slice(0, newline);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new Error(`expected JSON after "${resultPrefix.trim()}", found ${JSON.stringify(json.slice(0, 200))}: ${(error as Error).message}`);
  }
  const r = value as Partial<Record<keyof VsCodeTestResult, unknown>>;
  if (typeof r !== 'object' || r === null || typeof r.name !== 'string' || typeof r.ok !== 'boolean') {
    throw new Error(`expected {"name": string, "ok": boolean, ...} after "${resultPrefix.trim()}", found ${json.slice(0, 200)}`);
  }
  return {
    name: r.name,
    ok: r.ok,
    ...(typeof r.error === 'string' ? { error: r.error } : {}),
    ...(typeof r.durationMs === 'number' ? { durationMs: r.durationMs } : {}),
  };
}

/** A started code-server, leader of its own process group. */
interface Server {
  readonly process: ChildProcess;
  /** Resolves with its origin (`http://127.0.0.1:PORT`) once it listens. */
  readonly listening: Promise<string>;
  /** Resolves with a description of how it ended, whenever it does. */
  readonly exited: Promise<string>;
}

class Deadline {
  private readonly end: number;
  constructor(private readonly timeoutMs: number) {
    this.end = Date.now() + timeoutMs;
  }
  remaining(): number {
    return Math.max(0, this.end - Date.now());
  }
  /** Rejects when the deadline passes, naming what was being waited for. */
  race<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`ran out of the run's ${this.timeoutMs} ms while waiting for ${what}`)), this.remaining());
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}

class TimeoutError extends Error {}

function startCodeServer(entry: string, dirs: ScratchDirs, options: VsCodeTestOptions, record: (line: string) => void): Server {
  // A config file of its own, or code-server creates ~/.config/code-server/config.yaml.
  fs.writeFileSync(dirs.config, 'auth: none\ncert: false\n');
  // Port 0: the kernel picks a free port and code-server prints it, so two runs never
  // race for a port.
  const args = [
    entry,
    '--config', dirs.config,
    '--bind-addr', '127.0.0.1:0',
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
  ];
  if (options.trustWorkspace !== false) args.push('--disable-workspace-trust');
  const child = spawn(process.execPath, args, {
    // Its own process group, so that one kill reaches the extension host, the pty host and
    // the file watcher that code-server forks.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // Keeps code-server from reading or writing the user's ~/.config, ~/.local and
      // ~/.cache (VS Code's device id goes to $XDG_CACHE_HOME/Microsoft).
      XDG_CONFIG_HOME: dirs.xdgConfig,
      XDG_DATA_HOME: dirs.xdgData,
      XDG_CACHE_HOME: dirs.xdgCache,
      // No extension gallery: there is no network to reach open-vsx.org, and a DNS lookup
      // that hangs on some offline machines would only slow the workbench down.
      EXTENSIONS_GALLERY: '{}',
      ...options.env,
    },
  });
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(`code-server exited (${signal ?? `code ${code}`})`));
    child.once('error', (error) => resolve(`code-server failed to start: ${error.message}`));
  });
  const listening = new Promise<string>((resolve) => {
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          if (line.trim() !== '') record(`[code-server] ${line}`);
          const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
          if (match) resolve(match[1]);
        }
      });
    }
  });
  return { process: child, listening, exited };
}

/** Polls code-server's health endpoint until it answers, so the page never loads a half-started server. */
async function waitUntilAnswering(origin: string, deadline: Deadline): Promise<void> {
  // Stops with the deadline too: a loop left polling would keep this process alive.
  while (deadline.remaining() > 0) {
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) return;
    } catch {
      // Not accepting connections yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Ends the whole process group, politely first; resolves once the leader is gone. */
async function stopProcessGroup(child: ChildProcess, graceMs: number): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const gone = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
  // Children that outlive the leader (an extension host finishing its shutdown) still
  // belong to the group.
  signalGroup('SIGKILL');
}

/**
 * Closes the browser, waiting at most graceMs. Should closing hang, the browser process
 * still ends: Playwright kills every browser it launched when this Node process exits.
 */
async function closeBrowser(launching: Promise<BrowserContext>, graceMs: number, record: (line: string) => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
  const closing = launching.then((context) => context.close()).then(
    () => 'closed' as const,
    (error: Error) => error,
  );
  const outcome = await Promise.race([closing, timedOut]);
  clearTimeout(timer);
  if (outcome instanceof Error) record(`[runner] chromium: ${outcome.message}`);
  if (outcome === 'timeout') record(`[runner] chromium did not close within ${graceMs} ms`);
}

const fatalSignals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Calls `kill` when this process exits or receives a fatal signal; returns a function that
 * stops watching. After a signal, when no other listener (such as Playwright's) remains,
 * the signal is raised again so that the process still ends the way it was asked to.
 */
function guardAgainstAbandonment(kill: () => void): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    kill();
    stop();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const stop = () => {
    process.removeListener('exit', kill);
    for (const signal of fatalSignals) process.removeListener(signal, onSignal);
  };
  process.once('exit', kill);
  for (const signal of fatalSignals) process.once(signal, onSignal);
  return stop;
}

// Settings that keep the workbench from doing work the tests do not need: no welcome page
// to render, no gallery queries (there is no network), no update checks or experiments.
const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'chat.disableAIFeatures': true,
};

interface ScratchDirs {
  readonly root: string;
  readonly config: string;
  readonly userData: string;
  readonly extensions: string;
  readonly xdgConfig: string;
  readonly xdgData: string;
  readonly xdgCache: string;
  readonly browserProfile: string;
}

function makeScratchDirs(): ScratchDirs {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-vscode-'));
  const dirs = {
    root,
    config: path.join(root, 'config.yaml'),
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    xdgConfig: path.join(root, 'xdg-config'),
    xdgData: path.join(root, 'xdg-data'),
    xdgCache: path.join(root, 'xdg-cache'),
    browserProfile: path.join(root, 'browser-profile'),
  };
  for (const dir of [dirs.userData, dirs.extensions, dirs.xdgConfig, dirs.xdgData, dirs.xdgCache, dirs.browserProfile]) fs.mkdirSync(dir);
  // code-server keeps the user's settings on the server side, in the user-data dir.
  fs.mkdirSync(path.join(dirs.userData, 'User'));
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), `${JSON.stringify(quietSettings, null, 2)}\n`);
  return dirs;
}

/**
 * Removes the run's temporary folders. A browser that is still shutting down may write into
 * its profile meanwhile, hence the retries; a folder left in /tmp is logged, not thrown, so
 * that it never hides the run's own outcome.
 */
function removeScratchDirs(dirs: ScratchDirs, record: (line: string) => void): void {
  try {
    fs.rmSync(dirs.root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  } catch (error) {
    record(`[runner] could not remove ${dirs.root}: ${(error as Error).message}`);
  }
}

function requireExisting(file: string, what: string): string {
  const absolute = path.resolve(file);
  if (!fs.existsSync(absolute)) throw new Error(`expected ${what} at ${absolute}, found nothing there`);
  return absolute;
}

/**
 * Opens VS Code 1.100.3 (code-server) in headless chromium as an Extension Development
 * Host for `extensionPath`, runs `testsModulePath`'s run() in its extension host, and
 * returns each reported result. code-server and the browser are always stopped before
 * this returns or throws. Throws when the tools are missing or VS Code never starts;
 * returns exitCode -1 when the tests started but did not finish in time.
 */
export async function runVsCodeTests(options: VsCodeTestOptions): Promise<VsCodeTestRun> {
  // Part of the time is kept back for stopping the browser and the server, so that the
  // whole call, cleanup included, stays within timeoutMs.
  const cleanupMs = Math.min(6000, Math.floor(options.timeoutMs / 4));
  const deadline = new Deadline(options.timeoutMs - cleanupMs);
  const extensionPath = requireExisting(options.extensionPath, "the extension's folder");
  requireExisting(path.join(extensionPath, 'package.json'), "the extension's package.json");
  const testsModulePath = requireExisting(options.testsModulePath, 'the compiled tests module');
  const workspacePath = requireExisting(options.workspacePath, 'the workspace folder');
  const entry = options.codeServerEntry ?? installedCodeServerEntry();
  const chromiumPath = findOnPath('chromium');
  if (!chromiumPath) throw new Error("expected Debian's chromium on PATH, found none; run `node scripts/testTools.mjs` to install it");

  const log: string[] = [];
  const results: VsCodeTestResult[] = [];
  const record = (line: string) => {
    if (log.length >= maxLogLines) log.shift();
    log.push(line);
    options.onLog?.(line);
  };

  const dirs = makeScratchDirs();
  let server: Server | undefined;
  let launching: Promise<BrowserContext> | undefined;
  // code-server runs detached, so it would outlive this process: end it should this
  // process exit or be signalled mid-run. (Playwright does the same for the browser.)
  const stopGuarding = guardAgainstAbandonment(() => {
    if (server?.process.pid !== undefined) {
      try {
        process.kill(-server.process.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    removeScratchDirs(dirs, record);
  });
  try {
    server = startCodeServer(entry, dirs, options, record);
    const origin = await deadline.race(
      Promise.race([server.listening, server.exited.then((why) => Promise.reject(new Error(`${why} before it listened`)))]),
      'code-server to listen',
    );
    await deadline.race(waitUntilAnswering(origin, deadline), `code-server to answer at ${origin}/healthz`);
    record(`[runner] code-server answers at ${origin}`);

    // A fresh profile per run: nothing cached from an earlier workbench leaks into this one.
    launching = chromium.launchPersistentContext(dirs.browserProfile, {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      // Chromium puts crash reports under $XDG_CONFIG_HOME/chromium whatever the profile
      // folder, and dconf state under $XDG_CACHE_HOME: keep both out of the user's home.
      env: { ...process.env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_CACHE_HOME: dirs.xdgCache },
    });
    const context = await deadline.race(launching, `chromium (${chromiumPath}) to start`);
    const page = context.pages()[0] ?? (await context.newPage());

    let exit: (code: number) => void;
    const exited = new Promise<number>((resolve) => (exit = resolve));
    // Both hooks must exist before the workbench loads: it checks for them at startup.
    await page.exposeFunction('codeAutomationExit', (code: number) => {
      record(`[runner] VS Code reported exit code ${code}`);
      exit(code);
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = (Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
      record(`[vscode:${type}] ${text}`);
      for (const line of text.split('\n')) {
        try {
          const result = parseResultLine(line);
          if (result) results.push(result);
        } catch (error) {
          // A garbled result line is a failed test, not a lost one.
          results.push({ name: `(unreadable result line)`, ok: false, error: (error as Error).message });
        }
      }
    });
    page.on('pageerror', (error) => record(`[page error] ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') record(`[browser:error] ${message.text()}`);
    });

    // VS Code resolves these against the remote authority the page was loaded from, so
    // host and port must be exactly the page's.
    const remote = (file: string) => `vscode-remote://${new URL(origin).host}${file}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionPath)],
      ['extensionTestsPath', remote(testsModulePath)],
    ];
    const url = `${origin}/?folder=${encodeURIComponent(workspacePath)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    record(`[runner] opening ${url}`);
    await deadline.race(page.goto(url), 'the workbench page to load');

    const serverDied = server.exited.then((why) => Promise.reject(new Error(`${why} while the tests ran`)));
    // A crash, or the browser closing under a signal, must end the wait rather than run out the clock.
    const pageGone = new Promise<never>((_, reject) => {
      page.once('crash', () => reject(new Error('the workbench page crashed while the tests ran')));
      page.once('close', () => reject(new Error('the workbench page closed before the tests finished')));
    });
    try {
      const exitCode = await deadline.race(Promise.race([exited, serverDied, pageGone]), 'the tests to finish (codeAutomationExit)');
      return { exitCode, results: [...results], log };
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      record(`[runner] ${error.message}`);
      return { exitCode: -1, results: [...results], log };
    }
  } catch (error) {
    // Startup failures carry the log's tail, which is where code-server says why.
    const tail = log.slice(-30).join('\n');
    throw new Error(`${(error as Error).message}\n--- last log lines ---\n${tail}`, { cause: error });
  } finally {
    // Also when the deadline passed while chromium was still starting: it is closed once up.
    if (launching) await closeBrowser(launching, cleanupMs / 2, record);
    if (server) await stopProcessGroup(server.process, cleanupMs / 2);
    stopGuarding();
    removeScratchDirs(dirs, record);
  }
}
