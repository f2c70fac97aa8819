// The application model (DESIGN section 3): the simulator cannot run an image, so each
// container is a small behaviour model. It listens on its containerPorts after a startup
// time and keeps running; an init container (but not a sidecar, restartPolicy: Always), or
// a container of a Job's pod, runs to completion instead: it exits 0 after that time.
// `podtrace.dev/*` annotations on the pod (or its template) and scenario actions override that.
import type { Pod } from '../store/kinds';
import type { Container } from '../../base/apiObjects';

export interface AppBehaviour {
  /** Milliseconds from process start until it listens (and, for a run-to-completion container, until it exits). */
  readonly startupMs: number | undefined;
  readonly listenPorts: readonly number[];
  /** When set, the process exits with this code once started instead of running on. */
  readonly exitCode: number | undefined;
  /** Milliseconds it needs to exit after SIGTERM. */
  readonly shutdownMs: number | undefined;
}

/**
 * Reads an annotation that is either one value for every container (`"5"`) or a list of
 * `container=value` pairs (`"web=5,sidecar=1"`).
 */
function perContainer(
  annotations: Readonly<Record<string, string>> | undefined,
  key: string,
  container: string,
): string | undefined {
  const raw = annotations?.[key];
  if (raw === undefined) return undefined;
  if (!raw.includes('=')) return raw.trim();
  for (const part of raw.split(',')) {
    const [name, value] = part.split('=').map((s) => s.trim());
    if (name === container) return value;
  }
  return undefined;
}

/**
 * `init`: an init container that runs to completion; `sidecar`: a restartable
 * init container, which runs on; `regular`: the pod's containers.
 */
export type ContainerRole = 'init' | 'sidecar' | 'regular';

export function appBehaviour(pod: Pod, container: Container, role: ContainerRole): AppBehaviour {
  const annotations = pod.metadata.annotations;
  const name = container.name;
  const startup = perContainer(annotations, 'podtrace.dev/startup-seconds', name);
  const ports = perContainer(annotations, 'podtrace.dev/listen-ports', name);
  const exit = perContainer(annotations, 'podtrace.dev/exit-code', name);
  const shutdown = perContainer(annotations, 'podtrace.dev/shutdown-seconds', name);
  const declared = (container.ports ?? []).map((p) => Number(p.containerPort));
  return {
    startupMs: startup !== undefined ? Number(startup) * 1000 : undefined,
    listenPorts:
      ports !== undefined
        ? ports
            .split(/[\s;|]+/)
            .filter(Boolean)
            .map(Number)
        : declared,
    // An init container or a Job's pod runs to completion (a sidecar runs on): exit 0 unless told otherwise.
    exitCode:
      exit !== undefined ? Number(exit) : role === 'init' || (role === 'regular' && ownedByJob(pod)) ? 0 : undefined,
    shutdownMs: shutdown !== undefined ? Number(shutdown) * 1000 : undefined,
  };
}

function ownedByJob(pod: Pod): boolean {
  return pod.metadata.ownerReferences?.some((r) => r.controller && r.kind === 'Job') ?? false;
}

/**
 * Image size in MB: the `podtrace.dev/image-size-mb` annotation
 * (one value or `image=mb` pairs), else the profile's table.
 */
export function imageSizeMb(
  pod: Pod,
  image: string,
  table: Readonly<Record<string, number>>,
  fallback: number,
): number {
  const raw = pod.metadata.annotations?.['podtrace.dev/image-size-mb'];
  if (raw !== undefined) {
    if (!raw.includes('=')) return Number(raw);
    for (const part of raw.split(',')) {
      const eq = part.lastIndexOf('=');
      if (part.slice(0, eq).trim() === image) return Number(part.slice(eq + 1));
    }
  }
  const repo = image.split('@')[0].replace(/:[^/:]+$/, '');
  const short = repo.replace(/^docker\.io\/(library\/)?/, '');
  return table[repo] ?? table[short] ?? fallback;
}
