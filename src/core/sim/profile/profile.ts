// Latency profiles are data (STYLE habit 5): every step's distribution and every constant
// carries its source. A profile file may override any subset of the default one.
import type { SeededRandom } from '../../base/random';
import defaultProfileJson from './default.json';

export type Distribution =
  | { readonly fixed: number }
  | { readonly uniform: readonly [number, number] }
  | { readonly lognormal: { readonly p50: number; readonly p99: number } };

export interface StepFigure {
  readonly dist: Distribution;
  readonly source: string;
}

export type StepName = keyof (typeof defaultProfileJson)['steps'];
export type ConstantName = keyof (typeof defaultProfileJson)['constants'];

export interface LatencyProfile {
  readonly name: string;
  readonly description: string;
  readonly steps: Readonly<Record<StepName, StepFigure>>;
  readonly constants: Readonly<Record<ConstantName, { readonly value: number; readonly source: string }>>;
  readonly imageSizesMb: Readonly<Record<string, number>>;
  readonly preloadedImages: readonly string[];
}

export const defaultProfile = defaultProfileJson as unknown as LatencyProfile;

/** The z-score of the 99th percentile of a standard normal distribution. */
const z99 = 2.3263478740408408;

/** A distribution with what every draw needs worked out once (the logarithms of its percentiles). */
interface CompiledDistribution {
  /** 0 fixed, 1 uniform, 2 lognormal. */
  readonly kind: 0 | 1 | 2;
  /** The fixed value, the uniform low bound, or mu. */
  readonly a: number;
  /** The uniform span, or sigma. */
  readonly b: number;
  /** The lognormal cap: ten times p99. */
  readonly cap: number;
}

const compiledDistributions = new WeakMap<Distribution, CompiledDistribution>();

function compiled(dist: Distribution): CompiledDistribution {
  let c = compiledDistributions.get(dist);
  if (c) return c;
  if ('fixed' in dist) c = { kind: 0, a: dist.fixed, b: 0, cap: 0 };
  else if ('uniform' in dist) c = { kind: 1, a: dist.uniform[0], b: dist.uniform[1] - dist.uniform[0], cap: 0 };
  else {
    const { p50, p99 } = dist.lognormal;
    const mu = Math.log(p50);
    c = { kind: 2, a: mu, b: Math.max(0, (Math.log(p99) - mu) / z99), cap: p99 * 10 };
  }
  compiledDistributions.set(dist, c);
  return c;
}

/** Draws one value (milliseconds) from a compiled distribution with a seeded stream. */
function draw(c: CompiledDistribution, random: SeededRandom): number {
  if (c.kind === 0) return c.a;
  if (c.kind === 1) return c.a + random.next() * c.b;
  // Box-Muller from two uniform draws; 1 - u keeps the logarithm finite.
  const u1 = 1 - random.next();
  const u2 = random.next();
  const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  // Cap at ten times p99 so that a rare draw cannot stall a whole run.
  return Math.min(Math.exp(c.a + c.b * normal), c.cap);
}

/**
 * Merges a user profile (a parsed JSON object) over the default one; an unknown
 * step or constant, or one that cannot be drawn, is an error naming it.
 */
export function mergeProfile(
  overrides: Record<string, unknown>,
  base: LatencyProfile = defaultProfile,
): LatencyProfile {
  const steps = { ...base.steps } as Record<string, StepFigure>;
  for (const [name, figure] of Object.entries((overrides.steps as Record<string, StepFigure>) ?? {})) {
    if (!(name in steps)) throw new Error(`unknown step "${name}"; expected one of ${Object.keys(steps).join(', ')}`);
    steps[name] = { ...steps[name], ...figure };
    const problem = distributionProblem(steps[name].dist);
    if (problem) throw new Error(`steps.${name}.dist: ${problem}`);
  }
  const constants = { ...base.constants } as Record<string, { value: number; source: string }>;
  for (const [name, figure] of Object.entries(
    (overrides.constants as Record<string, { value: number; source: string }>) ?? {},
  )) {
    if (!(name in constants))
      throw new Error(`unknown constant "${name}"; expected one of ${Object.keys(constants).join(', ')}`);
    constants[name] = { ...constants[name], ...figure };
    const value = constants[name].value;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw new Error(`constants.${name}.value: expected a number ≥ 0, got ${JSON.stringify(value)}`);
  }
  return {
    name: typeof overrides.name === 'string' ? overrides.name : base.name,
    description: typeof overrides.description === 'string' ? overrides.description : base.description,
    steps: steps as LatencyProfile['steps'],
    constants: constants as LatencyProfile['constants'],
    imageSizesMb: { ...base.imageSizesMb, ...((overrides.imageSizesMb as Record<string, number>) ?? {}) },
    preloadedImages: [...base.preloadedImages, ...((overrides.preloadedImages as string[]) ?? [])],
  };
}

/** What is wrong with a distribution a profile file gives, if anything. */
function distributionProblem(dist: unknown): string | undefined {
  const forms = 'expected {"fixed": ms}, {"uniform": [low, high]} or {"lognormal": {"p50": ms, "p99": ms}}';
  const ms = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (typeof dist !== 'object' || dist === null || Array.isArray(dist) || Object.keys(dist).length !== 1)
    return `${forms}, got ${JSON.stringify(dist)}`;
  const d = dist as Record<string, unknown>;
  if ('fixed' in d)
    return ms(d.fixed) ? undefined : `fixed must be a number of milliseconds ≥ 0, got ${JSON.stringify(d.fixed)}`;
  if ('uniform' in d) {
    const u = d.uniform;
    return Array.isArray(u) && u.length === 2 && ms(u[0]) && ms(u[1]) && u[0] <= u[1]
      ? undefined
      : `uniform must be [low, high] in milliseconds with 0 ≤ low ≤ high, got ${JSON.stringify(u)}`;
  }
  if ('lognormal' in d) {
    const l = d.lognormal as { p50?: unknown; p99?: unknown } | null;
    const ok = typeof l === 'object' && l !== null && ms(l.p50) && ms(l.p99) && l.p50 > 0 && l.p50 <= l.p99;
    return ok ? undefined : `lognormal must be {"p50": ms, "p99": ms} with 0 < p50 ≤ p99, got ${JSON.stringify(l)}`;
  }
  return `${forms}, got ${JSON.stringify(dist)}`;
}

/** Samples the named step for one component's stream, in whole milliseconds. */
export class Latencies {
  private readonly steps: Readonly<Record<StepName, CompiledDistribution>>;

  constructor(
    readonly profile: LatencyProfile,
    private readonly random: SeededRandom,
  ) {
    this.steps = compiledSteps(profile);
  }

  of(step: StepName): number {
    return Math.round(draw(this.steps[step], this.random));
  }

  constant(name: ConstantName): number {
    return this.profile.constants[name].value;
  }
}

const stepsByProfile = new WeakMap<LatencyProfile, Readonly<Record<StepName, CompiledDistribution>>>();

/** A profile's steps compiled once, shared by every component's Latencies (a thousand kubelets have one each). */
function compiledSteps(profile: LatencyProfile): Readonly<Record<StepName, CompiledDistribution>> {
  let steps = stepsByProfile.get(profile);
  if (!steps) {
    steps = Object.fromEntries(
      Object.entries(profile.steps).map(([name, figure]) => [name, compiled((figure as StepFigure).dist)]),
    ) as Record<StepName, CompiledDistribution>;
    stepsByProfile.set(profile, steps);
  }
  return steps;
}
