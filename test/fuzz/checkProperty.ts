// Runs a fast-check property and, when it fails, throws an error whose message holds what the
// test runner should print: the seed and path that reproduce the case, the shrunk input
// (described briefly where the input says how), and the failure itself with its message.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';

export function checkProperty<T>(
  property: fc.IProperty<T>,
  params: fc.Parameters<T>,
  describe: (value: T) => string,
): void {
  const details = fc.check(property, params);
  if (!details.failed) return;
  const failure = details.errorInstance;
  const reason = failure instanceof Error ? failure.message : String(failure);
  const input = details.counterexample === null ? '(none)' : describe(details.counterexample).slice(0, 4000);
  throw new assert.AssertionError({
    message: [
      `property failed after ${details.numRuns} cases (seed ${details.seed}, ` +
        `path ${JSON.stringify(details.counterexamplePath)}, shrunk ${details.numShrinks} times)`,
      `input: ${input}`,
      reason,
    ].join('\n'),
  });
}
