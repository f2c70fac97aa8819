import { printableText } from '../core/base/printableText';
import { nodeIo, runCli } from './main';

// The executable's entry: the only module with side effects at load, by design.

// A reader that stops early (`podtrace trace … | head`) closes the pipe under us: the
// command ends quietly with the status it had, as command-line tools do on SIGPIPE, and
// files it wrote (--json, --perfetto) are complete. Any other stream error is a failure.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

// Every input is meant to end in a result or a clear error (status 0, 1 or 2). An exception
// that still escapes is a bug in podtrace: the user gets one line saying so, and status 70
// (EX_SOFTWARE), not a stack trace; PODTRACE_DEBUG=1 prints the stack for a bug report.
try {
  process.exitCode = runCli(process.argv.slice(2), nodeIo());
} catch (error) {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  process.stderr.write(
    process.env.PODTRACE_DEBUG === '1' && error instanceof Error
      ? `${error.stack}\n`
      : `podtrace: internal error: ${printableText(message)}\n` +
          'This is a bug in podtrace: please report it with the command ' +
          'and its input (PODTRACE_DEBUG=1 adds the stack trace).\n',
  );
  process.exitCode = 70;
}
