// The timeline app's entry: wires the host (VS Code or the report's data block), the state,
// the canvas's input, the theme watchers and the inspection API, then asks for the trace.
import './timeline.css';
import { registerControls } from './controls';
import { connectHost } from './hostBridge';
import { attachInput } from './input';
import { installInspection, timelineInspection } from './inspection';
import { watchTheme } from './theme';
import { TimelineState } from './timelineApp';
import { timelineActions } from './timelineActions';
import { buildTimelineDom } from './timelineDom';
import { parseViewState } from './viewState';

/** The width of the rows' scrollbar beside the canvas (timeline.css's .vscroll). */
const scrollbarWidth = 12;

function startTimelineApp(root: HTMLElement): TimelineState {
  registerControls();
  const bridge = connectHost(document);
  const dom = buildTimelineDom(root);
  const app = new TimelineState(dom, bridge, parseViewState(bridge.loadState()));
  attachInput(dom.canvas, timelineActions(app));
  dom.scrollbar.addEventListener('scroll', () => {
    // A frame moves the scrollbar to the rows' (rounded) scroll, and the scrollbar then fires
    // this: only a move by the user, a pixel or more, is a change.
    const dy = dom.scrollbar.scrollTop - app.scene.geometry.scrollTop;
    if (Math.abs(dy) >= 1) app.view.scrollRows(dy);
  });
  const resize = (): void =>
    app.renderer.resize(dom.canvasBox.clientWidth - scrollbarWidth, dom.canvasBox.clientHeight);
  new ResizeObserver(resize).observe(dom.canvasBox);
  resize();
  watchTheme(document.body, () => app.themeChanged());
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => app.themeChanged());
  installInspection(timelineInspection(app));
  bridge.listen((message) => app.handle(message));
  return app;
}

const root = document.getElementById('app');
if (root) startTimelineApp(root);
