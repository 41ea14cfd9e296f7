/**
 * An incremental scanner of one JSON document that finds the array of records at a path (`data.items`, `""` for the
 * document itself) and hands out each element's source text, in constant memory: text is pushed in pieces of any
 * size, and only the element being read (or one token outside the records) is kept. Outside the records every token
 * is checked, so a file that is not JSON, or ends early, fails with the byte offset where it went wrong; an element's
 * extent is found by counting brackets outside strings, and the element itself is left to `JSON.parse`.
 */

const LF = 10;
const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const BACKSLASH = 92;

/** Thrown when the input is not one JSON document holding an array at the path. */
export class JsonFormatError extends Error {
  constructor(
    readonly byteOffset: number,
    message: string,
  ) {
    super(`at byte ${byteOffset}: ${message}`);
    this.name = 'JsonFormatError';
  }
}

/**
 * Receives each element of the records array: its text and the line it starts on. Returns why the text is not JSON
 * (the scan then fails at the element's byte offset), or undefined.
 */
export type RecordSink = (text: string, lineNo: number) => string | undefined;

/** What comes next inside a container, or at the top. */
const Expect = { value: 0, keyOrEnd: 1, key: 2, colon: 3, commaOrEnd: 4, valueOrEnd: 5, done: 6 } as const;
type Expect = (typeof Expect)[keyof typeof Expect];

interface Frame {
  readonly array: boolean;
  /** The current key (objects) or index (arrays): the step to the value being read. */
  step: string | number;
  /** This array holds the records. */
  readonly records: boolean;
}

/** An element being scanned across pushes: positions relative to its start. */
interface Pending {
  depth: number;
  p: number;
}

