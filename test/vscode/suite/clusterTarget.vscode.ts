// Connected clusters in a real VS Code: the target picker lists the contexts of the test
// kubeconfig files (KUBECONFIG, set by test/vscode.test.ts), Apply, Dry Run and Delete on a
// context go through a ClusterTarget after a modal confirmation (answered here through the
// tests' seam), a refusal's causes land on their YAML fields, and the timeline follows the
// target's trace stream. With `podtrace serve` running (PODTRACE_TEST_SERVE_CONTEXT), Apply
// goes through @kubernetes/client-node to it and the timeline shows the pods become ready.
// In an untrusted workspace the same Apply is refused, saying why.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClusterCommandResult } from '../../../src/extension/clusterCommands';
import type { PodtraceApi } from '../../../src/extension/extension';
import { targetPickItems } from '../../../src/extension/targetPicker';
import type { HostToWebviewMessage } from '../../../src/protocol/messages';
import { test, waitFor } from './harness';
import { podtraceApi, workspaceFile } from './podtraceApi';
import { refuseAnnotation, RefusingTarget } from './refusingTarget';

const stagingServer = 'https://staging.podtrace.invalid:6443';

function useStagingStandIn(api: PodtraceApi): RefusingTarget[] {
  const opened: RefusingTarget[] = [];
  api.targets.useFactory(async ({ context }) => {
    const target = new RefusingTarget({
      name: context,
      kind: 'kubeconfig',
      context,
      server: stagingServer,
      namespace: 'web',
    });
    opened.push(target);
    return target;
  });
  return opened;
}

async function restore(api: PodtraceApi): Promise<void> {
  api.traces.cancel();
  api.confirmations.answerWith(undefined);
  api.targets.useFactory(undefined);
  await vscode.commands.executeCommand('podtrace.selectTarget', 'simulator');
}

/**
 * A manifest in a file of its own outside the workspace, so that two tests never share a
 * document (untitled ones reuse their names once closed).
 */
async function scratchDocument(text: string): Promise<vscode.TextDocument> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-cluster-test-'));
  const file = path.join(dir, 'app.yaml');
  fs.writeFileSync(file, text);
  return vscode.workspace.openTextDocument(vscode.Uri.file(file));
}

/** Closes a scratch document without saving (shown first, so that it is the active editor) and removes its file. */
async function closeScratch(document: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  fs.rmSync(path.dirname(document.uri.fsPath), { recursive: true, force: true });
}

function chunks(messages: readonly HostToWebviewMessage[]) {
  return messages.flatMap((m) => (m.type === 'eventsAppended' ? [m.chunk] : []));
}

test('the status bar shows the target; the picker lists every context of KUBECONFIG and the broken file', async () => {
  const api = await podtraceApi();
  assert.equal(api.targetStatusBar.text, '$(server) podtrace-sim');
  const listing = api.targets.listing();
  const items = targetPickItems(listing, api.targets.choice);
  const rows = items.map((i) => `${i.label} | ${i.description ?? ''}`);
  assert.equal(rows[0], '$(server) Embedded simulator | podtrace-sim · selected');
  assert.ok(
    rows.includes('$(cloud) staging | cluster staging-cluster · user alice · namespace web · current-context'),
    rows.join('\n'),
  );
  assert.ok(rows.includes('$(cloud) dev | cluster dev-cluster · user bob · namespace default'), rows.join('\n'));
  const broken = items.find((i) => i.label.startsWith('$(error)'));
  assert.ok(broken?.label.endsWith('broken-kubeconfig.yaml'), rows.join('\n'));
  assert.match(broken?.detail ?? '', /^This kubeconfig file was not read: \d+:\d+: /);
  assert.equal(broken?.choice, undefined, 'a broken file is not a target');
  assert.ok(!JSON.stringify(items).includes('staging-token'), 'expected no credential in the picker');
  const choice = await vscode.commands.executeCommand('podtrace.selectTarget', 'staging');
  assert.deepEqual(choice, { kind: 'kubeconfig', context: 'staging' });
  assert.equal(api.targetStatusBar.text, '$(cloud) staging');
  await assert.rejects(
    Promise.resolve(vscode.commands.executeCommand('podtrace.selectTarget', 'nowhere')),
    /expected "simulator" or a context of .*, found "nowhere"/,
  );
  await vscode.commands.executeCommand('podtrace.selectTarget', 'simulator');
  assert.equal(api.targetStatusBar.text, '$(server) podtrace-sim');
});

