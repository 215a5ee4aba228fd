/**
 * A regular-expression matcher whose running time is linear in the text: the pattern becomes a
 * Thompson NFA that is simulated one text position at a time, keeping each state at most once per
 * position, so matching costs at most (text length + 1) × (pattern states) steps whatever the
 * pattern. JavaScript's RegExp backtracks instead: `/^([a-z0-9-]+)+!$/` takes seconds on a
 * 29-character name and doubles with each character more, which would freeze the extension host.
 *
 * The subset is what context-name patterns need: literals, `.`, classes (`[a-z0-9_-]`, `[^…]`,
 * `\d \w \s` and their negations), `^ $`, groups `( )` and `(?: )`, `|`, and the quantifiers
 * `* + ? {n} {n,} {n,m}` (lazy forms too; laziness does not change whether a pattern matches).
 * Backreferences, lookaround, named groups and word boundaries are refused with the reason: they
 * are what a linear-time matcher cannot offer. Pure; no I/O.
 */

export class PatternError extends Error {}

type CharTest = (ch: string) => boolean;

type Node =
  | { readonly kind: 'char'; readonly test: CharTest }
  | { readonly kind: 'start' }
  | { readonly kind: 'end' }
  | { readonly kind: 'concat'; readonly parts: readonly Node[] }
  | { readonly kind: 'alt'; readonly options: readonly Node[] }
  | { readonly kind: 'repeat'; readonly node: Node; readonly min: number; readonly max: number };

/** Largest `{n,m}` count: a larger one is certainly a mistake in a context-name pattern. */
const MAX_COUNT = 100;
/** NFA states a pattern may compile to; bounds the work per text character. */
const MAX_STATES = 4000;

const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;
const anyButNewline: CharTest = (c) => !LINE_TERMINATOR.test(c);
const anyChar: CharTest = () => true;
const CLASS_ESCAPES: Record<string, CharTest> = {
  d: (c) => c >= '0' && c <= '9',
  w: (c) => /[A-Za-z0-9_]/.test(c),
  s: (c) => /\s/.test(c),
};
const CONTROL_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', '0': '\0' };

function literalTest(ch: string, ignoreCase: boolean): CharTest {
  if (!ignoreCase) return (c) => c === ch;
  const lower = ch.toLowerCase();
  return (c) => c === ch || c.toLowerCase() === lower;
}

function caseless(test: CharTest, ignoreCase: boolean): CharTest {
  return ignoreCase ? (c) => test(c) || test(c.toLowerCase()) || test(c.toUpperCase()) : test;
}

class Parser {
  private pos = 0;

  constructor(
    private readonly src: string,
    private readonly ignoreCase: boolean,
  ) {}

  parse(): Node {
    const node = this.alternation();
    if (this.pos < this.src.length) throw new PatternError(`unmatched ")" at position ${this.pos + 1}`);
    return node;
  }

