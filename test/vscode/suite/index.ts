// The tests module that VS Code loads as `extensionTestsPath`: its run() executes every
// suite registered by the modules imported below.
import { runRegistered } from './harness';
import './extension.vscode';
import './quickFix.vscode';
import './timeline.vscode';
import './export.vscode';
import './clusterTarget.vscode';

export async function run(): Promise<void> {
  // The runner outside starts VS Code once with workspace trust off and once with it on.
  const suite = process.env.PODTRACE_VSCODE_SUITE === 'untrusted' ? 'untrusted' : 'trusted';
  const { passed, failed } = await runRegistered(suite);
  console.log(`podtrace vscode tests: ${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} test(s) failed inside VS Code`);
}
