// What the parts of the timeline app (the selector, the view control, the saved view being
// restored) need of the app and of each other, as interfaces. They import these instead of
// timelineApp.ts, which builds them, so that the app and its parts form no import cycle.
import type { ScreenReaderMirror } from './accessibility';
import type { DetailPane } from './detailPane';
import type { Entity } from './entities';
import type { HostBridge } from './hostBridge';
import type { Renderer } from './renderer';
import type { Scene } from './scene';
import type { TableView } from './tableView';
import type { Toolbar } from './toolbar';
import type { ViewMode } from './viewState';

/** The view control as the selector and the restore use it. */
export interface ViewMoves {
  /** Whether the view follows the end of a live trace. */
  follow: boolean;
  /** Whether the window was set for this trace (by the user or a restore), so it is neither fitted nor followed. */
  viewSet: boolean;
  userMoved(): void;
  scrollRowIntoView(row: number): void;
}

/** The selector as the restore uses it. */
export interface Selection {
  event(id: number, rowKey: string | null, bringIntoView: boolean): void;
  row(rowIndex: number): void;
  toggleCriticalPath(entity: Entity | null): void;
}

/** What the view control needs of the app. */
export interface ViewHost {
  readonly scene: Scene;
  readonly toolbar: Toolbar;
  /** Something in the view changed: draw again and save the state. */
  changed(): void;
}

/** What the selector needs of the app. */
export interface SelectionHost {
  readonly scene: Scene;
  readonly bridge: HostBridge;
  readonly detail: DetailPane;
  readonly mirror: ScreenReaderMirror;
  readonly table: TableView;
  readonly mode: ViewMode;
  readonly view: ViewMoves;
  layoutIfDirty(): void;
  selectionChanged(): void;
}

/** What restoring a saved view needs of the app. */
export interface RestoreHost {
  readonly scene: Scene;
  readonly renderer: Renderer;
  readonly selector: Selection;
  readonly view: ViewMoves;
  layoutIfDirty(): void;
}
