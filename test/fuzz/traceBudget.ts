// The budget a fuzzed trace must end within, and the editor's way of running one: stepwise,
// a slice of the engine's events at a time, as the trace worker does, after the validation
// that the Apply command runs first (a manifest with errors is not applied).
import { parseManifestText } from '../../src/core/manifest/base/parse';
import { validateManifestText } from '../../src/core/manifest/validate';
import { defaultProfile } from '../../src/core/sim/profile/profile';
import { defaultTraceLimits, TraceLimitError, type TraceLimits } from '../../src/core/trace/traceLimits';
import { manifestObjects, SimulatedTraceRun } from '../../src/core/trace/simulatedTrace';

export const traceBudget = {
  /** Wall time of one `podtrace trace` run in process, generous for a loaded two-core machine. */
  wallMs: 30_000,
  /** Slices of `sliceEvents` engine events: with the limits below, a run needs far fewer. */
  steps: 200,
  sliceEvents: 2_000,
};

/** Limits well under the defaults, so that a hostile manifest reaches them quickly. */
export const fuzzLimits: TraceLimits = { ...defaultTraceLimits, maxPods: 200, maxNodes: 50, maxEvents: 40_000 };

/** The same limits as `podtrace trace` flags, given last so that they hold. */
export const traceLimitArgs = [
  '--max-pods',
  String(fuzzLimits.maxPods),
  '--max-nodes',
  String(fuzzLimits.maxNodes),
  '--max-events',
  String(fuzzLimits.maxEvents),
];

export interface StepwiseOutcome {
  readonly steps: number;
  readonly ended: 'not applied' | 'no objects' | 'limit' | 'settled' | 'time limit';
}

/** Runs manifest text as the editor's Apply does, counting the slices until the run ends. */
export function runStepwise(text: string): StepwiseOutcome {
  if (validateManifestText(text).some((f) => f.severity === 'error')) return { steps: 0, ended: 'not applied' };
  const files = [{ name: 'manifest.yaml', file: parseManifestText(text) }];
  const objects = manifestObjects(files);
  if (objects.length === 0) return { steps: 0, ended: 'no objects' };
  let steps = 0;
  try {
    const run = new SimulatedTraceRun(
      {
        files,
        objects,
        seed: 1,
        profile: defaultProfile,
        version: '1.35',
        nodes: 3,
        nodesGiven: false,
        limits: fuzzLimits,
      },
      { streaming: true },
    );
    while (steps <= traceBudget.steps) {
      steps++;
      const result = run.advance(Number.POSITIVE_INFINITY, traceBudget.sliceEvents);
      run.takeStep();
      if (result) return { steps, ended: result.reason === 'quiescent' ? 'settled' : 'time limit' };
    }
    return { steps, ended: 'settled' };
  } catch (error) {
    if (error instanceof TraceLimitError) return { steps, ended: 'limit' };
    throw error;
  }
}
