// Virtual time is a branded number so that milliseconds of simulated time never mix
// with wall-clock readings or with nanoseconds in exported traces.

declare const virtualMsBrand: unique symbol;
/** Milliseconds of virtual (simulated) time since the start of a run. */
export type VirtualMs = number & { readonly [virtualMsBrand]: true };

export function ms(value: number): VirtualMs {
  return value as VirtualMs;
}

export function seconds(value: number): VirtualMs {
  return (value * 1000) as VirtualMs;
}

export function addMs(time: VirtualMs, delta: number): VirtualMs {
  return (time + delta) as VirtualMs;
}

/** Something that tells the current time; injected so that no core code reads the wall clock. */
export interface Clock {
  now(): VirtualMs;
}
