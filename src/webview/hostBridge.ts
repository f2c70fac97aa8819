// How the app talks to where it runs. In a VS Code webview: `acquireVsCodeApi()` posts to the
// extension host and keeps state across reloads, and host messages arrive as window
// `message` events. In the HTML report there is no host: the trace is the report's data block
// (the same host messages), nothing is posted, and state lives in sessionStorage.
import {
  parseHostMessage,
  reportDataProblem,
  type HostToWebviewMessage,
  type ReportData,
  type WebviewToHostMessage,
} from '../protocol/messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The id of the report's data block (src/report/timelinePage.ts writes it). */
const reportDataId = 'podtrace-report-data';
/** Per report file: two reports opened in one tab keep their views apart. */
const sessionKey = (): string => `podtrace.timeline.state:${location.pathname}`;

export interface HostBridge {
  /** 'vscode': a host answers; 'report': a finished trace in a page of its own. */
  readonly kind: 'vscode' | 'report';
  post(message: WebviewToHostMessage): void;
  loadState(): unknown;
  saveState(state: unknown): void;
  /**
   * Starts delivering host messages; each is validated first
   * and dropped with a logged reason when it does not validate.
   */
  listen(handle: (message: HostToWebviewMessage) => void): void;
}

export function connectHost(doc: Document): HostBridge {
  const data = doc.getElementById(reportDataId);
  if (typeof acquireVsCodeApi === 'function' && !data) return vscodeBridge(acquireVsCodeApi());
  return reportBridge(data);
}

function receive(data: unknown, handle: (message: HostToWebviewMessage) => void, from: string): void {
  const parsed = parseHostMessage(data);
  if (parsed.ok) handle(parsed.message);
  else console.warn(`podtrace timeline: dropped a message from ${from}: ${parsed.reason}`);
}

function vscodeBridge(api: VsCodeApi): HostBridge {
  return {
    kind: 'vscode',
    post: (message) => api.postMessage(message),
    loadState: () => api.getState(),
    saveState: (state) => api.setState(state),
    listen(handle) {
      window.addEventListener('message', (event: MessageEvent) => receive(event.data, handle, 'the host'));
      api.postMessage({ type: 'ready' } satisfies WebviewToHostMessage);
    },
  };
}

function reportBridge(data: HTMLElement | null): HostBridge {
  return {
    kind: 'report',
    post: () => undefined,
    loadState() {
      try {
        const text = sessionStorage.getItem(sessionKey());
        return text === null ? undefined : (JSON.parse(text) as unknown);
      } catch {
        // Storage can be unavailable (a file:// page with storage blocked): start fresh.
        return undefined;
      }
    },
    saveState(state) {
      try {
        sessionStorage.setItem(sessionKey(), JSON.stringify(state));
      } catch {
        // Not kept: the report still works, it only forgets the view on reload.
      }
    },
    listen(handle) {
      if (!data) {
        console.warn(`podtrace report: expected a data block #${reportDataId}, found none`);
        return;
      }
      let report: unknown;
      try {
        report = JSON.parse(data.textContent ?? '');
      } catch (error) {
        console.warn(`podtrace report: its data block is not JSON: ${(error as Error).message}`);
        return;
      }
      const problem = reportDataProblem(report);
      if (problem) {
        console.warn(`podtrace report: its data block is not a trace: ${problem}`);
        return;
      }
      (report as ReportData).messages.forEach((m, i) => receive(m, handle, `the report's data block (message ${i})`));
    },
  };
}
