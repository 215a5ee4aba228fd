/**
 * Untrusted text (log lines, manifest values, cluster and file names, server error text) is shown
 * in places that render some markup. These functions make it inert there. Pure; no `vscode`.
 *
 * Where each one belongs:
 * - notifications (show{Information,Warning,Error}Message, modal dialogs too): `notificationText`
 *   on the whole message;
 * - quick-pick labels/descriptions/details, status bar text, code lens titles (all render
 *   `$(icon)` syntax): `iconSafeText`;
 * - MarkdownString tooltips and hovers: `appendText` of an untrusted, non-HTML MarkdownString
 *   (see src/explorer/clusterText.ts), never `appendMarkdown` of untrusted text.
 */
import { revealInvisible } from './invisible';

/**
 * VS Code turns exactly one pattern of a notification's message into a link (`parseLinkedText` in
 * vs/base/common/linkedText.ts, used by NotificationViewItem):
 *   /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^\)\s]+)(?: (["'])(.+?)(\3))?\)/gi
 * after cutting the message at 1000 characters and replacing line breaks by spaces. Reference
 * links (`[x]: command:…`), autolinks (`<command:…>`) and bare `command:` URLs stay plain text;
 * the linked-text renderer knows no other syntax and no escape character.
 *
 * Every link therefore contains `]` immediately followed by `(`. Putting a space between them
 * breaks every possible match, and neither of VS Code's own steps can join them again: the cut
 * only removes a suffix, the line-break replacement only writes spaces. Invisible and
 * direction-changing characters are revealed as well (after line breaks become spaces, as VS Code
 * would show them), so a name cannot hide or reorder the text
 * around it (U+202E) or make `]\u200B(` look like a link that is not one.
 *
 * Apply it to the whole message, not only to the untrusted parts: `[Fix]` from one value followed
 * by `(command:…)` from another would join into a link in a concatenation.
 */
export function notificationText(message: string): string {
  return revealInvisible(message.replace(/\r\n|\n|\r/g, ' ')).replace(/\]\(/g, '] (');
}

/**
 * Quick-pick items, status bar items and code lens titles render `$(name)` as an icon (and
 * `$(loading~spin)` as an animation) and show one line: `\$(` is VS Code's escape for a literal
 * `$(`, and control characters become spaces.
 */
export function iconSafeText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\$\(/g, '\\$(');
}

/**
 * Untrusted text in Markdown Mesh Doctor writes: the diagnosis report (read in any CommonMark or
 * GitHub renderer) and MarkdownString tooltips that must wrap at word boundaries (VS Code's own
 * `appendText` writes every space as `&nbsp;`, vs/base/common/htmlContent.ts). CommonMark lets any
 * ASCII punctuation be backslash-escaped, and escaping all of it leaves no emphasis, link, HTML,
 * entity, icon, table cell or autolink to form; plain spaces stay. Line breaks become spaces (a
 * value cannot start a heading or list), and invisible characters are revealed first, so their
 * escapes' backslashes show as written.
 */
export function markdownText(text: string): string {
  return revealInvisible(text.replace(/\r\n|\n|\r/g, ' ')).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}
