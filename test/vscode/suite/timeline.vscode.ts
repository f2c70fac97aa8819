// The timeline panel in a real VS Code: Apply streams a trace into it, an event reveals its
// YAML, the cursor's object is posted to the app, theme changes reach it, a reloaded app gets
// the trace again, runtime findings become diagnostics of their own, a 2,000-pod run leaves
// the editor responsive and Cancel stops it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type {
  HostToWebviewMessage,
  TraceFinishedNotification,
  TraceResetNotification,
} from '../../../src/protocol/messages';
import { TraceChunkDecoder } from '../../../src/protocol/traceChunkDecoder';
import { test, waitFor } from './harness';
import { podtraceApi, sleep, timelineTabs, withSettings, workspaceFile } from './podtraceApi';
import { regExpOf } from '../../regExpOf';

interface ApplyResult {
  readonly applied: boolean;
  readonly target: string;
  readonly events: number;
  readonly pods: number;
  readonly ready: number;
  readonly stopped: string;
}

function apply(uri?: vscode.Uri): Thenable<ApplyResult> {
  return vscode.commands.executeCommand<ApplyResult>('podtrace.applyToCluster', ...(uri ? [uri] : []));
}

/** The current trace's events, decoded from the chunks the panel holds. */
async function decodedTrace(): Promise<TraceChunkDecoder> {
  const api = await podtraceApi();
  const decoder = new TraceChunkDecoder();
  for (const m of api.timeline.traceMessages) if (m.type === 'eventsAppended') decoder.append(m.chunk);
  return decoder;
}

function runtimeDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'podtrace runtime');
}

const rangeOf = (r: vscode.Range) => [r.start.line, r.start.character, r.end.line, r.end.character];

/** Many Deployments of many replicas, small enough that every pod fits on `nodes` nodes. */
function manyPods(deployments: number, replicas: number): string {
  return Array.from({ length: deployments }, (_, i) =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      `metadata: {name: load-${i}}`,
      'spec:',
      `  replicas: ${replicas}`,
      `  selector: {matchLabels: {app: load-${i}}}`,
      '  template:',
      `    metadata: {labels: {app: load-${i}}}`,
      '    spec:',
      '      containers:',
      '        - name: app',
      '          image: nginx:1.27',
      '          resources: {requests: {cpu: 10m, memory: 16Mi}}',
    ].join('\n'),
  ).join('\n---\n');
}

test('the timeline streams the trace while it runs, then finishes it; the app has it all', async () => {
  const api = await podtraceApi();
  await withSettings({ 'timeline.speed': 10 }, async () => {
    const uri = workspaceFile('web/deployment.yaml');
    // The app loaded first, so that every chunk is posted as it comes.
    await vscode.commands.executeCommand('podtrace.showTimeline');
    await waitFor('the app to load', () => (api.timeline.appReady ? true : undefined));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), vscode.ViewColumn.One);
    const posted: { type: string; live: boolean }[] = [];
    const listener = api.timeline.onDidPost((m) =>
      posted.push({ type: m.type, live: api.traces.activeTrace !== undefined }),
    );
    try {
      const result = await apply(uri);
      assert.deepEqual([result.pods, result.ready, result.stopped], [3, 3, 'quiescent']);
      await waitFor('the end of the trace posted to the app', () =>
        posted[posted.length - 1]?.type === 'traceFinished' ? true : undefined,
      );
    } finally {
      listener.dispose();
    }
    const messages = api.timeline.traceMessages;
    assert.equal(messages[0].type, 'traceReset');
    assert.equal(messages[messages.length - 1].type, 'traceFinished');
    assert.ok(
      messages.filter((m) => m.type === 'eventsAppended').length >= 5,
      'expected the trace in several chunks, one per tick',
    );
    const reset = messages[0] as Extract<HostToWebviewMessage, { type: 'traceReset' }>;
    assert.deepEqual(
      { target: reset.meta.target, files: reset.meta.files, nodes: reset.meta.nodes, live: reset.live },
      { target: 'embedded simulator', files: [uri.fsPath], nodes: 3, live: true },
    );
    // Chunks reached the app while the run was live, not all at the end.
    const live = posted.filter((p) => p.type === 'eventsAppended' && p.live).length;
    assert.ok(live >= 3, `expected chunks posted during the run, got ${live} of ${posted.length} posts`);
    assert.deepEqual(
      posted.filter((p) => p.type !== 'sourceSelectionChanged').map((p) => p.type),
      messages.map((m) => m.type),
      'expected the app to get the whole trace, in order',
    );
    const decoder = await decodedTrace();
    assert.equal(decoder.events.length > 50, true);
    assert.ok(
      decoder.sources.every((s) => s.file === uri.fsPath),
      'expected every source to name the document by its path',
    );
  });
});

