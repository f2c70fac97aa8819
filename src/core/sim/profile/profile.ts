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

/** Draws one value (milliseconds) from a distribution with a seeded stream. */
export function sample(dist: Distribution, random: SeededRandom): number {
  if ('fixed' in dist) return dist.fixed;
  if ('uniform' in dist) return dist.uniform[0] + random.next() * (dist.uniform[1] - dist.uniform[0]);
  const { p50, p99 } = dist.lognormal;
  const mu = Math.log(p50);
  const sigma = Math.max(0, (Math.log(p99) - mu) / z99);
  // Box-Muller from two uniform draws; 1 - u keeps the logarithm finite.
  const u1 = 1 - random.next();
  const u2 = random.next();
  const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  // Cap at ten times p99 so that a rare draw cannot stall a whole run.
  return Math.min(Math.exp(mu + sigma * normal), p99 * 10);
}

/** Merges a user profile (a parsed JSON object) over the default one; unknown step names are errors. */
export function mergeProfile(overrides: Record<string, unknown>, base: LatencyProfile = defaultProfile): LatencyProfile {
  const steps = { ...base.steps } as Record<string, StepFigure>;
  for (const [name, figure] of Object.entries((overrides.steps as Record<string, StepFigure>) ?? {})) {
    if (!(name in steps)) throw new Error(`profile: unknown step "${name}"; expected one of ${Object.keys(steps).join(', ')}`);
    steps[name] = { ...steps[name], ...figure };
  }
  const constants = { ...base.constants } as Record<string, { value: number; source: string }>;
  for (const [name, figure] of Object.entries((overrides.constants as Record<string, { value: number; source: string }>) ?? {})) {
    if (!(name in constants)) throw new Error(`profile: unknown constant "${name}"; expected one of ${Object.keys(constants).join(', ')}`);
    constants[name] = { ...constants[name], ...figure };
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

/** Samples the named step for one component's stream, in whole milliseconds. */
export class Latencies {
  constructor(
    readonly profile: LatencyProfile,
    private readonly random: SeededRandom,
  ) {}

  of(step: StepName): number {
    return Math.round(sample(this.profile.steps[step].dist, this.random));
  }

  constant(name: ConstantName): number {
    return this.profile.constants[name].value;
  }
}
