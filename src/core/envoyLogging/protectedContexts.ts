/**
 * `meshDoctor.protectedContexts`: each entry is a glob over the whole context name (`*` any run of
 * characters, `?` one character; case-insensitive), or a regular expression written between
 * slashes (`/^gke_.*_prod-/`, flags allowed after the closing slash). The default `*prod*` catches
 * `prod`, `eu-prod-1`, `production`.
 */
export function contextPatternToRegExp(pattern: string): RegExp | undefined {
  const re = /^\/(.+)\/([a-z]*)$/.exec(pattern.trim());
  try {
    if (re) return new RegExp(re[1], re[2]);
    const body = pattern
      .trim()
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    return new RegExp(`^${body}$`, 'i');
  } catch {
    return undefined;
  }
}

/** The first pattern that matches `context`, or undefined. Invalid patterns are reported by `invalidContextPatterns`. */
export function matchingProtectedPattern(context: string, patterns: readonly string[]): string | undefined {
  return patterns.find((p) => contextPatternToRegExp(p)?.test(context));
}

export function invalidContextPatterns(patterns: readonly string[]): string[] {
  return patterns.filter((p) => !contextPatternToRegExp(p));
}