test("the panel's page: a nonce-based policy, no inline script, nothing from anywhere but the extension", async () => {
  const api = await podtraceApi();
  await apply(workspaceFile('web/deployment.yaml'));
  const html = api.timeline.pageHtml;
  const cspSource = api.timeline.cspSource;
  assert.ok(html && cspSource, 'expected the timeline panel to be open');
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)];
  assert.equal(metas.length, 1, 'one policy');
  const policy = metas[0][1].replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const directives = new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  const scriptNonce = /^'nonce-([A-Za-z0-9+/=]{16,})'$/.exec(directives.get('script-src')?.join(' ') ?? '')?.[1];
  assert.ok(
    scriptNonce,
    `expected script-src to allow one nonce and nothing else, got ${JSON.stringify(directives.get('script-src'))}`,
  );
  // Every source the policy names is the webview's own (VS Code serves the extension's files
  // from it: `'self' https://*.vscode-cdn.net` here) or a nonce.
  const own = new Set(cspSource.split(/\s+/));
  for (const [name, values] of directives) {
    for (const v of values)
      assert.ok(
        v === "'none'" || v === 'data:' || own.has(v) || /^'nonce-[A-Za-z0-9+/=]+'$/.test(v),
        `${name} allows ${v}: expected only 'none', data:, nonces and ${cspSource}`,
      );
  }
  assert.doesNotMatch(policy, /unsafe-|\*(?!\.vscode)/, 'nothing unsafe, no wildcard of its own');
  // Scripts: each has the nonce and a source, and no inline body; none is an event handler.
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length >= 1);
  for (const [, attributes, body] of scripts) {
    assert.match(attributes, new RegExp(`nonce="${scriptNonce.replace(/[+/=]/g, (c) => `\\${c}`)}"`));
    assert.match(attributes, /src="[^"]+\/dist\/webview\/timeline\.js"/);
    assert.equal(body.trim(), '', 'no inline script');
  }
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handler');
  assert.doesNotMatch(html, /(src|href)="https?:\/\/(?![^"]*dist\/webview)/, 'no resource from outside dist/webview');
});

test('revealing an event selects its YAML range in the column the trace was applied from', async () => {
  const api = await podtraceApi();
  const uri = workspaceFile('web/deployment.yaml');
  const decoder = await decodedTrace();
  const pulling = decoder.events.find((e) => e.reason === 'Pulling' && e.source !== undefined);
  assert.ok(pulling, 'expected a Pulling event with a source in the last trace (examples/web)');
  const source = decoder.sources[pulling.source!];
  assert.equal(source.path, 'spec.template.spec.containers[0].image');
  await vscode.commands.executeCommand('podtrace.showTimeline');
  api.timeline.handleWebviewMessage({ type: 'revealSource', eventId: pulling.id, source });
  const editor = await waitFor('the editor to select the image', () => {
    const e = vscode.window.activeTextEditor;
    return e?.document.uri.toString() === uri.toString() && !e.selection.isEmpty ? e : undefined;
  });
  assert.deepEqual(rangeOf(editor.selection), [
    source.line - 1,
    source.column - 1,
    source.endLine - 1,
    source.endColumn - 1,
  ]);
  assert.equal(editor.document.getText(editor.selection), 'image: nginx:1.27');
  assert.equal(editor.viewColumn, vscode.ViewColumn.One);
});

