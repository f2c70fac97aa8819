// Kubernetes versions are compared by their minor number (`1.35` → 35): behaviour that changed
// in a release (a message, a default, a plugin's verdict) is chosen by it.

/** The minor number of a `1.N` version; NaN for a text that is not one. */
export function minorOf(kubernetesVersion: string): number {
  return Number(kubernetesVersion.split('.')[1]);
}
