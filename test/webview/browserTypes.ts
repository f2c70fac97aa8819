/// <reference lib="dom" />
// The browser-side types the tests' page.evaluate bodies use. The tests compile with the
// Node configuration (tsconfig.json); this file adds the DOM's types for the functions that
// run in the page, and the globals the app and the harness put there. The inspection API is
// written out here rather than imported from src/webview, so that a change to its shape,
// which other tests and the benchmark read, fails these tests first.

export interface InspectedRow {
  readonly label: string;
  readonly kind: 'section' | 'lane' | 'pod' | 'object';
  readonly y: number;
  readonly height: number;
}

export interface TimelineInspection {
  readonly eventCount: number;
  readonly rowCount: number;
  rows(): InspectedRow[];
  eventPosition(id: number): { x: number; y: number } | undefined;
  readonly selectedEventId: number | undefined;
  viewport(): { startMs: number; endMs: number };
  readonly frames: number;
  tableEventIds(): number[];
  highlightedRows(): string[];
}

declare global {
  interface Window {
    __podtraceTimeline?: TimelineInspection;
    /** What the app posted to the mocked host (the harness's acquireVsCodeApi). */
    __posted?: { type: string; [key: string]: unknown }[];
    __pwned?: unknown;
  }
}
