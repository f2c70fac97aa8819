// The rows and events that the YAML cursor points at: every source range in the cursor's
// YAML document, and every object with an event mapped into it (a Deployment's document
// takes in its ReplicaSets and pods, whose events map to its pod template).
import type { SourceSelection } from '../protocol/messages';
import type { SourceHighlight } from './scene';
import type { TraceStore } from './traceStore';

export function sourceHighlight(store: TraceStore, selection: SourceSelection | null): SourceHighlight | null {
  if (!selection) return null;
  const sources = new Uint8Array(store.sources.length);
  let any = false;
  store.sources.forEach((s, i) => {
    if (s.file === selection.file && s.line >= selection.documentStartLine && s.line <= selection.documentEndLine) {
      sources[i] = 1;
      any = true;
    }
  });
  const entities = new Uint8Array(store.entities.list.length);
  let count = 0;
  if (any) {
    const { source, object, entityOf } = store;
    for (let id = 0; id < store.count; id++) {
      const s = source[id];
      if (s < 0 || sources[s] === 0) continue;
      const e = entityOf[object[id]];
      if (entities[e] === 0) {
        entities[e] = 1;
        count++;
      }
    }
  }
  return { entities, sources, count };
}
