// Quick fixes in a real VS Code: a broken manifest shows the expected diagnostic at the
// expected range, the fix comes back from the code-action provider, applying it repairs
// the text, and the diagnostic goes away. Each case is one row.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { test, waitFor } from './harness';

interface QuickFixCase {
  readonly name: string;
  readonly text: string;
  readonly code: string;
  /** 0-based [startLine, startCharacter, endLine, endCharacter] of the diagnostic. */
  readonly range: readonly [number, number, number, number];
  readonly fixTitle: RegExp;
  /** What the repaired text contains. */
  readonly fixed: RegExp;
}

/** A Deployment whose one container has `extra` lines (indented for the container). */
function deploymentWith(...extra: string[]): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  selector:',
    '    matchLabels: {app: web}',
    '  template:',
    '    metadata:',
    '      labels: {app: web}',
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: nginx:1.27',
    ...extra.map((line) => `          ${line}`),
    '',
  ].join('\n');
}

const cases: readonly QuickFixCase[] = [
  {
    name: 'a misspelled field',
    text: deploymentWith('imagePullPolicyy: Always'),
    code: 'PT2001',
    range: [14, 10, 14, 26],
    fixTitle: /^Rename to imagePullPolicy$/,
    fixed: /\n {10}imagePullPolicy: Always\n/,
  },
  {
    name: 'an env value YAML 1.1 reads as a boolean',
    text: deploymentWith('env:', '  - name: DEBUG', '    value: yes'),
    code: 'PT2003',
    range: [16, 21, 16, 24],
    fixTitle: /^Quote yes$/,
    fixed: /\n {14}value: "yes"\n/,
  },
  {
    name: 'a tab used for indentation',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: settings\ndata:\n  mode: fast\n',
    code: 'PT1003',
    range: [3, 0, 3, 1],
    fixTitle: /spaces instead of tabs/,
    fixed: /\nmetadata:\n {2}name: settings\n/,
  },
];

function podtraceDiagnostics(uri: vscode.Uri, code: string): vscode.Diagnostic[] | undefined {
  const found = vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'podtrace' && (typeof d.code === 'object' ? d.code.value : d.code) === code);
  return found.length ? found : undefined;
}

for (const c of cases) {
  test(`quick fix: ${c.name} (${c.code}) is shown, fixed, and gone`, async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: c.text });
    await vscode.window.showTextDocument(document);
    const [diagnostic] = await waitFor(`a ${c.code} diagnostic`, () => podtraceDiagnostics(document.uri, c.code));
    const r = diagnostic.range;
    assert.deepEqual(
      [r.start.line, r.start.character, r.end.line, r.end.character],
      [...c.range],
      `the ${c.code} diagnostic's range`,
    );
    assert.ok(
      typeof diagnostic.code === 'object' && diagnostic.code.target.toString().endsWith(`#${c.code.toLowerCase()}`),
      'expected the code to link to its README entry',
    );

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const action = actions.find((a) => c.fixTitle.test(a.title));
    assert.ok(
      action?.edit,
      `expected a quick fix matching ${c.fixTitle}; got ${JSON.stringify(actions.map((a) => a.title))}`,
    );
    assert.equal(await vscode.workspace.applyEdit(action.edit), true, 'expected the workspace edit to apply');

    assert.match(document.getText(), c.fixed);
    await waitFor(`the ${c.code} diagnostic to go away`, () =>
      podtraceDiagnostics(document.uri, c.code) === undefined ? true : undefined,
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
}
