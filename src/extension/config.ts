import * as vscode from 'vscode';
import {
  defaultKubernetesVersion,
  isSupportedKubernetesVersion,
  type KubernetesVersion,
} from '../core/base/kubernetesVersion';
import type { TraceSettings } from './workerMessages';

/** The speed a trace plays at unless set: examples/web's rollout (about 9 s virtual) takes 3 s. */
export const defaultTimelineSpeed = 3;

function bounded(value: unknown, min: number, max: number, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

/** The one place that reads podtrace's settings. */
export class Config {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('podtrace');
  }

  get kubernetesVersion(): KubernetesVersion {
    const value = String(this.section.get('kubernetesVersion', defaultKubernetesVersion));
    return isSupportedKubernetesVersion(value) ? value : defaultKubernetesVersion;
  }

  get validateOnType(): boolean {
    return this.section.get('validate.onType', true);
  }

  get validateDelayMs(): number {
    return Math.max(0, Number(this.section.get('validate.delayMs', 300)));
  }

  /** Virtual milliseconds per wall millisecond while a trace plays in the timeline. */
  get timelineSpeed(): number {
    return bounded(this.section.get('timeline.speed', defaultTimelineSpeed), 0.01, 10_000, defaultTimelineSpeed);
  }

  /**
   * The simulated run's settings. Node objects in the manifests replace the default nodes,
   * as `podtrace trace` has it, unless the node count is set explicitly (like --nodes).
   */
  get traceSettings(): TraceSettings {
    const nodes = this.section.inspect<number>('simulator.nodes');
    const given = [nodes?.globalValue, nodes?.workspaceValue, nodes?.workspaceFolderValue].some((v) => v !== undefined);
    return {
      kubernetesVersion: this.kubernetesVersion,
      seed: Math.round(bounded(this.section.get('simulator.seed', 1), 0, 2 ** 31 - 1, 1)),
      nodes: Math.round(bounded(this.section.get('simulator.nodes', 3), 1, 5000, 3)),
      nodesGiven: given,
      speed: this.timelineSpeed,
      untilMs: null,
    };
  }
}
