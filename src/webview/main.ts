// The timeline app's entry. It renders only what the host sends, always as text.
import './timeline.css';
import { assertNever, parseHostMessage, reportDataProblem, type HostToWebviewMessage, type ReportData } from '../protocol/messages';
import { TraceChunkDecoder } from '../protocol/traceColumns';
import type { TraceEvent } from '../core/trace/traceEvent';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

function hostApi(): VsCodeApi | undefined {
  return typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
}

function cell(row: HTMLTableRowElement, text: string): void {
  const td = row.insertCell();
  td.textContent = text;
}

function renderEvents(table: HTMLTableElement, events: readonly TraceEvent[]): void {
  const body = table.tBodies[0] ?? table.createTBody();
  for (const event of events) {
    const row = body.insertRow();
    row.dataset.eventId = String(event.id);
    if (event.severity === 'Warning') row.classList.add('warning');
    cell(row, `${(event.time / 1000).toFixed(3)} s`);
    cell(row, event.lane);
    cell(row, `${event.object.kind}/${event.object.name}`);
    cell(row, event.reason);
    cell(row, event.message);
  }
}

export function startTimelineApp(root: HTMLElement, api: VsCodeApi | undefined): void {
  const title = document.createElement('h1');
  title.textContent = 'Podtrace timeline';
  const empty = document.createElement('p');
  empty.textContent = 'No trace yet. Apply a manifest to see what the cluster does with it.';
  const table = document.createElement('table');
  table.setAttribute('aria-label', 'Trace events');
  const header = table.createTHead().insertRow();
  for (const name of ['time', 'lane', 'object', 'reason', 'message']) {
    const th = document.createElement('th');
    th.textContent = name;
    header.appendChild(th);
  }
  root.replaceChildren(title, empty, table);
  let decoder = new TraceChunkDecoder();

  const handle = (message: HostToWebviewMessage): void => {
    switch (message.type) {
      case 'traceReset':
        title.textContent = message.title;
        table.tBodies[0]?.remove();
        decoder = new TraceChunkDecoder();
        break;
      case 'eventsAppended': {
        const from = decoder.events.length;
        decoder.append(message.chunk);
        renderEvents(table, decoder.events.slice(from));
        break;
      }
      case 'traceFinished':
      case 'sourceSelectionChanged':
      case 'themeChanged':
        break;
      default:
        assertNever(message);
    }
    empty.hidden = (table.tBodies[0]?.rows.length ?? 0) > 0;
  };

  const receive = (data: unknown): void => {
    const parsed = parseHostMessage(data);
    if (parsed.ok) handle(parsed.message);
    else console.warn(`podtrace timeline: dropped a message from the host: ${parsed.reason}`);
  };
  window.addEventListener('message', (event: MessageEvent) => receive(event.data));
  table.addEventListener('click', (event) => {
    const row = (event.target as HTMLElement).closest('tr');
    const id = row?.dataset.eventId;
    const e = id === undefined ? undefined : decoder.events[Number(id)];
    const source = e?.source === undefined ? undefined : decoder.sources[e.source];
    if (e && source) api?.postMessage({ type: 'revealSource', eventId: e.id, source: { file: source.file, line: source.line, column: source.column, endLine: source.endLine, endColumn: source.endColumn } });
  });
  api?.postMessage({ type: 'ready' });
  // The HTML report: the trace is inlined in a data block the browser never runs.
  const data = document.getElementById('podtrace-report-data');
  if (data) {
    const report = JSON.parse(data.textContent ?? '') as unknown;
    const problem = reportDataProblem(report);
    if (problem) console.warn(`podtrace report: its data block is not a trace: ${problem}`);
    else (report as ReportData).messages.forEach(receive);
  }
}

const root = document.getElementById('app');
if (root) startTimelineApp(root, hostApi());
