// The HTML report: one self-contained file that opens offline in any browser. It is the
// timeline app's page (timelinePage.ts) with the app's script and stylesheet inlined and the
// trace's host messages in its data block, written as pieces so that the benchmark trace's
// report streams to disk instead of being built as one string of tens of megabytes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileProblem } from '../core/base/fileProblem';
import type { HostToWebviewMessage } from '../protocol/messages';
import { newNonce, timelinePageChunks } from './timelinePage';
import { reportDataChunks } from './traceMessages';

/** The built timeline app: what esbuild writes to dist/webview. */
export interface TimelineApp {
  readonly script: string;
  readonly style: string;
}

/** The timeline app's files are not where the report expects them (a CLI run from sources, or a broken build). */
export class TimelineAppMissingError extends Error {}

/** The app's files in the folder the build writes them to. */
export function timelineAppFiles(webviewDir: string): { readonly script: string; readonly style: string } {
  return { script: path.join(webviewDir, 'timeline.js'), style: path.join(webviewDir, 'timeline.css') };
}

/**
 * A source map comment would point the browser's developer tools at a file beside the report
 * that is not there; the report carries no map.
 */
function withoutSourceMap(text: string): string {
  return text
    .replace(/\n?\/\/# sourceMappingURL=[^\n]*\n?$/, '\n')
    .replace(/\n?\/\*# sourceMappingURL=[^*]*\*\/\s*$/, '\n');
}

/**
 * Reads the built app from `webviewDir` (the CLI's is `dist/webview` beside dist/cli.js, the
 * extension passes its own). Throws TimelineAppMissingError naming the file it expected.
 */
export function readTimelineApp(webviewDir: string): TimelineApp {
  const files = timelineAppFiles(webviewDir);
  const read = (file: string): string => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? '' : ` (${fileProblem(error)})`;
      throw new TimelineAppMissingError(`the timeline app is not built: expected ${file}${why}; run npm run build`);
    }
  };
  const script = read(files.script);
  const style = read(files.style);
  if (script.trim() === '')
    throw new TimelineAppMissingError(`the timeline app is not built: ${files.script} is empty; run npm run build`);
  return { script: withoutSourceMap(script), style: withoutSourceMap(style) };
}

export interface ReportOptions {
  readonly title: string;
  /** The page's nonce; a fresh random one by default (tests pass a fixed one). */
  readonly nonce?: string;
}

/** The report's HTML, piece by piece: the app, its styles and `messages` inlined. */
export function reportHtmlChunks(
  messages: Iterable<HostToWebviewMessage>,
  app: TimelineApp,
  options: ReportOptions,
): Generator<string> {
  return timelinePageChunks({
    title: options.title,
    nonce: options.nonce ?? newNonce(),
    resources: { kind: 'inline', script: app.script, style: app.style, data: reportDataChunks(messages) },
  });
}
