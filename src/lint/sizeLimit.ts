import { readConfig } from '../config';

/** The largest text linted, in UTF-16 code units, from `meshDoctor.lint.maxFileSizeMB`. */
export function maxLintChars(): number {
  const mb = readConfig().lintMaxFileSizeMB;
  // A non-positive or non-numeric setting would disable the bound; keep the default instead.
  return (Number.isFinite(mb) && mb > 0 ? mb : 2) * 1024 * 1024;
}

export function formatMegabytes(chars: number): string {
  return `${(chars / (1024 * 1024)).toFixed(1)} MB`;
}
