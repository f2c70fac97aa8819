import type { CST } from 'yaml';

// Deep nesting: kubectl's decoders stop at 10000 levels (go-yaml's scanner and
// k8s.io/apimachinery/pkg/util/json both say `exceeded max depth of 10000`). podtrace's
// layers walk documents recursively and a JavaScript stack does not hold 10000 levels
// (the `yaml` package's own composer gives up near 800, at a column that depends on the
// stack), so podtrace validates documents up to maxNestingDepth levels, far deeper than
// any Kubernetes object, and reports one finding where a document passes that depth.

/** The deepest nesting of collections podtrace validates; a deeper document is not checked. */
export const maxNestingDepth = 200;
/** The depth past which kubectl's decoders reject a document. */
export const kubectlMaxDepth = 10000;

export interface TooDeep {
  /** Offset of the collection that passes maxNestingDepth. */
  readonly offset: number;
  /** True when the document also passes kubectl's own limit. */
  readonly kubectlRejects: boolean;
}

type Token = CST.Token;

/** Pushes the tokens nested directly in `token` (keys and values of its items) onto `stack`. */
function pushChildren(token: Token, depth: number, stack: [Token, number][]): void {
  if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') return;
  for (const item of token.items) {
    const key = 'key' in item ? item.key : undefined;
    if (key) stack.push([key, isCollection(key) ? depth + 1 : depth]);
    if (item.value) stack.push([item.value, isCollection(item.value) ? depth + 1 : depth]);
  }
}

function isCollection(token: Token): boolean {
  return token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection';
}

/**
 * How deep a document's collections nest, without recursion: the first collection past
 * maxNestingDepth, and whether the nesting goes on past kubectl's limit. Undefined when the
 * document stays within maxNestingDepth.
 */
export function tooDeepIn(document: CST.Document): TooDeep | undefined {
  if (!document.value) return undefined;
  const stack: [Token, number][] = [[document.value, isCollection(document.value) ? 1 : 0]];
  let first: number | undefined;
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (depth > maxNestingDepth && (first === undefined || token.offset < first)) first = token.offset;
    if (depth > kubectlMaxDepth) return { offset: first ?? token.offset, kubectlRejects: true };
    pushChildren(token, depth, stack);
  }
  return first === undefined ? undefined : { offset: first, kubectlRejects: false };
}
