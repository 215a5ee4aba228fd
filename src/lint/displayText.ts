/**
 * Text from manifests, file names and workspace settings is untrusted. These helpers keep it from
 * being read as markup by the places that render some.
 */

/**
 * Code lens titles render `$(name)` as an icon and cannot show line breaks: escape icon syntax and
 * flatten control characters.
 */
export function escapeLensText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\$\(/g, '\\$(');
}

/**
 * Notifications turn `[label](target)` into a link, `command:` targets included, and have no escape
 * syntax; a space between `]` and `(` keeps a file name or setting value from becoming one.
 */
export function escapeNotificationText(text: string): string {
  return text.replace(/\]\(/g, '] (');
}
