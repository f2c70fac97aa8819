// Installs the tools that the editor tests need and a fresh machine lacks, once, into a
// cache outside the repository, so that users of the extension and the CLI never pay for them.
//
//   node scripts/testTools.mjs          install what is missing; print the tools manifest
//                                       (JSON: code-server entry, chromium, rg) on stdout
//   import { ensureTestTools, codeServerBin } from './testTools.mjs'
//
// What it installs, and why this way (see ../shared/VSCODE-TESTS.md):
// - Debian's `chromium`, `ripgrep` and `libkrb5-dev`: playwright-core drives the system
//   chromium because its own browser download is unreachable here; VS Code's search needs
//   `rg`, whose npm package would fetch it from GitHub; the `kerberos` module that VS Code
//   bundles compiles against `gssapi.h`.
// - code-server 4.100.3 from npm, which carries the VS Code 1.100.3 workbench and server.
//   It is the newest code-server that runs on Node 20. Its install scripts fail as root and
//   offline, so it is installed with --ignore-scripts and rebuilt step by step.
//
// The first run takes minutes (native builds); later runs check a marker and return in well
// under a second. The marker is written last, so an interrupted install is redone from scratch.
// PODTRACE_TEST_TOOLS overrides the cache folder.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const codeServerVersion = '4.100.3';
export const vscodeVersion = '1.100.3';

const manifestName = 'podtrace-test-tools.json';
const manifestFormat = 1;

function log(message) {
  process.stderr.write(`testTools: ${message}\n`);
}

/**
 * The cache folder that holds every test tool: $PODTRACE_TEST_TOOLS,
 * else $XDG_CACHE_HOME or ~/.cache + podtrace/test-tools.
 */
export function testToolsDir() {
  if (process.env.PODTRACE_TEST_TOOLS) return path.resolve(process.env.PODTRACE_TEST_TOOLS);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'podtrace', 'test-tools');
}

export function codeServerDir() {
  return path.join(testToolsDir(), `code-server-${codeServerVersion}`);
}

/** Where the manifest lives; it exists only after a complete install. */
export function manifestPath() {
  return path.join(codeServerDir(), manifestName);
}

function codeServerPackageDir() {
  return path.join(codeServerDir(), 'node_modules', 'code-server');
}

/** The code-server entry script (run it with `node`); present once installed. */
export function codeServerBin() {
  return path.join(codeServerPackageDir(), 'out', 'node', 'entry.js');
}

