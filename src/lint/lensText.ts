/**
 * Code lens titles render `$(name)` as an icon and cannot show line breaks. Lens text quotes values
 * and names from the manifest, which is untrusted, so escape icon syntax and flatten control characters.
 */
export function escapeLensText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\$\(/g, '\\$(');
}
