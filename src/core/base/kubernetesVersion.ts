// Kubernetes versions are compared by their minor number (`1.35` → 35): behaviour that changed
// in a release (a message, a default, a plugin's verdict) is chosen by it.

/** The minor number of a `1.N` version; NaN for a text that is not one. */
export function minorOf(kubernetesVersion: string): number {
  return Number(kubernetesVersion.split('.')[1]);
}

/** The version validation and the simulator follow when none is chosen. */
export const defaultKubernetesVersion = '1.35';

/** The versions whose messages, defaults and behaviour podtrace reproduces, newest first. */
export const supportedKubernetesVersions = ['1.35', '1.32'] as const;
export type KubernetesVersion = (typeof supportedKubernetesVersions)[number];

export function isSupportedKubernetesVersion(value: string): value is KubernetesVersion {
  return (supportedKubernetesVersions as readonly string[]).includes(value);
}
