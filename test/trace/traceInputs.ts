// Trace inputs for the tests of the stepwise run and the runtime findings: a golden trace
// case folder (its manifests, scenario and arguments) or manifest text, as the CLI and the
// editor's Apply hand them to the simulator.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseManifestText } from '../../src/core/manifest/base/parse';
import { defaultProfile } from '../../src/core/sim/profile/profile';
import { parseScenario } from '../../src/core/sim/scenario/scenario';
import { manifestObjects, type SimulatedTraceInput } from '../../src/core/trace/simulatedTrace';

export const repoRoot = path.resolve(__dirname, '../../..');

/** A golden case of test/fixtures/trace, as `podtrace trace` runs it. */
export function caseInput(name: string): SimulatedTraceInput {
  const dir = path.join(repoRoot, 'test/fixtures/trace', name);
  const args = fs.existsSync(path.join(dir, 'args.json'))
    ? (JSON.parse(fs.readFileSync(path.join(dir, 'args.json'), 'utf8')) as {
        until?: number;
        nodes?: number;
        seed?: number;
      })
    : {};
  const scenario = path.join(dir, 'scenario.yaml');
  const actions = fs.existsSync(scenario)
    ? parseScenario(fs.readFileSync(scenario, 'utf8'), (p) => fs.readFileSync(path.resolve(dir, p), 'utf8'))
    : [];
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'scenario.yaml')
    .sort()
    .map((f) => ({ name: path.join(dir, f), file: parseManifestText(fs.readFileSync(path.join(dir, f), 'utf8')) }));
  return {
    files,
    objects: manifestObjects(files),
    actions,
    seed: args.seed ?? 1,
    profile: defaultProfile,
    version: '1.35',
    nodes: args.nodes ?? 3,
    nodesGiven: args.nodes !== undefined,
    untilMs: args.until === undefined ? undefined : args.until * 1000,
  };
}

/** Manifest text under a file name, on three default nodes unless `nodes` is given. */
export function textInput(
  name: string,
  text: string,
  options: { nodes?: number; untilMs?: number } = {},
): SimulatedTraceInput {
  const files = [{ name, file: parseManifestText(text) }];
  return {
    files,
    objects: manifestObjects(files),
    seed: 1,
    profile: defaultProfile,
    version: '1.35',
    nodes: options.nodes ?? 3,
    nodesGiven: options.nodes !== undefined,
    untilMs: options.untilMs,
  };
}

/** A file of the repository, as the editor names an applied document (its path). */
export function fileInput(relative: string): SimulatedTraceInput {
  const file = path.join(repoRoot, relative);
  return textInput(file, fs.readFileSync(file, 'utf8'));
}