test('Apply to a context asks first, naming the context and its cluster; Cancel sends nothing', async () => {
  const api = await podtraceApi();
  const opened = useStagingStandIn(api);
  try {
    await vscode.commands.executeCommand('podtrace.selectTarget', 'staging');
    api.confirmations.answerWith(() => undefined);
    const asked = api.confirmations.asked.length;
    const result = (await vscode.commands.executeCommand(
      'podtrace.applyToCluster',
      workspaceFile('web/deployment.yaml'),
    )) as ClusterCommandResult;
    assert.equal(result.refused, 'cancelled');
    assert.equal(result.sent, false);
    const question = api.confirmations.asked[asked];
    assert.equal(question.message, `Apply 1 object from deployment.yaml to context "staging" (${stagingServer})?`);
    assert.equal(question.button, 'Apply');
    assert.match(
      question.detail,
      /^Cluster "staging-cluster", user "alice", namespace web \(from .*team-kubeconfig\.yaml\)/,
    );
    assert.equal(opened[0]?.stored.size ?? 0, 0, 'expected nothing sent to the cluster');
  } finally {
    await restore(api);
  }
});

test('Apply confirmed: the cluster gets the objects, its refusal lands on the field, the timeline follows, \
the next good apply clears the diagnostic; Dry Run asks nothing; Delete asks and deletes', async () => {
  const api = await podtraceApi();
  const opened = useStagingStandIn(api);
  const text = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: settings',
    'data:',
    '  mode: fast',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: api',
    '  annotations:',
    `    ${refuseAnnotation}: spec.replicas`,
    'spec:',
    '  replicas: 3',
    '  selector:',
    '    matchLabels: {app: api}',
    '  template:',
    '    metadata:',
    '      labels: {app: api}',
    '    spec:',
    '      containers:',
    '        - name: api',
    '          image: nginx:1.27',
    '',
  ].join('\n');
  const document = await scratchDocument(text);
  const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
  try {
    await vscode.commands.executeCommand('podtrace.selectTarget', 'staging');
    api.confirmations.answerWith((_message, _detail, button) => button);
    const applied = (await vscode.commands.executeCommand(
      'podtrace.applyToCluster',
      document.uri,
    )) as ClusterCommandResult;
    assert.equal(applied.sent, true, JSON.stringify(applied));
    assert.deepEqual(applied.outcomes, [
      'ConfigMap settings: created',
      'Deployment api: 422 Invalid: Deployment.apps "api" is invalid: ' +
        'spec.replicas: Invalid value: 3: refused by the test',
    ]);
    assert.equal(applied.failed, 1);
    const [diagnostic, ...others] = api.clusterDiagnostics.get(document.uri);
    assert.equal(others.length, 0);
    assert.equal(diagnostic.source, 'podtrace cluster');
    assert.equal(diagnostic.message, 'spec.replicas: Invalid value: 3: refused by the test (from context "staging")');
    assert.deepEqual(
      [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.character],
      [14, 12, 13],
    );
    // The timeline follows the stream: the ConfigMap's creation is its first event.
    const reset = api.timeline.traceMessages[0];
    assert.ok(reset?.type === 'traceReset' && reset.meta.target === 'staging', JSON.stringify(reset));
    const first = await waitFor('the stream to reach the timeline', () => chunks(api.timeline.traceMessages)[0]);
    assert.ok(first.strings.includes('Created') && first.strings.includes('settings'), JSON.stringify(first.strings));
    assert.ok(api.traces.followedTrace, 'expected the timeline to keep following the context');

    // The field fixed (the annotation gone), the next apply succeeds and clears the diagnostic.
    await editor.edit((edit) => edit.delete(new vscode.Range(11, 0, 13, 0)));
    const again = (await vscode.commands.executeCommand(
      'podtrace.applyToCluster',
      document.uri,
    )) as ClusterCommandResult;
    assert.deepEqual(again.outcomes, ['ConfigMap settings: unchanged', 'Deployment api: created']);
    assert.deepEqual(api.clusterDiagnostics.get(document.uri), []);

    const asked = api.confirmations.asked.length;
    const dry = (await vscode.commands.executeCommand(
      'podtrace.dryRunOnCluster',
      document.uri,
    )) as ClusterCommandResult;
    assert.deepEqual(dry.outcomes, [
      'ConfigMap settings: unchanged (server dry run)',
      'Deployment api: unchanged (server dry run)',
    ]);
    assert.equal(api.confirmations.asked.length, asked, 'expected a dry run to change nothing and ask nothing');

    const deleted = (await vscode.commands.executeCommand(
      'podtrace.deleteFromCluster',
      document.uri,
    )) as ClusterCommandResult;
    assert.deepEqual(deleted.outcomes, ['ConfigMap settings: deleted', 'Deployment api: deleted']);
    const question = api.confirmations.asked[asked];
    assert.match(question.message, /^Delete 2 objects from app\.yaml from context "staging" \(https:\/\/staging/);
    assert.equal(question.button, 'Delete');
    assert.equal(opened[0].stored.size, 0);
  } finally {
    await restore(api);
    await closeScratch(document);
  }
});

