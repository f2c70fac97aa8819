// kubectl reads a file whose first non-space character is `{` as a stream of JSON values
// (k8s.io/apimachinery/pkg/util/yaml, YAMLOrJSONDecoder) with Go's encoding/json. This
// scanner follows encoding/json's grammar and words its errors as Go does, so podtrace can
// say what kubectl says about a .json manifest that YAML would accept (trailing commas,
// comments, single quotes). It works without recursion: a hostile file nests deep.

export interface JsonStreamVerdict {
  /** JSON values read whole before the error. */
  readonly valuesBefore: number;
  /** Index in the text of the character Go stops at (the text's length at an unexpected end). */
  readonly at: number;
  /** Go's error text: `invalid character '}' looking for beginning of object key string`, `unexpected EOF`, ... */
  readonly message: string;
  /** True for a json.SyntaxError, which kubectl prefixes with `json: offset N:`; false for an unexpected end. */
  readonly syntax: boolean;
}

/** encoding/json's maxNestingDepth. */
const maxNestingDepth = 10000;

/** True when kubectl would read this text as JSON: its first non-space character is `{`. */
export function looksLikeJsonStream(text: string): boolean {
  return /^\s*\{/.test(text);
}

/** How encoding/json quotes a character in its messages (quoteChar in scanner.go). */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const quoted = JSON.stringify(c);
  return `'${quoted.slice(1, -1)}'`;
}

class Stop {
  constructor(
    readonly at: number,
    readonly message: string,
    readonly syntax = true,
  ) {}
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

class Scanner {
  i = 0;
  constructor(readonly text: string) {}

  fail(context: string): never {
    if (this.i >= this.text.length) throw new Stop(this.text.length, 'unexpected EOF', false);
    const c = String.fromCodePoint(this.text.codePointAt(this.i)!);
    throw new Stop(this.i, `invalid character ${quoteChar(c)} ${context}`);
  }

  skipSpace(): void {
    while (this.i < this.text.length && isSpace(this.text.charCodeAt(this.i))) this.i++;
  }

  string(): void {
    this.i++; // the opening quote
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) this.fail('');
      if (c === '"') return void this.i++;
      if (c === '\\') {
        this.i++;
        const e = this.text[this.i];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) this.i++;
        else if (e === 'u') {
          this.i++;
          for (let k = 0; k < 4; k++, this.i++) {
            if (!/[0-9a-fA-F]/.test(this.text[this.i] ?? '')) this.fail('in \\u hexadecimal character escape');
          }
        } else this.fail('in string escape code');
      } else if (c.charCodeAt(0) < 0x20) this.fail('in string literal');
      else this.i++;
    }
  }

  number(): void {
    if (this.text[this.i] === '-') {
      this.i++;
      if (!isDigit(this.text[this.i])) this.fail('in numeric literal');
    }
    if (this.text[this.i] === '0') this.i++;
    else while (isDigit(this.text[this.i])) this.i++;
    if (this.text[this.i] === '.') {
      this.i++;
      if (!isDigit(this.text[this.i])) this.fail('after decimal point in numeric literal');
      while (isDigit(this.text[this.i])) this.i++;
    }
    if (this.text[this.i] === 'e' || this.text[this.i] === 'E') {
      this.i++;
      if (this.text[this.i] === '+' || this.text[this.i] === '-') this.i++;
      if (!isDigit(this.text[this.i])) this.fail('in exponent of numeric literal');
      while (isDigit(this.text[this.i])) this.i++;
    }
  }

  literal(word: string): void {
    for (let k = 1; k < word.length; k++) {
      this.i++;
      if (this.text[this.i] !== word[k]) this.fail(`in literal ${word} (expecting ${quoteChar(word[k])})`);
    }
    this.i++;
  }

  /** A scalar value; the caller has skipped the space before it. */
  scalar(): void {
    const c = this.text[this.i];
    if (c === '"') this.string();
    else if (c === '-' || isDigit(c)) this.number();
    else if (c === 't') this.literal('true');
    else if (c === 'f') this.literal('false');
    else if (c === 'n') this.literal('null');
    else this.fail('looking for beginning of value');
  }

  key(): void {
    if (this.text[this.i] !== '"') this.fail('looking for beginning of object key string');
    this.string();
    this.skipSpace();
    if (this.text[this.i] !== ':') this.fail('after object key');
    this.i++;
  }

  /** One whole top-level value, with an explicit stack of open collections instead of recursion. */
  value(): void {
    const stack: string[] = [];
    let needValue = true;
    for (;;) {
      this.skipSpace();
      const c = this.text[this.i];
      if (needValue) {
        if (c !== '{' && c !== '[') {
          this.scalar();
          needValue = false;
          continue;
        }
        if (stack.length >= maxNestingDepth) this.fail('exceeded max depth');
        stack.push(c === '{' ? '}' : ']');
        this.i++;
        this.skipSpace();
        if (this.text[this.i] === stack[stack.length - 1]) {
          stack.pop();
          this.i++;
          needValue = false;
        } else if (c === '{') this.key();
        continue;
      }
      if (stack.length === 0) return;
      const close = stack[stack.length - 1];
      if (c === ',') {
        this.i++;
        this.skipSpace();
        if (close === '}') this.key();
        needValue = true;
      } else if (c === close) {
        stack.pop();
        this.i++;
      } else this.fail(close === '}' ? 'after object key:value pair' : 'after array element');
    }
  }
}

/**
 * Reads `text` as Go's json.Decoder reads a stream: values one after another until the
 * end. Undefined when the whole stream is valid JSON.
 */
export function scanJsonStream(text: string): JsonStreamVerdict | undefined {
  const scanner = new Scanner(text);
  let values = 0;
  try {
    for (;;) {
      scanner.skipSpace();
      if (scanner.i >= text.length) return undefined;
      scanner.value();
      values++;
    }
  } catch (stop) {
    if (!(stop instanceof Stop)) throw stop;
    return { valuesBefore: values, at: stop.at, message: stop.message, syntax: stop.syntax };
  }
}

/** Go's json.SyntaxError offset: the bytes of UTF-8 read, up to and including the bad character. */
export function goByteOffset(text: string, at: number): number {
  const upTo = text.slice(0, at + 1);
  return new TextEncoder().encode(upTo).length;
}
