// What the timeline tests share: the extension's API, settings changed for a test and put
// back, and the examples folder's files.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PodtraceApi } from '../../../src/extension/extension';

export const extensionId = 'podtrace.podtrace';

export async function podtraceApi(): Promise<PodtraceApi> {
  const extension = vscode.extensions.getExtension<PodtraceApi>(extensionId);
  assert.ok(extension, `expected extension ${extensionId} in the development host`);
  return extension.isActive ? extension.exports : extension.activate();
}

export function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'expected the examples folder to be open as the workspace');
  return vscode.Uri.file(path.join(folder.uri.fsPath, relative));
}

/** Sets podtrace settings in the user's settings for the length of `body`, then puts them back. */
export async function withSettings<T>(values: Record<string, unknown>, body: () => Promise<T>): Promise<T> {
  const config = () => vscode.workspace.getConfiguration('podtrace');
  const before = Object.fromEntries(Object.keys(values).map((k) => [k, config().inspect(k)?.globalValue]));
  for (const [key, value] of Object.entries(values))
    await config().update(key, value, vscode.ConfigurationTarget.Global);
  try {
    return await body();
  } finally {
    for (const [key, value] of Object.entries(before))
      await config().update(key, value, vscode.ConfigurationTarget.Global);
  }
}

/** The open webview tabs of the timeline. */
export function timelineTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('podtrace.timeline'));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
