// The trace worker's entry (bundled as dist/traceWorker.js): runs a simulated trace off the
// extension host's thread, so that a large manifest never freezes the editor. The host starts
// it with `new Worker(...)`, posts `start`, and terminates it to cancel. No 'vscode' here.
import { parentPort } from 'node:worker_threads';
import { TraceWorkerRun } from './traceWorkerRun';

if (!parentPort)
  throw new Error(
    'dist/traceWorker.js runs as a worker thread started by the ' +
      'extension (new Worker(file)), not as a program of its own',
  );
const port = parentPort;
const run = new TraceWorkerRun((message) => port.postMessage(message), {
  now: () => performance.now(),
  // A zero delay yields to the message queue (setImmediate runs after pending messages), so
  // a skip or a new message is read between slices of a run that goes at full speed.
  setTimer: (delayMs, callback) => {
    if (delayMs <= 0) {
      const immediate = setImmediate(callback);
      return () => clearImmediate(immediate);
    }
    const timer = setTimeout(callback, delayMs);
    return () => clearTimeout(timer);
  },
});
port.on('message', (message: unknown) => run.handle(message));