test('the cursor in a traced manifest is posted with its YAML document; a theme change is posted', async () => {
  const api = await podtraceApi();
  await withSettings({ 'timeline.speed': 50 }, async () => {
    const uri = workspaceFile('mistakes/readiness-wrong-port.yaml');
    const editor = await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument(uri),
      vscode.ViewColumn.One,
    );
    await apply(uri);
    await waitFor('the app to be loaded', () => (api.timeline.appReady ? true : undefined));
    const posted: HostToWebviewMessage[] = [];
    const listener = api.timeline.onDidPost((m) => posted.push(m));
    try {
      // Line 44 (1-based) is in the Service, the second document, which starts at its `---` (line 37).
      editor.selection = new vscode.Selection(43, 4, 43, 4);
      const selection = await waitFor('the selection to be posted', () =>
        posted.find((m) => m.type === 'sourceSelectionChanged' && m.selection?.line === 44),
      );
      assert.deepEqual(selection, {
        type: 'sourceSelectionChanged',
        selection: {
          file: uri.fsPath,
          line: 44,
          column: 5,
          documentStartLine: 37,
          documentEndLine: editor.document.lineCount,
        },
      });
      const workbench = vscode.workspace.getConfiguration('workbench');
      const before = workbench.inspect('colorTheme')?.globalValue;
      // Whichever kind of theme the workbench starts with, switch to the other.
      const toDark = vscode.window.activeColorTheme.kind === vscode.ColorThemeKind.Light;
      await workbench.update(
        'colorTheme',
        toDark ? 'Default Dark Modern' : 'Default Light Modern',
        vscode.ConfigurationTarget.Global,
      );
      try {
        await waitFor('themeChanged to be posted', () =>
          posted.find((m) => m.type === 'themeChanged' && m.theme === (toDark ? 'dark' : 'light')),
        );
      } finally {
        await workbench.update('colorTheme', before, vscode.ConfigurationTarget.Global);
      }
    } finally {
      listener.dispose();
    }
  });
});

test('a readiness probe on a port nothing listens on: a podtrace \
runtime diagnostic on the probe, cleared by an edit', async () => {
  const uri = workspaceFile('mistakes/readiness-wrong-port.yaml');
  await withSettings({ 'timeline.speed': 50 }, async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const result = await apply(uri);
    assert.deepEqual([result.pods, result.ready], [2, 0]);
    const [d, ...rest] = await waitFor('a runtime diagnostic', () =>
      runtimeDiagnostics(uri).length ? runtimeDiagnostics(uri) : undefined,
    );
    assert.deepEqual(rest, []);
    assert.equal(document.lineAt(25).text, '          readinessProbe:');
    assert.deepEqual(rangeOf(d.range), [25, 10, 25, 24]);
    assert.equal(d.code, 'ReadinessProbeFailed');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(
      d.message,
      regExpOf(
        /^2 pods \(default\/api-\S+, default\/api-\S+\) never became ready: /,
        /this readiness probe never passed\. Unhealthy: Readiness probe failed: /,
        /Get "http:\/\/[\d.]+:8080\/healthz": dial tcp [\d.]+:8080: connect: connection refused$/,
      ),
    );
    // Validation's own diagnostics are apart: none of them is podtrace runtime.
    assert.ok(
      vscode.languages
        .getDiagnostics(uri)
        .filter((x) => x.source === 'podtrace')
        .every((x) => x.code !== 'ReadinessProbeFailed'),
    );
    // Applying again clears them as the run starts; the run brings them back.
    const counts: number[] = [];
    const watching = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) counts.push(runtimeDiagnostics(uri).length);
    });
    try {
      await apply(uri);
      await waitFor('the runtime diagnostic back after the second run', () =>
        counts[counts.length - 1] === 1 ? true : undefined,
      );
    } finally {
      watching.dispose();
    }
    assert.ok(
      counts.indexOf(0) >= 0 && counts.indexOf(0) < counts.lastIndexOf(1),
      `expected the findings cleared, then shown again; the counts went ${JSON.stringify(counts)}`,
    );
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '# edited\n'));
    await waitFor('the runtime diagnostic to clear after an edit', () =>
      runtimeDiagnostics(uri).length === 0 ? true : undefined,
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(document.isDirty, false);
  });
});

test('an unsaved manifest is traced and its events reveal its YAML', async () => {
  const api = await podtraceApi();
  const text =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: scratch\nspec:\n' +
    '  containers:\n    - name: app\n      image: busybox:1.36\n';
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
  await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
  await withSettings({ 'timeline.speed': 50 }, async () => {
    const result = await apply();
    assert.deepEqual([result.applied, result.pods, result.ready], [true, 1, 1]);
  });
  const decoder = await decodedTrace();
  const pulling = decoder.events.find((e) => e.reason === 'Pulling' && e.source !== undefined)!;
  const source = decoder.sources[pulling.source!];
  assert.equal(source.file, document.uri.path, 'an untitled document is named by its URI path');
  api.timeline.handleWebviewMessage({ type: 'revealSource', eventId: pulling.id, source });
  const editor = await waitFor('the untitled editor to select the image', () => {
    const e = vscode.window.activeTextEditor;
    return e?.document === document && !e.selection.isEmpty ? e : undefined;
  });
  assert.equal(editor.document.getText(editor.selection), 'image: busybox:1.36');
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
});

