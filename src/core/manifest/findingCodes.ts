// Every finding code podtrace emits, with a one-line title. The README documents each
// one under an anchor of the same name; a test keeps the two in step.
import type { FindingCodeInfo } from '../base/finding';
import { schemaCodeInfos } from './schema/schemaCodes';

import { ruleFindingCodes } from './rules/ruleCodes';
import { lintFindingCodes } from './lints/imageTagLint';

export const findingCodes: readonly FindingCodeInfo[] = [
  { code: 'PT1001', layer: 'yaml', title: 'YAML syntax error' },
  { code: 'PT1002', layer: 'yaml', title: 'duplicate mapping key' },
  { code: 'PT1003', layer: 'yaml', title: 'tab used for indentation' },
  { code: 'PT1004', layer: 'yaml', title: 'bad indentation' },
  { code: 'PT1005', layer: 'yaml', title: 'YAML warning' },
  ...schemaCodeInfos,
  ...ruleFindingCodes,
  ...lintFindingCodes,
];

export const documentationBase = 'https://github.com/podtrace/podtrace/blob/main/README.md';

export function findingHelpUri(code: string): string {
  return code ? `${documentationBase}#${code.toLowerCase()}` : documentationBase;
}
