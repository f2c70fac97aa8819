import { nodeIo, runCli } from './main';

// The executable's entry: the only module with a side effect at load, by design.
const code = runCli(process.argv.slice(2), nodeIo());
process.exitCode = code;