test('Dry Run on the embedded simulator asks its apiserver: a refusal lands on its field, no question', async () => {
  const api = await podtraceApi();
  const text = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: bad',
    'spec:',
    '  replicas: -1',
    '  selector:',
    '    matchLabels: {app: bad}',
    '  template:',
    '    metadata:',
    '      labels: {app: bad}',
    '    spec:',
    '      containers:',
    '        - name: bad',
    '          image: nginx:1.27',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: fine',
    '',
  ].join('\n');
  const document = await scratchDocument(text);
  await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
  try {
    assert.deepEqual(api.targets.choice, { kind: 'simulator' });
    const asked = api.confirmations.asked.length;
    const result = (await vscode.commands.executeCommand(
      'podtrace.dryRunOnCluster',
      document.uri,
    )) as ClusterCommandResult;
    assert.equal(result.target, 'simulator');
    assert.equal(result.failed, 1, JSON.stringify(result));
    assert.match(result.outcomes[0], /^Deployment bad: 422 Invalid: .*spec\.replicas: Invalid value: -1/);
    assert.equal(result.outcomes[1], 'ConfigMap fine: created (server dry run)');
    assert.equal(api.confirmations.asked.length, asked);
    const [diagnostic] = api.clusterDiagnostics.get(document.uri);
    assert.ok(diagnostic, 'expected the refusal as a diagnostic');
    assert.match(diagnostic.message, /^spec\.replicas: Invalid value: -1.*\(from the embedded simulator\)$/);
    assert.deepEqual([diagnostic.range.start.line, diagnostic.range.start.character], [5, 12]);
  } finally {
    await closeScratch(document);
  }
});

const serveContext = process.env.PODTRACE_TEST_SERVE_CONTEXT;
if (serveContext) {
  test('Apply to `podtrace serve` through client-node: confirmed, applied, and the timeline shows \
the pods become ready from the watches', async () => {
    const api = await podtraceApi();
    const uri = workspaceFile('web/deployment.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), vscode.ViewColumn.One);
    try {
      await vscode.commands.executeCommand('podtrace.selectTarget', serveContext);
      api.confirmations.answerWith((_message, _detail, button) => button);
      const result = (await vscode.commands.executeCommand('podtrace.applyToCluster', uri)) as ClusterCommandResult;
      assert.ok(result.sent && result.refused === undefined && result.failed === 0, JSON.stringify(result));
      assert.match(result.outcomes[0], /^Deployment web: (created|configured|unchanged)$/);
      const ready = await waitFor(
        'three pods ready in the timeline',
        () => {
          const pods = new Map<string, boolean>();
          for (const chunk of chunks(api.timeline.traceMessages))
            for (const pod of chunk.pods) pods.set(pod.uid, pod.phases.ready !== null);
          const count = [...pods.values()].filter(Boolean).length;
          return count >= 3 ? count : undefined;
        },
        90_000,
      );
      assert.equal(ready, 3);
      const deleted = (await vscode.commands.executeCommand('podtrace.deleteFromCluster', uri)) as ClusterCommandResult;
      assert.deepEqual(deleted.outcomes, ['Deployment web: deleted']);
    } finally {
      await restore(api);
    }
  });
}

test(
  'in an untrusted workspace, Apply to a context is refused with a message that says why; nothing is asked or sent',
  async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'expected this run to open an untrusted workspace');
    const api = await podtraceApi();
    const opened = useStagingStandIn(api);
    api.confirmations.answerWith((_message, _detail, button) => button);
    try {
      await vscode.commands.executeCommand('podtrace.selectTarget', 'staging');
      const result = (await vscode.commands.executeCommand(
        'podtrace.applyToCluster',
        workspaceFile('web/deployment.yaml'),
      )) as ClusterCommandResult;
      assert.equal(result.refused, 'untrusted');
      assert.equal(result.sent, false);
      assert.match(
        result.message ?? '',
        /^Podtrace: cannot apply deployment\.yaml to context "staging": this workspace is not trusted \(Restricted/,
      );
      assert.match(result.message ?? '', /Trust it with "Workspaces: Manage Workspace Trust"/);
      assert.equal(api.confirmations.asked.length, 0, 'expected no confirmation before the refusal');
      assert.equal(opened.length, 0, 'expected the context never opened');
    } finally {
      await restore(api);
    }
  },
  'untrusted',
);
