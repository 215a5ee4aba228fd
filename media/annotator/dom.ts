/**
 * The only way the webview builds DOM: text goes in through textContent, attributes come from a
 * closed set of names (no `on*` handlers, no `href`/`src`), so log text can never become markup.
 */

type SafeAttribute = 'role' | 'id' | 'tabindex' | 'title' | 'type' | `aria-${string}` | `data-${string}`;

export interface ElementProps {
  readonly className?: string;
  readonly text?: string;
  readonly attrs?: Partial<Record<SafeAttribute, string>>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: (Node | null)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.className) el.className = props.className;
  if (props.text !== undefined) el.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value !== undefined) el.setAttribute(name, value);
  }
  for (const child of children) if (child) el.appendChild(child);
  return el;
}

export function button(label: string, onClick: () => void, props: ElementProps = {}): HTMLButtonElement {
  const b = h('button', { ...props, text: label, attrs: { type: 'button', ...props.attrs } });
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    onClick();
  });
  return b;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

type SvgAttribute = 'x' | 'y' | 'x1' | 'x2' | 'y1' | 'y2' | 'cx' | 'cy' | 'r' | 'width' | 'height' | 'viewBox' | 'class' | 'text-anchor' | 'role' | 'aria-label' | 'preserveAspectRatio';

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Partial<Record<SvgAttribute, string | number>> = {},
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined) el.setAttribute(name, String(value));
  }
  if (text !== undefined) el.textContent = text;
  return el;
}