  private peek(): string | undefined {
    return this.src[this.pos];
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.peek() === '|') {
      this.pos++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0] : { kind: 'alt', options };
  }

  private sequence(): Node {
    const parts: Node[] = [];
    while (this.pos < this.src.length && this.peek() !== '|' && this.peek() !== ')') parts.push(this.repeated());
    return { kind: 'concat', parts };
  }

  private repeated(): Node {
    const node = this.atom();
    const bounds = this.quantifier();
    if (!bounds) return node;
    if (node.kind === 'start' || node.kind === 'end') throw new PatternError('an anchor (^ or $) cannot be repeated');
    if (this.peek() === '?') this.pos++;
    if ('*+?{'.includes(this.peek() ?? '') && this.quantifierAhead()) throw new PatternError(`nothing to repeat at position ${this.pos + 1}`);
    return { kind: 'repeat', node, min: bounds.min, max: bounds.max };
  }

  private quantifierAhead(): boolean {
    const ch = this.peek();
    return ch === '*' || ch === '+' || ch === '?' || (ch === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.pos)));
  }

  private quantifier(): { min: number; max: number } | undefined {
    const ch = this.peek();
    if (ch === '*' || ch === '+' || ch === '?') {
      this.pos++;
      return { min: ch === '+' ? 1 : 0, max: ch === '?' ? 1 : Infinity };
    }
    if (ch !== '{') return undefined;
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
    if (!m) throw new PatternError(`"{" at position ${this.pos + 1} is not a count such as {2,5}; write \\{ for a literal brace`);
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (min > MAX_COUNT || (max !== Infinity && max > MAX_COUNT)) throw new PatternError(`counts above ${MAX_COUNT} are not supported`);
    if (max < min) throw new PatternError(`{${min},${max}} has its numbers out of order`);
    this.pos += m[0].length;
    return { min, max };
  }

  private atom(): Node {
    const ch = this.src[this.pos];
    switch (ch) {
      case '(': {
        if (this.src.startsWith('(?:', this.pos)) this.pos += 3;
        else if (this.src[this.pos + 1] === '?') throw new PatternError('lookaround and named groups are not supported');
        else this.pos++;
        const inner = this.alternation();
        if (this.peek() !== ')') throw new PatternError('missing ")"');
        this.pos++;
        return inner;
      }
      case '[':
        return { kind: 'char', test: this.charClass() };
      case '.':
        this.pos++;
        return { kind: 'char', test: anyButNewline };
      case '^':
        this.pos++;
        return { kind: 'start' };
      case '$':
        this.pos++;
        return { kind: 'end' };
      case '\\':
        this.pos++;
        return { kind: 'char', test: this.escape(false) };
      case '*':
      case '+':
      case '?':
      case '{':
        throw new PatternError(`nothing to repeat at position ${this.pos + 1}`);
      default:
        this.pos++;
        return { kind: 'char', test: literalTest(ch, this.ignoreCase) };
    }
  }

  /** After a backslash: a class escape, a control character, or the next character literally. */
  private escape(inClass: boolean): CharTest {
    const c = this.src[this.pos];
    if (c === undefined) throw new PatternError('the pattern ends with a backslash');
    this.pos++;
    const lower = c.toLowerCase();
    if (CLASS_ESCAPES[lower]) {
      const test = CLASS_ESCAPES[lower];
      return c === lower ? test : (x) => !test(x);
    }
    if (c in CONTROL_ESCAPES) return literalTest(CONTROL_ESCAPES[c], false);
    if (c >= '1' && c <= '9') throw new PatternError('backreferences (\\1 …) are not supported');
    if (c === 'x' || c === 'u') {
      const digits = c === 'x' ? 2 : 4;
      const hex = this.src.slice(this.pos, this.pos + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) throw new PatternError(`\\${c} needs ${digits} hex digits`);
      this.pos += digits;
      return literalTest(String.fromCharCode(parseInt(hex, 16)), this.ignoreCase);
    }
    if (c === 'b' && inClass) return literalTest('\b', false);
    if (/[A-Za-z]/.test(c)) throw new PatternError(`\\${c} is not supported`);
    return literalTest(c, this.ignoreCase);
  }

  private charClass(): CharTest {
    this.pos++;
    const negated = this.peek() === '^';
    if (negated) this.pos++;
    const tests: CharTest[] = [];
    while (this.peek() !== ']') {
      if (this.pos >= this.src.length) throw new PatternError('missing "]"');
      const from = this.classMember();
      if (this.peek() === '-' && this.src[this.pos + 1] !== ']' && this.pos + 1 < this.src.length && typeof from === 'string') {
        this.pos++;
        const to = this.classMember();
        if (typeof to !== 'string') throw new PatternError('a class range cannot end in \\d, \\w or \\s');
        if (to < from) throw new PatternError(`the range ${from}-${to} is out of order`);
        tests.push((x) => x >= from && x <= to);
      } else {
        tests.push(typeof from === 'string' ? (x) => x === from : from);
      }
    }
    this.pos++;
    const member = caseless((x) => tests.some((t) => t(x)), this.ignoreCase);
    return negated ? (x) => !member(x) : member;
  }

  /** One character of a class (as a string, so it can start a range) or a class escape. */
  private classMember(): string | CharTest {
    const c = this.src[this.pos];
    if (c !== '\\') {
      this.pos++;
      return c;
    }
    this.pos++;
    const escaped = this.src[this.pos];
    if (escaped !== undefined && !CLASS_ESCAPES[escaped.toLowerCase()] && !(escaped in CONTROL_ESCAPES) && !/[A-Za-z0-9]/.test(escaped)) {
      this.pos++;
      return escaped;
    }
    return this.escape(true);
  }
}