const STRUCTURE = /["[\]{}]/g;
const SCALAR_END = /[,\]}\s]/g;
const WHOLE_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export class JsonArrayScanner {
  private readonly stack: Frame[] = [];
  private expect: Expect = Expect.value;
  private rest = '';
  /** Bytes and lines before `rest`. */
  private bytesBefore = 0;
  private line = 1;
  private started = false;
  private found = false;
  private pending: Pending | undefined;

  constructor(
    private readonly path: ReadonlyArray<string | number>,
    private readonly sink: RecordSink,
    private readonly maxRecordChars: number,
  ) {}

  /** Scans as much of `text` (appended to any unfinished token or element) as it can. */
  push(text: string): void {
    this.scan(text, false);
  }

  /** The input ended: fails unless the document is complete and held the records array. */
  end(): void {
    this.scan('', true);
    const at = this.bytesBefore + byteLength(this.rest);
    if (!this.started) throw new JsonFormatError(at, 'the file is empty: expected a JSON document');
    if (this.expect !== Expect.done)
      throw new JsonFormatError(at, 'the file ends inside the JSON document: it is truncated or not JSON');
    if (!this.found)
      throw new JsonFormatError(at, `the document has no array at ${describePath(this.path)}; check \`records\``);
  }

  private scan(text: string, final: boolean): void {
    const buf = this.rest.length > 0 ? this.rest + text : text;
    const len = buf.length;
    let pos = 0;
    if (!this.started && len > 0) {
      if (buf.charCodeAt(0) === 0xfeff) pos = 1;
    }
    const fail = (at: number, message: string): never => {
      throw new JsonFormatError(this.bytesBefore + byteLength(buf.slice(0, at)), message);
    };
    while (pos < len) {
      const c = buf.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 13 || c === LF) {
        if (c === LF) this.line++;
        pos++;
        continue;
      }
      this.started = true;
      const top = this.stack[this.stack.length - 1];
      if (top?.records && (this.expect === Expect.valueOrEnd || this.expect === Expect.value) && c !== CLOSE_BRACKET) {
        const end = this.elementEnd(buf, pos, final, fail);
        if (end < 0) break;
        const record = buf.slice(pos, end);
        const problem = this.sink(record, this.line);
        if (problem !== undefined) fail(pos, `a record that is not valid JSON (${problem})`);
        this.line += countLines(record);
        pos = end;
        this.expect = Expect.commaOrEnd;
        continue;
      }
      const next = this.token(buf, pos, final, fail);
      if (next < 0) break;
      pos = next;
    }
    if (len - pos > this.maxRecordChars) fail(pos, `a record or value longer than ${this.maxRecordChars} characters`);
    this.bytesBefore += byteLength(pos === len ? buf : buf.slice(0, pos));
    this.rest = pos < len ? buf.slice(pos) : '';
  }

  /** Position after the element starting at `pos`, or -1 when it continues past the buffer. */
  private elementEnd(buf: string, pos: number, final: boolean, fail: (at: number, m: string) => never): number {
    const c = buf.charCodeAt(pos);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const state = this.pending ?? { depth: 0, p: pos };
      if (this.pending) state.p += pos;
      const end = bracketEnd(buf, state);
      if (end >= 0) {
        this.pending = undefined;
        return end;
      }
      if (final) fail(pos, 'the file ends inside a record: it is truncated');
      state.p -= pos;
      this.pending = state;
      return -1;
    }
    if (c === QUOTE) {
      const end = stringEnd(buf, pos);
      if (end < 0 && final) fail(pos, 'the file ends inside a string: it is truncated');
      return end;
    }
    if (c === COMMA || c === COLON || c === CLOSE_BRACE) fail(pos, `unexpected ${JSON.stringify(buf[pos])}`);
    SCALAR_END.lastIndex = pos;
    const m = SCALAR_END.exec(buf);
    if (!m && !final) return -1;
    return m ? m.index : buf.length;
  }

  /** Reads one token outside the records; returns the position after it, or -1 when it may continue. */
  private token(buf: string, pos: number, final: boolean, fail: (at: number, m: string) => never): number {
    const c = buf.charCodeAt(pos);
    const frame = this.stack[this.stack.length - 1];
    switch (this.expect) {
      case Expect.done:
        return fail(pos, 'unexpected text after the JSON document');
      case Expect.colon:
        if (c !== COLON) fail(pos, 'expected ":" after an object key');
        this.expect = Expect.value;
        return pos + 1;
      case Expect.commaOrEnd:
        if (c === COMMA) {
          if (frame?.array) frame.step = (frame.step as number) + 1;
          this.expect = frame?.array ? Expect.value : Expect.key;
          return pos + 1;
        }
        return this.close(c, pos, fail);
      case Expect.keyOrEnd:
      case Expect.key: {
        if (c === CLOSE_BRACE && this.expect === Expect.keyOrEnd) return this.close(c, pos, fail);
        if (c !== QUOTE) fail(pos, 'expected an object key (a string in double quotes)');
        const end = stringEnd(buf, pos);
        if (end < 0) return final ? fail(pos, 'the file ends inside a key: it is truncated') : -1;
        (frame as Frame).step = parseString(buf.slice(pos, end), pos, fail);
        this.expect = Expect.colon;
        return end;
      }
      case Expect.valueOrEnd:
        if (c === CLOSE_BRACKET) return this.close(c, pos, fail);
        return this.value(buf, pos, final, fail);
      case Expect.value:
        return this.value(buf, pos, final, fail);
    }
  }

  private value(buf: string, pos: number, final: boolean, fail: (at: number, m: string) => never): number {
    const c = buf.charCodeAt(pos);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const array = c === OPEN_BRACKET;
      const records = !this.found && this.atPath();
      if (records) {
        if (!array) fail(pos, `the value at ${describePath(this.path)} is an object, not an array of records`);
        this.found = true;
      }
      this.stack.push({ array, step: array ? 0 : '', records });
      this.expect = array ? Expect.valueOrEnd : Expect.keyOrEnd;
      return pos + 1;
    }
    let end: number;
    if (c === QUOTE) {
      end = stringEnd(buf, pos);
      if (end < 0) return final ? fail(pos, 'the file ends inside a string: it is truncated') : -1;
      parseString(buf.slice(pos, end), pos, fail);
    } else {
      // A number or literal ends at a delimiter; one that reaches the end of the buffer may go on in the next piece.
      SCALAR_END.lastIndex = pos;
      const m = SCALAR_END.exec(buf);
      if (!m && !final) return -1;
      end = m ? m.index : buf.length;
      const token = buf.slice(pos, end);
      if (!LITERALS.includes(token) && !WHOLE_NUMBER.test(token)) {
        const truncated = !m && LITERALS.some((l) => l.startsWith(token));
        fail(
          pos,
          truncated
            ? 'the file ends inside a value: it is truncated'
            : `unexpected ${JSON.stringify(token.slice(0, 20) || buf[pos])}`,
        );
      }
    }
    if (!this.found && this.atPath()) fail(pos, `the value at ${describePath(this.path)} is not an array of records`);
    this.afterValue();
    return end;
  }

  /** Closes the innermost container with `c` (`]` or `}`). */
  private close(c: number, pos: number, fail: (at: number, m: string) => never): number {
    const frame = this.stack[this.stack.length - 1];
    if (!frame || c !== (frame.array ? CLOSE_BRACKET : CLOSE_BRACE))
      fail(pos, frame ? `expected "," or "${frame.array ? ']' : '}'}"` : `unexpected ${String.fromCharCode(c)}`);
    this.stack.pop();
    this.afterValue();
    return pos + 1;
  }

  private afterValue(): void {
    this.expect = this.stack.length === 0 ? Expect.done : Expect.commaOrEnd;
  }

  /** Whether the value about to start is the one at the records path. */
  private atPath(): boolean {
    const { stack, path } = this;
    if (stack.length !== path.length) return false;
    for (let i = 0; i < path.length; i++) {
      const f = stack[i] as Frame;
      const step = path[i];
      if (f.array ? f.step !== step : typeof step !== 'string' || f.step !== step) return false;
    }
    return true;
  }
}

const LITERALS = ['true', 'false', 'null'];

/** Position after the bracketed value scanned from `state.p` at depth `state.depth`, or -1 (state kept). */
function bracketEnd(buf: string, state: Pending): number {
  for (;;) {
    STRUCTURE.lastIndex = state.p;
    const m = STRUCTURE.exec(buf);
    if (!m) {
      state.p = buf.length;
      return -1;
    }
    const i = m.index;
    const c = buf.charCodeAt(i);
    if (c === QUOTE) {
      const e = stringEnd(buf, i);
      if (e < 0) {
        state.p = i;
        return -1;
      }
      state.p = e;
      continue;
    }
    state.p = i + 1;
    if (c === OPEN_BRACE || c === OPEN_BRACKET) state.depth++;
    else if (--state.depth === 0) return i + 1;
  }
}

/** Position after the string whose opening quote is at `i`, or -1 when it does not end in `buf`. */
function stringEnd(buf: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = buf.indexOf('"', j);
    if (q < 0) return -1;
    let backslashes = 0;
    for (let k = q - 1; k > i && buf.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}

function parseString(token: string, pos: number, fail: (at: number, m: string) => never): string {
  try {
    return JSON.parse(token) as string;
  } catch {
    return fail(pos, 'a string that is not valid JSON (a bad escape or a raw control character)');
  }
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function describePath(path: ReadonlyArray<string | number>): string {
  if (path.length === 0) return 'the top (records: "")';
  return `records: ${JSON.stringify(path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join(''))}`;
}
