// Where a JSON text goes wrong. V8 names the position for some syntax errors ("... at position 14")
// but not for others ("Unexpected token ''', ... is not valid JSON"), and those are the slips people
// make most when they edit sources.json by hand: single quotes and trailing commas. This reader
// walks the grammar only to find the offset of the first character that cannot be there.

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'] as const;

class Failure {
  constructor(readonly offset: number) {}
}

/**
 * The offset of the first syntax error in `text`, or undefined when it is valid JSON.
 *
 * @example
 * jsonErrorOffset('{"a": [1,]}') // 9, the "]" after the trailing comma
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw new Failure(i);
  };
  const skip = (): void => {
    while (i < text.length && WHITESPACE.has(text[i] as string)) i++;
  };
  const string = (): void => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail();
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail();
    i++;
  };
  /** The members of an object or the items of a list, after its opening bracket, to `close`. */
  const sequence = (close: string, member: () => void): void => {
    i++;
    skip();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      member();
      skip();
      if (text[i] === close) {
        i++;
        return;
      }
      if (text[i] !== ',') fail();
      i++;
    }
  };
  const property = (): void => {
    skip();
    string();
    skip();
    if (text[i] !== ':') fail();
    i++;
    value();
  };
  const value = (): void => {
    skip();
    const c = text[i];
    const literal = LITERALS.find((l) => text.startsWith(l, i));
    if (c === '{') sequence('}', property);
    else if (c === '[') sequence(']', value);
    else if (c === '"') string();
    else if (literal) i += literal.length;
    else number();
  };
  const number = (): void => {
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) fail();
    i = NUMBER.lastIndex;
  };
  try {
    value();
    skip();
    if (i < text.length) fail();
    return undefined;
  } catch (e) {
    // Anything else (a stack too deep for this reader) leaves V8's own message to speak alone.
    return e instanceof Failure ? e.offset : undefined;
  }
}