type State =
  | { kind: 'char'; test: CharTest; out: number }
  | { kind: 'split'; out: number; out2: number }
  | { kind: 'start' | 'end'; out: number }
  | { kind: 'match' };

/** A compiled pattern: `test` searches the text, as RegExp.prototype.test does. */
export class LinearPattern {
  private constructor(
    private readonly states: readonly State[],
    private readonly start: number,
  ) {}

  /** A regular expression in the subset above; throws PatternError saying what is not supported. */
  static regex(source: string, ignoreCase: boolean): LinearPattern {
    return LinearPattern.compile(new Parser(source, ignoreCase).parse());
  }

  /** A glob over the whole text: `*` any run of characters, `?` one character, the rest literal. */
  static glob(glob: string, ignoreCase: boolean): LinearPattern {
    const parts: Node[] = [{ kind: 'start' }];
    for (const ch of glob) {
      if (ch === '*') parts.push({ kind: 'repeat', node: { kind: 'char', test: anyChar }, min: 0, max: Infinity });
      else if (ch === '?') parts.push({ kind: 'char', test: anyChar });
      else parts.push({ kind: 'char', test: literalTest(ch, ignoreCase) });
    }
    parts.push({ kind: 'end' });
    return LinearPattern.compile({ kind: 'concat', parts });
  }

  private static compile(node: Node): LinearPattern {
    const states: State[] = [{ kind: 'match' }];
    const add = (s: State): number => {
      if (states.length >= MAX_STATES) throw new PatternError('the pattern is too large');
      states.push(s);
      return states.length - 1;
    };
    // Builds `n` followed by the states starting at `next`; returns where `n` starts.
    const build = (n: Node, next: number): number => {
      switch (n.kind) {
        case 'char':
          return add({ kind: 'char', test: n.test, out: next });
        case 'start':
        case 'end':
          return add({ kind: n.kind, out: next });
        case 'concat':
          return n.parts.reduceRight((after, part) => build(part, after), next);
        case 'alt':
          return n.options.map((o) => build(o, next)).reduceRight((rest, first) => add({ kind: 'split', out: first, out2: rest }));
        case 'repeat': {
          let s: number;
          if (n.max === Infinity) {
            const loop = add({ kind: 'split', out: -1, out2: next });
            (states[loop] as { out: number }).out = build(n.node, loop);
            s = loop;
          } else {
            s = next;
            for (let i = n.min; i < n.max; i++) s = add({ kind: 'split', out: build(n.node, s), out2: next });
          }
          for (let i = 0; i < n.min; i++) s = build(n.node, s);
          return s;
        }
      }
    };
    const start = build(node, 0);
    return new LinearPattern(states, start);
  }

  test(text: string): boolean {
    const seen = new Int32Array(this.states.length).fill(-1);
    let current: number[] = [];
    let generation = 0;
    // Adds `from` and every state reachable without reading a character; true when that reaches the match.
    const close = (from: number, pos: number, into: number[]): boolean => {
      const stack = [from];
      let matched = false;
      while (stack.length > 0) {
        const i = stack.pop()!;
        if (seen[i] === generation) continue;
        seen[i] = generation;
        const s = this.states[i];
        if (s.kind === 'match') matched = true;
        else if (s.kind === 'char') into.push(i);
        else if (s.kind === 'split') stack.push(s.out2, s.out);
        else if ((s.kind === 'start' && pos === 0) || (s.kind === 'end' && pos === text.length)) stack.push(s.out);
      }
      return matched;
    };
    for (let pos = 0; ; pos++) {
      // A search: a new attempt may start at every position.
      if (close(this.start, pos, current)) return true;
      if (pos === text.length) return false;
      const ch = text[pos];
      const next: number[] = [];
      generation++;
      for (const i of current) {
        const s = this.states[i] as Extract<State, { kind: 'char' }>;
        if (s.test(ch) && close(s.out, pos + 1, next)) return true;
      }
      current = next;
    }
  }
}
