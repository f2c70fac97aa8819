// Starts VS Code 1.100.3 without downloading one: code-server 4.100.3 (VS Code 1.100.3's
// server and workbench, installed by scripts/testTools.mjs) on 127.0.0.1 with throwaway state,
// and its workbench in headless Debian chromium driven by playwright-core. The tests inside
// the extension host (codeServer.ts) and the end-to-end tests through the UI (vscodeUi.test.ts)
// both open it here. See ../shared/VSCODE-TESTS.md.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian chromium's flags for every browser test (the workbench, the timeline app, the
 * report): the ones VS Code's own browser smoke tests use, with no background networking
 * (this machine's closed network refuses it), plus what a container needs: no sandbox as
 * root, and /tmp instead of a small /dev/shm.
 */
export const chromiumArgs = [
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
      { cause: error },
    );
  }
  if (typeof manifest.codeServerEntry !== 'string' || !fs.existsSync(manifest.codeServerEntry)) {
    throw new Error(
      `expected ${manifestFile} to name an existing code-server entry, ` +
        `found ${JSON.stringify(manifest.codeServerEntry)}`,
    );
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

/** A started code-server, leader of its own process group. */
interface Server {
  readonly process: ChildProcess;
  /** Resolves with its origin (`http://127.0.0.1:PORT`) once it listens. */
  readonly listening: Promise<string>;
  /** Resolves with a description of how it ended, whenever it does. */
  readonly exited: Promise<string>;
}

export class Deadline {
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
      timer = setTimeout(
        () => reject(new TimeoutError(`ran out of the run's ${this.timeoutMs} ms while waiting for ${what}`)),
        this.remaining(),
      );
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}

export class TimeoutError extends Error {}

function startCodeServer(
  entry: string,
  dirs: ScratchDirs,
  options: WorkbenchOptions,
  record: (line: string) => void,
): Server {
  // A config file of its own, or code-server creates ~/.config/code-server/config.yaml.
  fs.writeFileSync(dirs.config, 'auth: none\ncert: false\n');
  // Port 0: the kernel picks a free port and code-server prints it, so two runs never
  // race for a port.
  const args = [
    entry,
    '--config',
    dirs.config,
    '--bind-addr',
    '127.0.0.1:0',
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
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
async function closeBrowser(
  launching: Promise<BrowserContext>,
  graceMs: number,
  record: (line: string) => void,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
  const closing = launching
    .then((context) => context.close())
    .then(
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
  // The repository above the workspace would otherwise prompt, over what a screenshot shows.
  'git.openRepositoryInParentFolders': 'never',
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
  for (const dir of [dirs.userData, dirs.extensions, dirs.xdgConfig, dirs.xdgData, dirs.xdgCache, dirs.browserProfile])
    fs.mkdirSync(dir);
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

export function requireExisting(file: string, what: string): string {
  const absolute = path.resolve(file);
  if (!fs.existsSync(absolute)) throw new Error(`expected ${what} at ${absolute}, found nothing there`);
  return absolute;
}

export interface WorkbenchOptions {
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
  /** The browser window's size; default Playwright's 1280 × 720. */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Called with every log line: code-server's output, the page's errors. */
  readonly record: (line: string) => void;
}

/** A running code-server with its workbench page, not yet loaded. */
export interface Workbench {
  readonly page: Page;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** The time left of the options' timeoutMs (part of it kept back for closing). */
  readonly deadline: Deadline;
  /** Resolves with how code-server ended, whenever it does. */
  readonly serverExited: Promise<string>;
  /** A path on this machine as the workbench resolves it (its remote authority). */
  remote(file: string): string;
  /** Loads the workbench on the workspace, with a payload such as extensionDevelopmentPath. */
  load(payload: readonly (readonly [string, string])[]): Promise<void>;
  /** Stops the browser and code-server and removes the scratch folders; never throws. */
  close(): Promise<void>;
}

/**
 * Starts code-server and a headless chromium page for it. Everything started is stopped by
 * `close()`, or before this throws; this process exiting or being signalled stops them too.
 */
export async function openWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const { record } = options;
  // Part of the time is kept back for stopping the browser and the server, so that the
  // whole run, cleanup included, stays within timeoutMs.
  const cleanupMs = Math.min(6000, Math.floor(options.timeoutMs / 4));
  const deadline = new Deadline(options.timeoutMs - cleanupMs);
  const workspacePath = requireExisting(options.workspacePath, 'the workspace folder');
  const entry = options.codeServerEntry ?? installedCodeServerEntry();
  const chromiumPath = findOnPath('chromium');
  if (!chromiumPath)
    throw new Error("expected Debian's chromium on PATH, found none; run `node scripts/testTools.mjs` to install it");

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
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      // Also when the deadline passed while chromium was still starting: it is closed once up.
      if (launching) await closeBrowser(launching, cleanupMs / 2, record);
      if (server) await stopProcessGroup(server.process, cleanupMs / 2);
      stopGuarding();
      removeScratchDirs(dirs, record);
    })());
  try {
    const started = startCodeServer(entry, dirs, options, record);
    server = started;
    const origin = await deadline.race(
      Promise.race([
        started.listening,
        started.exited.then((why) => Promise.reject(new Error(`${why} before it listened`))),
      ]),
      'code-server to listen',
    );
    await deadline.race(waitUntilAnswering(origin, deadline), `code-server to answer at ${origin}/healthz`);
    record(`[runner] code-server answers at ${origin}`);

    // A fresh profile per run: nothing cached from an earlier workbench leaks into this one.
    launching = chromium.launchPersistentContext(dirs.browserProfile, {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      ...(options.viewport ? { viewport: options.viewport } : {}),
      // Chromium puts crash reports under $XDG_CONFIG_HOME/chromium whatever the profile
      // folder, and dconf state under $XDG_CACHE_HOME: keep both out of the user's home.
      env: { ...process.env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_CACHE_HOME: dirs.xdgCache },
    });
    const context = await deadline.race(launching, `chromium (${chromiumPath}) to start`);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => record(`[page error] ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') record(`[browser:error] ${message.text()}`);
    });
    // VS Code resolves paths against the remote authority the page was loaded from, so host
    // and port must be exactly the page's.
    const remote = (file: string) => `vscode-remote://${new URL(origin).host}${file}`;
    const load = async (payload: readonly (readonly [string, string])[]) => {
      const url =
        `${origin}/?folder=${encodeURIComponent(workspacePath)}` +
        `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      record(`[runner] opening ${url}`);
      await deadline.race(page.goto(url), 'the workbench page to load');
    };
    return { page, origin, deadline, serverExited: started.exited, remote, load, close };
  } catch (error) {
    await close();
    throw error;
  }
}
