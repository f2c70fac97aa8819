// `npm run test:vscode-electron`: the same tests module that `npm test` runs inside
// code-server, run by @vscode/test-electron in a downloaded VS Code desktop build, for
// machines that can download one. The exit code is the tests' result.
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  try {
    const code = await runTests({
      version: process.env.PODTRACE_VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out/vscode-tests/index.js'),
      launchArgs: [path.join(root, 'examples'), '--disable-extensions', '--disable-workspace-trust'],
    });
    process.exitCode = code;
  } catch (error) {
    process.stderr.write(`test:vscode-electron: could not run VS Code: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

void main();
