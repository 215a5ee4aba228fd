import { LinearPattern, PatternError } from '../text/linearPattern';

/**
 * `meshDoctor.protectedContexts`: each entry is a glob over the whole context name (`*` any run of
 * characters, `?` one character; case-insensitive), or a regular expression written between
 * slashes (`/^gke_.*_prod-/`, flags after the closing slash; only `i` changes anything). The
 * default `*prod*` catches `prod`, `eu-prod-1`, `production`.
 *
 * Both are matched by LinearPattern, never by RegExp: an entry such as `/^([a-z0-9-]+)+!$/` makes
 * a backtracking engine take exponential time in the context name's length, and matching runs on
 * the extension host. Regex features a linear matcher cannot offer (backreferences, lookaround)
 * make the entry invalid, with the reason.
 */
export function compileContextPattern(pattern: string): LinearPattern {
  const trimmed = pattern.trim();
  const re = /^\/(.+)\/([a-z]*)$/.exec(trimmed);
  if (!re) return LinearPattern.glob(trimmed, true);
  const unknownFlag = /[^dgimsuvy]/.exec(re[2]);
  if (unknownFlag) throw new PatternError(`unknown flag "${unknownFlag[0]}"`);
  return LinearPattern.regex(re[1], re[2].includes('i'));
}

function compiled(pattern: string): LinearPattern | undefined {
  try {
    return compileContextPattern(pattern);
  } catch (err) {
    if (err instanceof PatternError) return undefined;
    throw err;
  }
}

/** The first pattern that matches `context`, or undefined. Invalid patterns are reported by `invalidContextPatterns`. */
export function matchingProtectedPattern(context: string, patterns: readonly string[]): string | undefined {
  return patterns.find((p) => compiled(p)?.test(context));
}

export interface InvalidContextPattern {
  readonly pattern: string;
  readonly reason: string;
}

export function invalidContextPatterns(patterns: readonly string[]): InvalidContextPattern[] {
  const invalid: InvalidContextPattern[] = [];
  for (const pattern of patterns) {
    try {
      compileContextPattern(pattern);
    } catch (err) {
      if (!(err instanceof PatternError)) throw err;
      invalid.push({ pattern, reason: err.message });
    }
  }
  return invalid;
}
