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

const code = runCli(process.argv.slice(2), nodeIo());
process.exitCode = code;