/** The absolute path of `command` on PATH, or undefined. */
export function findOnPath(command) {
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

class ToolError extends Error {}

// ---------------------------------------------------------------------------------------
// Debian packages

// Each package is wanted only when the thing the tests use from it is missing.
const debianPackages = [
  { name: 'chromium', present: () => findOnPath('chromium') !== undefined },
  { name: 'ripgrep', present: () => findOnPath('rg') !== undefined },
  {
    // MIT Kerberos's dev package puts gssapi.h in one of these, depending on the release.
    name: 'libkrb5-dev',
    present: () => ['/usr/include/gssapi/gssapi.h', '/usr/include/gssapi.h'].some((f) => fs.existsSync(f)),
  },
];

function ensureDebianPackages() {
  const missing = debianPackages.filter((p) => !p.present()).map((p) => p.name);
  if (missing.length === 0) return;
  if (!findOnPath('apt-get')) {
    throw new ToolError(
      `expected apt-get to install the Debian packages ${missing.join(', ')}, ` +
        'found no apt-get on PATH; install them by other means',
    );
  }
  // apt-get needs root; as another user, try sudo without a password prompt.
  const asRoot = process.getuid?.() === 0;
  if (!asRoot && !findOnPath('sudo')) {
    throw new ToolError(
      `expected to run as root (or with sudo) to apt-get install ${missing.join(' ')}; run that yourself, then retry`,
    );
  }
  // Another test run (another worktree) may hold dpkg's lock: wait for it rather than fail.
  const apt = (args, what) => {
    const aptArgs = ['-o', 'DPkg::Lock::Timeout=600', ...args];
    return run(asRoot ? 'apt-get' : 'sudo', asRoot ? aptArgs : ['-n', 'apt-get', ...aptArgs], {
      what,
      env: { DEBIAN_FRONTEND: 'noninteractive' },
    });
  };
  log(`installing Debian packages: ${missing.join(', ')}`);
  apt(['update'], 'apt-get update');
  // Without recommends: chromium's would pull in systemd, avahi, samba and printing tools.
  apt(['install', '-y', '--no-install-recommends', ...missing], `apt-get install ${missing.join(' ')}`);
  const stillMissing = debianPackages.filter((p) => !p.present()).map((p) => p.name);
  if (stillMissing.length > 0) {
    throw new ToolError(`apt-get reported success, but what ${stillMissing.join(', ')} provides is still missing`);
  }
}

// ---------------------------------------------------------------------------------------
// Running commands

let logFile;

/**
 * Runs a command with its output going to the install log rather than the terminal; on
 * failure, throws with the command, its exit status and the tail of its output.
 */
function run(command, args, { cwd = process.cwd(), env = {}, what }) {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (logFile) {
    fs.appendFileSync(logFile, `\n$ (cd ${cwd} && ${command} ${args.join(' ')})\n${output}`);
  }
  if (result.error || result.status !== 0) {
    const tail = output.trim().split('\n').slice(-25).join('\n');
    const status = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
    throw new ToolError(
      `${what} failed (${status}) in ${cwd}\n` +
        `--- last lines of its output${logFile ? ` (all of it: ${logFile})` : ''} ---\n${tail}`,
    );
  }
  log(`${what}: ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return output;
}

// ---------------------------------------------------------------------------------------
// code-server

function readManifest() {
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestPath(), 'utf8'));
    if (manifest.format !== manifestFormat || manifest.codeServerVersion !== codeServerVersion) return undefined;
    // A manifest whose files were deleted since (a cache cleaner) does not count.
    if (!fs.existsSync(manifest.codeServerEntry)) return undefined;
    return manifest;
  } catch {
    return undefined;
  }
}

/** Every `@vscode/ripgrep` package folder in the install, at whatever depth npm put it. */
function ripgrepPackageDirs(dir, found = []) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const full = path.join(dir, entry.name);
    if (
      entry.name === 'ripgrep' &&
      path.basename(dir) === '@vscode' &&
      fs.existsSync(path.join(full, 'package.json'))
    ) {
      found.push(full);
    } else if (entry.name !== '.bin' && entry.name !== 'bin') {
      ripgrepPackageDirs(full, found);
    }
  }
  return found;
}

function installCodeServer() {
  const dir = codeServerDir();
  // Whatever is here is an interrupted install (no manifest): start over from a clean folder.
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  logFile = path.join(dir, 'install.log');
  fs.writeFileSync(logFile, `code-server ${codeServerVersion} install, ${new Date().toISOString()}\n`);
  const manifest = {
    name: 'podtrace-test-tools',
    private: true,
    description: 'Cached VS Code test tools for podtrace; safe to delete.',
  };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  log(
    `installing code-server ${codeServerVersion} (VS Code ${vscodeVersion}) ` +
      `into ${dir}; this takes a few minutes once (log: ${logFile})`,
  );

  // npm reads `yes=false` and similar from the user's npmrc; these settings make its
  // scripts run unattended, as root, without npx prompting for node-gyp.
  const npmEnv = {
    npm_config_yes: 'true',
    npm_config_unsafe_perm: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  const npm = (args, cwd, what) => run('npm', args, { cwd, env: npmEnv, what });

  npm(
    ['install', `code-server@${codeServerVersion}`, '--ignore-scripts', '--save-exact'],
    dir,
    `npm install code-server@${codeServerVersion}`,
  );
  // argon2 (password hashing) has no prebuilt binary reachable offline; it builds from source.
  npm(['rebuild', 'argon2'], dir, 'npm rebuild argon2');

  const vscodeDir = path.join(codeServerPackageDir(), 'lib', 'vscode');
  if (!fs.existsSync(path.join(vscodeDir, 'package.json'))) {
    throw new ToolError(
      `expected VS Code's sources at ${vscodeDir}, found no package.json there; ` +
        `is code-server ${codeServerVersion} the package that was installed?`,
    );
  }
  npm(['install', '--omit=dev', '--ignore-scripts'], vscodeDir, "npm install VS Code's dependencies");

  // @vscode/ripgrep's install script downloads rg from GitHub unless bin/rg already exists.
  const rg = findOnPath('rg');
  if (!rg) throw new ToolError("expected Debian's rg on PATH (package ripgrep), found none");
  const ripgrepDirs = ripgrepPackageDirs(codeServerPackageDir());
  if (ripgrepDirs.length === 0) {
    throw new ToolError(`expected an @vscode/ripgrep package under ${codeServerPackageDir()}, found none`);
  }
  for (const ripgrepDir of ripgrepDirs) {
    const bin = path.join(ripgrepDir, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.copyFileSync(rg, path.join(bin, 'rg'));
    fs.chmodSync(path.join(bin, 'rg'), 0o755);
  }
  log(`copied ${rg} into ${ripgrepDirs.length} @vscode/ripgrep package(s)`);

  // Builds VS Code's native modules (node-pty, kerberos, spdlog, watchers) against Node 20.
  npm(['rebuild'], vscodeDir, "npm rebuild VS Code's native modules");
  // code-server's own postinstall checks the Node version and finishes its layout.
  npm(['rebuild', 'code-server'], dir, 'npm rebuild code-server');

  const entry = codeServerBin();
  if (!fs.existsSync(entry))
    throw new ToolError(`expected the code-server entry at ${entry} after the install, found nothing`);
  // The check that matters: the server starts far enough to print its version. Its own
  // config folder keeps it from writing a default config into the user's ~/.config.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-code-server-check-'));
  let version;
  try {
    version = run(process.execPath, [entry, '--version'], {
      cwd: dir,
      env: { XDG_CONFIG_HOME: path.join(scratch, 'config'), XDG_DATA_HOME: path.join(scratch, 'data') },
      what: 'code-server --version',
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  if (!version.includes(codeServerVersion)) {
    throw new ToolError(`expected code-server --version to report ${codeServerVersion}, found: ${version.trim()}`);
  }
}

// A lock, so that two test runs starting at once do not install into the same folder.
function withInstallLock(fn) {
  const lockDir = path.join(testToolsDir(), `code-server-${codeServerVersion}.lock`);
  fs.mkdirSync(testToolsDir(), { recursive: true });
  const deadline = Date.now() + 20 * 60_000;
  let waitingFor;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(path.join(lockDir, 'pid'), { encoding: 'utf8', flag: 'a+' }));
      if (!isAlive(holder)) {
        // The process that took the lock is gone: the lock is stale.
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new ToolError(
          `timed out waiting for process ${holder} to finish installing the test tools (lock: ${lockDir})`,
        );
      if (waitingFor !== holder) log(`waiting for process ${holder}, which is installing the test tools`);
      waitingFor = holder;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function isAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * Makes sure every test tool is installed and returns the manifest:
 * `{ format, codeServerVersion, vscodeVersion, codeServerEntry, chromium, rg, installedAt }`.
 * Throws an error that says what was expected and what was found.
 */
export function ensureTestTools() {
  ensureDebianPackages();
  let manifest = readManifest();
  if (manifest) return { ...manifest, chromium: findOnPath('chromium'), rg: findOnPath('rg') };
  withInstallLock(() => {
    // Another process may have finished the install while this one waited for the lock.
    if (readManifest()) return;
    const started = Date.now();
    installCodeServer();
    const fresh = {
      format: manifestFormat,
      codeServerVersion,
      vscodeVersion,
      codeServerEntry: codeServerBin(),
      installedAt: new Date().toISOString(),
    };
    // Written last: its presence means every step above succeeded.
    fs.writeFileSync(manifestPath(), `${JSON.stringify(fresh, null, 2)}\n`);
    log(`code-server ${codeServerVersion} installed in ${Math.round((Date.now() - started) / 1000)} s`);
  });
  manifest = readManifest();
  if (!manifest) throw new ToolError(`expected a complete install with its manifest at ${manifestPath()}, found none`);
  return { ...manifest, chromium: findOnPath('chromium'), rg: findOnPath('rg') };
}

function main() {
  const started = Date.now();
  try {
    const tools = ensureTestTools();
    process.stdout.write(`${JSON.stringify(tools)}\n`);
    log(`ready in ${Date.now() - started} ms: code-server ${tools.codeServerVersion} at ${tools.codeServerEntry}`);
  } catch (error) {
    if (error instanceof ToolError) {
      log(`failed: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
