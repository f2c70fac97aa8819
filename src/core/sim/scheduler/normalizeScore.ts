// helper.DefaultNormalizeScore (pkg/scheduler/framework/plugins/helper/normalize_score.go):
// scores scaled to 0..100 by the largest; reversed, 100 minus that. When every score is 0 they
// all become 0 (or 100 reversed): the plugin then tells no node apart.
export function defaultNormalizeScore(scores: Int32Array, n: number, reverse: boolean): void {
  let max = 0;
  for (let i = 0; i < n; i++) if (scores[i] > max) max = scores[i];
  for (let i = 0; i < n; i++) {
    const scaled = max === 0 ? 0 : Math.floor((100 * scores[i]) / max);
    scores[i] = reverse ? 100 - scaled : scaled;
  }
}