test('files selected together in the explorer are applied together, each named by its path', async () => {
  const api = await podtraceApi();
  const deployment = workspaceFile('web/deployment.yaml');
  const service = workspaceFile('web/service.yaml');
  await withSettings({ 'timeline.speed': 50 }, async () => {
    // The explorer's context menu passes the clicked file and the whole selection.
    const result = await vscode.commands.executeCommand<ApplyResult>('podtrace.applyToCluster', deployment, [
      deployment,
      service,
    ]);
    assert.deepEqual([result.pods, result.ready, result.stopped], [3, 3, 'quiescent']);
  });
  const reset = api.timeline.traceMessages[0] as Extract<HostToWebviewMessage, { type: 'traceReset' }>;
  assert.deepEqual(reset.meta.files, [deployment.fsPath, service.fsPath]);
  const decoder = await decodedTrace();
  assert.deepEqual([...new Set(decoder.sources.map((s) => s.file))].sort(), [deployment.fsPath, service.fsPath].sort());
  // With the Service, the pods go on to be in its endpoints.
  assert.ok(
    [...decoder.pods.values()].every((p) => p.phases.inEndpoints !== null),
    "expected every pod in the Service's endpoints",
  );
});

test('messages from the app that do not validate are dropped with the reason', async () => {
  const api = await podtraceApi();
  const reasons: string[] = [];
  const listener = api.timeline.onDidDropMessage((r) => reasons.push(r));
  try {
    api.timeline.handleWebviewMessage({
      type: 'revealSource',
      eventId: -1,
      source: { file: 'a.yaml', line: 1, column: 1, endLine: 1, endColumn: 2 },
    });
    api.timeline.handleWebviewMessage({ type: 'runControl', action: 'explode' });
    api.timeline.handleWebviewMessage('ready');
  } finally {
    listener.dispose();
  }
  assert.deepEqual(reasons, [
    'revealSource: eventId: expected an integer ≥ 0',
    'runControl: action: expected one of skipToEnd, cancel',
    'message: expected an object',
  ]);
});

test('a closed timeline reopens with the last trace, replayed to the app from the start', async () => {
  const api = await podtraceApi();
  for (const tab of timelineTabs()) await vscode.window.tabGroups.close(tab);
  await waitFor('the panel to close', () => (api.timeline.isOpen ? undefined : true));
  const posted: HostToWebviewMessage[] = [];
  const listener = api.timeline.onDidPost((m) => posted.push(m));
  try {
    await vscode.commands.executeCommand('podtrace.showTimeline');
    await waitFor('the trace replayed', () => (posted.some((m) => m.type === 'traceFinished') ? true : undefined));
  } finally {
    listener.dispose();
  }
  const trace = api.timeline.traceMessages;
  assert.deepEqual(
    posted.filter((m) => m.type !== 'sourceSelectionChanged' && m.type !== 'themeChanged').map((m) => m.type),
    trace.map((m) => m.type),
  );
});

test('filters outlive the panel: closed and applied again, the new panel starts with the last filters', async () => {
  const api = await podtraceApi();
  const filters = { hiddenLanes: ['kubelet', 'cni'], severity: 'warning', text: 'probe', object: 'pod/' } as const;
  const none = { hiddenLanes: [], severity: 'all', text: '', object: '' } as const;
  await vscode.commands.executeCommand('podtrace.showTimeline');
  await waitFor('the app to load', () => (api.timeline.appReady ? true : undefined));
  // What the app posts when the user changes a filter (the webview delivers it here).
  api.timeline.handleWebviewMessage({ type: 'filtersChanged', filters });
  try {
    for (const tab of timelineTabs()) await vscode.window.tabGroups.close(tab);
    await waitFor('the panel to close', () => (api.timeline.isOpen ? undefined : true));
    const posted: HostToWebviewMessage[] = [];
    const listener = api.timeline.onDidPost((m) => posted.push(m));
    try {
      await withSettings({ 'timeline.speed': 50 }, async () => apply(workspaceFile('web/deployment.yaml')));
      const reset = await waitFor('the new panel to get the trace', () =>
        posted.find((m): m is TraceResetNotification => m.type === 'traceReset'),
      );
      assert.deepEqual(reset.filters, filters);
    } finally {
      listener.dispose();
    }
    // The trace the panel keeps (what exports and replays are made of) is the trace alone.
    const kept = api.timeline.traceMessages[0] as TraceResetNotification;
    assert.equal(kept.filters, undefined);
  } finally {
    api.timeline.handleWebviewMessage({ type: 'filtersChanged', filters: none });
  }
  assert.deepEqual(api.timeline.lastFilters, none);
});

