// "Did you mean" for field names, kinds and groups: the closest candidate by edit distance,
// within a budget that grows with the word, so `imagePullPolicyy` finds `imagePullPolicy`
// but `foo` does not find `fsGroup`.

/**
 * Edit distance counting a swap of two neighbours as one edit (optimal string alignment),
 * so `paht` is one edit from `path`; gives up with `limit + 1` once it cannot stay within.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let twoBack = new Array<number>(b.length + 1).fill(0);
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = current[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1))
        d = Math.min(d, twoBack[j - 2] + 1);
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return previous[b.length];
}

/** The budget of edits for a word: 1 for short words, up to 3 for long ones. */
function budgetFor(word: string): number {
  return word.length <= 4 ? 1 : word.length <= 10 ? 2 : 3;
}

/**
 * The candidate closest to `word`, or undefined when none is close. A candidate equal
 * ignoring case wins outright (`ImagePullPolicy` → `imagePullPolicy`).
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const budget = budgetFor(word);
  let best: string | undefined;
  let bestDistance = budget + 1;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    if (candidate.toLowerCase() === lower) return candidate;
    const d = editDistance(lower, candidate.toLowerCase(), budget);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
