// podtrace's version, which the build writes into the bundle (scripts/build.mjs defines
// PODTRACE_VERSION from package.json); code run from sources without the build says so.

declare const PODTRACE_VERSION: string;

export function podtraceVersion(): string {
  return typeof PODTRACE_VERSION === 'string' ? PODTRACE_VERSION : '0.0.0-dev';
}
