// yaml-language-server 2.0.0 (the engine of the Red Hat YAML extension) driven headless
// through its language-service API, with the Kubernetes schema served from memory through
// its schema request handler, since nothing can be fetched. Two modes:
// - `single`: one schema (all.json, a oneOf of every kind) associated with every file;
// - `kubernetes`: the extension's Kubernetes association (the yannh all.json URL with the
//   CRD store enabled and isKubernetes), in which it picks each document's schema by
//   apiVersion and kind (k8sSchemaUtil.autoDetectKubernetesSchema).
import { pathToFileURL } from 'node:url';
import type { KubernetesJsonSchemas } from './kubernetesJsonSchema';

export type YamlLanguageServerMode = 'single' | 'kubernetes';

/** What the benchmark needs of an LSP diagnostic. */
export interface LspDiagnostic {
  readonly severity?: number;
  readonly message: string;
  readonly range: { readonly start: { readonly line: number; readonly character: number } };
}

export interface YamlLanguageServerValidator {
  readonly mode: YamlLanguageServerMode;
  /** Validates `text` as a new version of the document at `uri`, as the server does after an edit. */
  validate(text: string, uri?: string): Promise<LspDiagnostic[]>;
}

// The URL the extension associates for `"kubernetes"`; the server recognises it by this pattern.
const kubernetesSchemaUrl =
  'https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/v1.35.0-standalone-strict/all.json';
const singleSchemaUrl = 'file:///podtrace-bench/schemas/all.json';

// The package is ES modules only; a dynamic import() keeps this bundle CommonJS. `Function`
// hides the import from esbuild, which would otherwise turn it into require(). The module is
// found with require.resolve, which also honours NODE_PATH (for a copy installed elsewhere).
const dynamicImport = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<Record<string, unknown>>;

async function importModule(specifier: string): Promise<Record<string, unknown>> {
  const loaded = await dynamicImport(pathToFileURL(require.resolve(specifier)).href);
  // A CommonJS module (UMD) comes back with its exports under `default`.
  return (
    loaded.default && typeof loaded.default === 'object' ? { ...(loaded.default as object), ...loaded } : loaded
  ) as Record<string, unknown>;
}

let documentVersion = 0;

export async function yamlLanguageServerValidator(
  mode: YamlLanguageServerMode,
  schemas: KubernetesJsonSchemas,
): Promise<YamlLanguageServerValidator> {
  const yls = (await importModule('yaml-language-server')) as {
    getLanguageService(params: unknown): {
      configure(settings: unknown): void;
      doValidation(document: unknown, isKubernetes?: boolean): Promise<LspDiagnostic[]>;
    };
  };
  const { SettingsState } = (await importModule('yaml-language-server/out/src/yamlSettings.js')) as {
    SettingsState: new () => Record<string, unknown>;
  };
  const { TextDocument } = (await importModule('vscode-languageserver-textdocument')) as {
    TextDocument: { create(uri: string, languageId: string, version: number, text: string): unknown };
  };
  const settings = new SettingsState();
  settings.kubernetesCRDStoreEnabled = mode === 'kubernetes';
  const requested: string[] = [];
  const service = yls.getLanguageService({
    schemaRequestService: (uri: string) => {
      requested.push(uri);
      const name = uri.split('#')[0].split('/').pop();
      if (name === 'all.json') return Promise.resolve(schemas.allJson);
      if (name === '_definitions.json') return Promise.resolve(schemas.definitionsJson);
      return Promise.reject(new Error(`the benchmark serves no schema at ${uri}`));
    },
    workspaceContext: {
      resolveRelativePath: (relative: string, resource: string) => new URL(relative, resource).toString(),
    },
    telemetry: { send: () => undefined, sendError: () => undefined, sendTrack: () => undefined },
    yamlSettings: settings,
    clientCapabilities: {},
  });
  const isKubernetes = mode === 'kubernetes';
  service.configure({
    validate: true,
    hover: false,
    completion: false,
    format: false,
    isKubernetes,
    yamlVersion: '1.1',
    customTags: [],
    schemas: [{ uri: isKubernetes ? kubernetesSchemaUrl : singleSchemaUrl, fileMatch: ['*.yaml', '*.yml'] }],
  });
  return {
    mode,
    validate: (text, uri = `file:///podtrace-bench/${mode}/manifest.yaml`) => {
      // A new version each time: the server caches a parsed document by URI and version in
      // a cache shared by every service instance of the module, so the counter is shared
      // too and each mode has its own URI; otherwise one mode would reuse the other's parse.
      documentVersion++;
      return service.doValidation(TextDocument.create(uri, 'yaml', documentVersion, text), isKubernetes);
    },
  };
}
