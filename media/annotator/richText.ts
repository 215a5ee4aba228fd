/**
 * Text that holds code: cluster names, settings and values become <code> elements, built with
 * DOM calls and textContent only, so neither the text nor its backticks can become markup.
 */
import { toDisplayText } from '../../src/annotator/displayText';
import { splitCodeSpans, type TextPart } from '../../src/core/text/codeSpans';
import { h } from './dom';

/** `parts` as inline nodes of `el`. */
export function appendParts(el: HTMLElement, parts: readonly TextPart[]): HTMLElement {
  for (const part of parts) el.appendChild(part.code ? h('code', { text: part.text }) : document.createTextNode(part.text));
  return el;
}

/**
 * An explanation or advice (untrusted where it quotes log text) shown with its Markdown code
 * spans as code: cut to `limit` and invisible characters revealed first, then split.
 */
export function richText<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text: string, limit: number): HTMLElementTagNameMap[K] {
  return appendParts(h(tag, { className }), splitCodeSpans(toDisplayText(text, limit).text)) as HTMLElementTagNameMap[K];
}
