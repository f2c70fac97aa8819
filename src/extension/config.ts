import * as vscode from 'vscode';
import { defaultKubernetesVersion, isSupportedKubernetesVersion, type KubernetesVersion } from '../core/manifest/validate';

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
}