test('Skip to End runs the rest of a slow trace at once', async () => {
  await withSettings({ 'timeline.speed': 0.1 }, async () => {
    const api = await podtraceApi();
    const running = apply(workspaceFile('web/deployment.yaml'));
    await waitFor('the run to start', () => (api.traces.activeTrace ? true : undefined));
    await sleep(300);
    const skipped = Date.now();
    assert.equal(await vscode.commands.executeCommand('podtrace.skipToEnd'), true);
    const result = await running;
    assert.deepEqual([result.stopped, result.ready], ['quiescent', 3]);
    assert.ok(
      Date.now() - skipped < 10_000,
      `expected the rest at once, it took ${Date.now() - skipped} ms (at speed 0.1 it would take over 80 s)`,
    );
  });
});

test('a new Apply while one runs cancels the old run first', async () => {
  await withSettings({ 'timeline.speed': 0.1 }, async () => {
    const api = await podtraceApi();
    const first = apply(workspaceFile('web/deployment.yaml'));
    await waitFor('the first run to start', () => (api.traces.activeTrace ? true : undefined));
    const second = apply(workspaceFile('mistakes/readiness-wrong-port.yaml'));
    assert.equal((await first).stopped, 'cancelled');
    assert.equal(await vscode.commands.executeCommand('podtrace.cancelTrace'), true);
    assert.equal((await second).stopped, 'cancelled');
    assert.equal(await vscode.commands.executeCommand('podtrace.cancelTrace'), false, 'nothing left to cancel');
  });
});

test('Cancel while the timeline shows the run: the app \
gets traceFinished (cancelled) and no chunk after it', async () => {
  const api = await podtraceApi();
  await withSettings({ 'timeline.speed': 0.5 }, async () => {
    await vscode.commands.executeCommand('podtrace.showTimeline');
    await waitFor('the app to load', () => (api.timeline.appReady ? true : undefined));
    const posted: HostToWebviewMessage[] = [];
    const listener = api.timeline.onDidPost((m) => posted.push(m));
    try {
      const running = apply(workspaceFile('web/deployment.yaml'));
      await waitFor('chunks on their way to the app', () =>
        posted.filter((m) => m.type === 'eventsAppended').length >= 3 ? true : undefined,
      );
      const session = api.traces.activeTrace!.session;
      assert.equal(await vscode.commands.executeCommand('podtrace.cancelTrace'), true);
      assert.equal((await running).stopped, 'cancelled');
      assert.equal(await session.workerExited, 1, 'expected the worker to end');
      await sleep(500);
    } finally {
      listener.dispose();
    }
    const finished = posted.filter((m): m is TraceFinishedNotification => m.type === 'traceFinished');
    assert.deepEqual(
      finished.map((m) => m.stopReason),
      ['cancelled'],
    );
    assert.equal(
      posted[posted.length - 1],
      finished[0],
      `expected nothing after traceFinished, got ${posted
        .slice(posted.indexOf(finished[0]) + 1)
        .map((m) => m.type)
        .join(', ')}`,
    );
  });
});

/** Runs `commands` over and over for `ms`, and returns the slowest answer of each, in ms. */
async function slowestAnswers(
  ms: number,
  commands: readonly (readonly [string, (i: number) => readonly unknown[]])[],
): Promise<Record<string, number>> {
  const slowest: Record<string, number> = Object.fromEntries(commands.map(([id]) => [id, 0]));
  const until = Date.now() + ms;
  for (let i = 0; Date.now() < until; i++) {
    for (const [id, args] of commands) {
      const started = performance.now();
      await vscode.commands.executeCommand(id, ...args(i));
      slowest[id] = Math.max(slowest[id], performance.now() - started);
    }
    await sleep(50);
  }
  return slowest;
}

/** Measures how late a 10 ms timer of the extension host fires, until stopped: the worst and the 99th percentile. */
function eventLoopLag(): { stop(): { max: number; p99: number } } {
  const lags: number[] = [];
  let expected = performance.now() + 10;
  const timer = setInterval(() => {
    lags.push(Math.max(0, performance.now() - expected));
    expected = performance.now() + 10;
  }, 10);
  return {
    stop: () => {
      clearInterval(timer);
      const sorted = lags.sort((a, b) => a - b);
      return {
        max: Math.round(sorted[sorted.length - 1] ?? 0),
        p99: Math.round(sorted[Math.floor(sorted.length * 0.99)] ?? 0),
      };
    },
  };
}

