import * as vscode from 'vscode';
import type { Finding } from '../core/base/finding';
import { textLooksLikeKubernetes } from '../core/manifest/base/parse';
import { IncrementalValidator } from '../core/manifest/incremental';
import type { Config } from './config';
import { toDiagnostic } from './convert';

function isManifestDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'yaml' || /\.ya?ml$/i.test(document.fileName);
}

/**
 * Keeps the Problems view in step with open manifests: validates on open, as the user
 * types (debounced), and on save. Only documents that look like Kubernetes objects get
 * diagnostics, so other YAML is left to other tools. Each open document has its own
 * IncrementalValidator, so a keystroke re-validates only the YAML document it touched.
 */
export class DiagnosticsController implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('podtrace');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly versions = new Map<string, number>();
  private readonly findings = new Map<string, readonly Finding[]>();
  private readonly validators = new Map<string, IncrementalValidator>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly config: Config) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.validateNow(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidSaveTextDocument((d) => this.validateNow(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('podtrace')) {
          this.versions.clear();
          vscode.workspace.textDocuments.forEach((d) => this.validateNow(d));
        }
      }),
    );
    vscode.workspace.textDocuments.forEach((d) => this.validateNow(d));
  }

  /** The findings last published for a document. */
  findingsFor(uri: vscode.Uri): readonly Finding[] {
    return this.findings.get(uri.toString()) ?? [];
  }

  validateNow(document: vscode.TextDocument): readonly Finding[] {
    if (!isManifestDocument(document)) return [];
    const key = document.uri.toString();
    const pending = this.timers.get(key);
    if (pending) {
      clearTimeout(pending);
      this.timers.delete(key);
    }
    // Unchanged since the last check: nothing to do.
    if (this.versions.get(key) === document.version && this.findings.has(key)) return this.findings.get(key)!;
    const text = document.getText();
    const findings = textLooksLikeKubernetes(text) ? this.validatorFor(key).update(text) : [];
    this.versions.set(key, document.version);
    this.findings.set(key, findings);
    this.collection.set(document.uri, findings.map(toDiagnostic));
    return findings;
  }

  private validatorFor(key: string): IncrementalValidator {
    const options = { kubernetesVersion: this.config.kubernetesVersion };
    let validator = this.validators.get(key);
    if (!validator) {
      validator = new IncrementalValidator(options);
      this.validators.set(key, validator);
    } else {
      // A changed setting clears the validator's cache; an unchanged one keeps it.
      validator.setOptions(options);
    }
    return validator;
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isManifestDocument(document) || !this.config.validateOnType) return;
    const key = document.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.validateNow(document);
      }, this.config.validateDelayMs),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.delete(key);
    this.versions.delete(key);
    this.findings.delete(key);
    this.validators.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.disposables.forEach((d) => d.dispose());
  }
}
