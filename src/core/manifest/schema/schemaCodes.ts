// The finding codes of layer 2 (schema). Each is documented in the README under an anchor
// of the same name; findingCodes.ts lists them with the other layers' codes.
import type { FindingCodeInfo } from '../../base/finding';

export const schemaCodes = {
  unknownField: 'PT2001',
  wrongType: 'PT2002',
  yamlScalar: 'PT2003',
  requiredField: 'PT2004',
  quantity: 'PT2005',
  base64: 'PT2006',
  enumValue: 'PT2007',
  unknownKind: 'PT2008',
  removedApi: 'PT2009',
  deprecatedApi: 'PT2010',
  uncheckedKind: 'PT2011',
  namespaceOnClusterScoped: 'PT2012',
  duplicateObject: 'PT2013',
  missingTypeMeta: 'PT2014',
} as const;

export const schemaCodeInfos: readonly FindingCodeInfo[] = [
  { code: schemaCodes.unknownField, layer: 'schema', title: 'unknown field (strict field validation)' },
  { code: schemaCodes.wrongType, layer: 'schema', title: 'value of the wrong type' },
  {
    code: schemaCodes.yamlScalar,
    layer: 'schema',
    title: 'unquoted YAML 1.1 scalar read as a boolean or number where a string is expected',
  },
  { code: schemaCodes.requiredField, layer: 'schema', title: 'required field missing' },
  { code: schemaCodes.quantity, layer: 'schema', title: 'malformed resource quantity' },
  { code: schemaCodes.base64, layer: 'schema', title: 'data that is not base64' },
  { code: schemaCodes.enumValue, layer: 'schema', title: 'value outside a custom resource schema enum' },
  { code: schemaCodes.unknownKind, layer: 'schema', title: 'unknown apiVersion or kind' },
  { code: schemaCodes.removedApi, layer: 'schema', title: 'API removed from Kubernetes' },
  { code: schemaCodes.deprecatedApi, layer: 'schema', title: 'deprecated, alpha or beta API' },
  { code: schemaCodes.uncheckedKind, layer: 'schema', title: 'custom resource not checked (no CRD in the set)' },
  { code: schemaCodes.namespaceOnClusterScoped, layer: 'schema', title: 'namespace on a cluster-scoped kind' },
  { code: schemaCodes.duplicateObject, layer: 'schema', title: 'the same object defined twice' },
  { code: schemaCodes.missingTypeMeta, layer: 'schema', title: 'apiVersion or kind missing' },
];