test('a 2,000-pod manifest: commands answer within 100 ms during the run, and Cancel stops it', async () => {
  const api = await podtraceApi();
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: manyPods(20, 100) });
  await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
  await withSettings({ 'timeline.speed': 0.5, 'simulator.nodes': 25 }, async () => {
    const commands = [
      ['podtrace.showOutput', () => []],
      ['setContext', (i: number) => ['podtrace.responsivenessProbe', i]],
    ] as const;
    // The same measures without a trace, for the log: what the shared machine gives anyway.
    const baselineLoop = eventLoopLag();
    const baseline = { slowest: await slowestAnswers(2500, commands), lag: baselineLoop.stop() };
    const running = apply();
    await waitFor('the run to start', () => (api.traces.activeTrace ? true : undefined));
    // The timeline stays in view beside the editor and draws the trace as it streams in: what
    // is measured is the extension host and the workbench while the app renders in the
    // workbench's browser.
    await waitFor(
      'the first pods of the trace',
      () =>
        api.timeline.traceMessages.some((m) => m.type === 'eventsAppended' && m.chunk.pods.length > 0)
          ? true
          : undefined,
      20_000,
    );
    // Past the first burst (the 2,000 pods are created and scheduled in the first second of
    // virtual time), into the long part of the run: pulls, starts, probes, endpoints.
    await waitFor(
      'the run past its first 1.5 s',
      () => ((api.traces.activeTrace?.session.clockMs ?? 0) > 1500 ? true : undefined),
      20_000,
    );
    // podtrace's own command (answered in the extension host) and a round trip to the workbench,
    // over windows of 2.5 s: the first window in which every answer came within 100 ms (and
    // the host's timers were on time) passes, out of at most five. The machine is shared, and
    // its scheduler can hold any process for a moment (with a load average of 10, the same
    // round trip took 118 ms without any trace); a host kept busy by the trace would miss
    // every window.
    const windows: { slowest: Record<string, number>; lag: { max: number; p99: number } }[] = [];
    const clean = (w: (typeof windows)[number]) => Object.values(w.slowest).every((ms) => ms < 100) && w.lag.max < 100;
    while (windows.length < 5 && !windows.some(clean)) {
      const loop = eventLoopLag();
      const slowest = await slowestAnswers(2500, commands);
      windows.push({ slowest, lag: loop.stop() });
    }
    if (!api.traces.activeTrace)
      assert.fail(
        'expected the run to be still going: the pace is too fast for this test; ' +
          `it ended with ${JSON.stringify(await running)}`,
      );
    const clockAtCancel = api.traces.activeTrace.session.clockMs;
    const active = api.traces.activeTrace;
    const kept = api.timeline.traceMessages.length;
    assert.equal(await vscode.commands.executeCommand('podtrace.cancelTrace'), true);
    const result = await running;
    assert.equal(await active.session.workerExited, 1, 'expected the worker to end');
    await sleep(500);
    // What the panel keeps is what the app gets when it comes back: the chunks so far, then
    // traceFinished (cancelled), and nothing after it.
    const trace = api.timeline.traceMessages;
    assert.deepEqual(
      trace.slice(kept).map((m) => (m.type === 'traceFinished' ? m.stopReason : m.type)),
      ['cancelled'],
    );
    assert.equal(result.stopped, 'cancelled');
    assert.ok(result.pods > 0 && result.pods <= 2000, `expected part of the 2,000 pods, got ${result.pods}`);
    const chunks = trace.filter((m) => m.type === 'eventsAppended').length;
    const describe = (w: (typeof windows)[number]) =>
      `${JSON.stringify(Object.fromEntries(Object.entries(w.slowest).map(([k, v]) => [k, Math.round(v)])))}, ` +
      `event-loop lag ${w.lag.p99} ms at the 99th percentile and ${w.lag.max} ms at worst`;
    const described = windows.map(describe);
    console.log(
      'podtrace responsiveness, slowest answers in ms per window of 2.5 s: without a trace ' +
        `${describe(baseline)}; during a 2,000-pod run ${described.join('; ')}; cancelled at ` +
        `${(clockAtCancel / 1000).toFixed(1)} s virtual after ${chunks} chunks, ${result.events} events`,
    );
    assert.ok(
      windows.some(clean),
      'expected a window of 2.5 s in which every command answered within 100 ms and ' +
        `the extension host's timers were never 100 ms late, got ${described.join('; ')}`,
    );
  });
  await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
});
