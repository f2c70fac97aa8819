/**
 * A regular expression written as several literals, so that a long one fits in 120 columns
 * and each part still reads as a regular expression: `regExpOf(/^a message: /, /the rest$/)`
 * matches what `/^a message: the rest$/` matches. Every part must carry the same flags, which
 * the result takes: a part such as `\p{L}` means something else without `u`.
 */
export function regExpOf(...parts: readonly RegExp[]): RegExp {
  if (parts.length === 0) throw new Error('regExpOf: expected at least one part, got none');
  const flags = parts[0].flags;
  for (const [i, part] of parts.entries()) {
    if (part.flags !== flags)
      throw new Error(
        `regExpOf: expected every part to have the flags "${flags}" of the first, part ${i} has "${part.flags}"`,
      );
  }
  return new RegExp(parts.map((p) => p.source).join(''), flags);
}
