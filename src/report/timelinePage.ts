// The timeline app's page, for both places it runs: the VS Code webview (the app and its
// styles linked from the extension's dist/webview folder) and the HTML report (everything
// inlined, with the trace, in one file that opens offline). Either way the page has a strict
// Content Security Policy: nothing loads from the network, and the only script that runs is
// the app, allowed by a nonce. The trace travels as JSON in a data block the browser never
// runs; every string from a cluster is then put on screen by the app as text.
import { createHash, randomBytes } from 'node:crypto';

export type TimelinePageResources =
  | {
      readonly kind: 'linked';
      /** The webview's `cspSource` (what asWebviewUri URIs are served from). */
      readonly cspSource: string;
      readonly scriptUri: string;
      readonly styleUri: string;
    }
  | {
      readonly kind: 'inline';
      readonly script: string;
      readonly style: string;
      /**
       * The report's data (`ReportData` as JSON): one string, or its pieces in order, so that a
       * large trace is written out piece by piece and never held as one string.
       */
      readonly data: string | Iterable<string>;
    };

export interface TimelinePageInput {
  readonly title: string;
  readonly nonce: string;
  readonly resources: TimelinePageResources;
}

/** The id of the report's data block, which the app reads at start. */
export const reportDataId = 'podtrace-report-data';

/** A fresh nonce for one page: 128 random bits. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The nonce of the page's styles, derived from the page's nonce (SHA-256: unguessable without
 * it, and it tells nothing of it). The UI toolkit's FAST library tests for `:focus-visible`
 * with a <style> element of its own, which the policy would block (a console error, and focus
 * rings on every click): it gives that element the nonce of the `csp-nonce` meta element.
 * Styles get a nonce of their own so that what the page shows in its DOM is never the
 * nonce that lets a script run.
 */
export function styleNonceOf(nonce: string): string {
  return createHash('sha256').update(`podtrace style\u0000${nonce}`).digest('base64').slice(0, 22);
}

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEscapes[c]);
}

/**
 * Text inside a <script> or <style> element ends at the first `</script` (or `</style`) and
 * changes state at `<!--`, whatever the language inside: break both up. In JavaScript `<\/`
 * and `<\u0021--` inside a string, regular expression (a `u` one too, which refuses `\!`) or
 * template are the same text, and the app's bundle has no such sequence outside them; JSON
 * gets `\u003c`, which every parser reads back as `<`.
 */
export function safeScript(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\u0021--');
}

function safeStyle(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

/** The report's data block: `<` escaped so that no string in the trace can end the block. */
export function safeJson(json: string): string {
  return json
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function timelineContentSecurityPolicy(nonce: string, resources: TimelinePageResources): string {
  const n = `'nonce-${nonce}'`;
  const styles = `'nonce-${styleNonceOf(nonce)}'`;
  if (resources.kind === 'linked') {
    const src = resources.cspSource;
    return (
      `default-src 'none'; script-src ${n}; style-src ${src} ${styles}; font-src ${src}; ` +
      `img-src ${src} data:; connect-src 'none'; form-action 'none'; base-uri 'none'`
    );
  }
  return (
    `default-src 'none'; script-src ${n}; style-src ${styles}; font-src data:; ` +
    `img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'`
  );
}

/** The page as one string (the webview's, or a small report). */
export function timelinePageHtml(input: TimelinePageInput): string {
  return [...timelinePageChunks(input)].join('');
}

/**
 * The page in pieces, in order. The report's data block is made safe piece by piece: each
 * escape replaces one character, so JSON cut between characters gives the same bytes (cut
 * it between whole JSON texts, as `reportDataChunks` does, so that no surrogate pair is split
 * across two writes of UTF-8).
 */
export function* timelinePageChunks(input: TimelinePageInput): Generator<string> {
  const { nonce, resources } = input;
  const csp = timelineContentSecurityPolicy(nonce, resources);
  const styleNonce = styleNonceOf(nonce);
  const head =
    resources.kind === 'linked'
      ? `<link rel="stylesheet" href="${escapeHtml(resources.styleUri)}">`
      : `<style nonce="${styleNonce}">${safeStyle(resources.style)}</style>`;
  yield `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="csp-nonce" content="${styleNonce}">
<title>${escapeHtml(input.title)}</title>
${head}
</head>
<body>
<div id="app"></div>
`;
  if (resources.kind === 'linked') {
    yield `<script nonce="${nonce}" src="${escapeHtml(resources.scriptUri)}"></script>`;
  } else {
    yield `<script type="application/json" id="${reportDataId}">`;
    if (typeof resources.data === 'string') yield safeJson(resources.data);
    else for (const piece of resources.data) yield safeJson(piece);
    yield `</script>\n<script nonce="${nonce}">${safeScript(resources.script)}</script>`;
  }
  yield `
</body>
</html>
`;
}
