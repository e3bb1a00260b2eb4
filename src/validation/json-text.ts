import { type Issue, issue } from '../kernel';

/**
 * Reading a FHIR JSON file as the HL7 validator does (json.html; its JSON parser): strict JSON
 * (RFC 8259) is read with JSON.parse. Text that JSON.parse refuses is read again by a tolerant
 * reader that reports each problem it can recover from — a comment (allowed when
 * `allowComments`, the HL7 `allow-comments` option: JSON5-style `//` and block comments), a
 * missing or extra comma, a property name or string value without quotes — and goes on, so that
 * one file gets every such error, not just the first. Anything else (an unexpected close marker,
 * a stray character, unterminated text) is one fatal `VAL-JSON`, as before.
 */

export interface JsonRead {
  /** The value read; undefined when the text could not be read at all. */
  value?: unknown;
  issues: Issue[];
}

export function readFhirJson(text: string, options: { allowComments?: boolean } = {}): JsonRead {
  try {
    return { value: JSON.parse(text), issues: [] };
  } catch (err) {
    const strictError = err instanceof Error ? err.message : String(err);
    try {
      const reader = new TolerantReader(text, options.allowComments === true);
      const value = reader.document();
      if (reader.issues.length === 0 && (reader.recovered || !reader.sawComment)) throw new Error(strictError);
      return { value, issues: reader.issues };
    } catch {
      return { issues: [issue('VAL-JSON', { reason: strictError })] };
    }
  }
}

class Unrecoverable extends Error {}

const BARE_WORD = /[A-Za-z_$][A-Za-z0-9_$-]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class TolerantReader {
  readonly issues: Issue[] = [];
  sawComment = false;
  /** A problem was read past without an issue of its own (a missing comma between array items). */
  recovered = false;
  private pos = 0;

  constructor(private readonly text: string, private readonly allowComments: boolean) {}

  document(): unknown {
    const value = this.value('');
    this.skip();
    if (this.pos < this.text.length) throw new Unrecoverable(`unexpected content at ${this.pos}`);
    return value;
  }

  private problem(problem: string): void {
    this.issues.push(issue('VAL-JSON-SYNTAX', { problem }));
  }

  /** Whitespace and comments. */
  private skip(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) {
        this.pos++;
      } else if (c === 47 /* / */ && this.text[this.pos + 1] === '/') {
        const end = this.text.indexOf('\n', this.pos);
        this.pos = end < 0 ? this.text.length : end + 1;
        this.comment();
      } else if (c === 47 && this.text[this.pos + 1] === '*') {
        const end = this.text.indexOf('*/', this.pos + 2);
        if (end < 0) throw new Unrecoverable('unterminated comment');
        this.pos = end + 2;
        this.comment();
      } else {
        return;
      }
    }
  }

  private comment(): void {
    this.sawComment = true;
    if (!this.allowComments) this.issues.push(issue('VAL-JSON-COMMENT'));
  }

  private peek(): string {
    this.skip();
    return this.text[this.pos] ?? '';
  }

  private value(name: string): unknown {
    const c = this.peek();
    if (c === '{') return this.object();
    if (c === '[') return this.array(name);
    if (c === '"') return this.string();
    NUMBER.lastIndex = this.pos;
    const number = NUMBER.exec(this.text);
    if (number) {
      this.pos += number[0].length;
      return JSON.parse(number[0]) as number;
    }
    const word = this.bareWord();
    if (word === undefined) throw new Unrecoverable(`unexpected "${c}" at ${this.pos}`);
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    this.problem(`the JSON property "${name}" has no quotes around the value of the property "${word}"`);
    return word;
  }

  private bareWord(): string | undefined {
    BARE_WORD.lastIndex = this.pos;
    const m = BARE_WORD.exec(this.text);
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === '\n') throw new Unrecoverable('unterminated string');
      if (c === '\\') this.pos += 2;
      else if (c === '"') break;
      else this.pos++;
    }
    this.pos++;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private name(): string {
    if (this.peek() === '"') return this.string();
    const word = this.bareWord();
    if (word === undefined) throw new Unrecoverable(`property name expected at ${this.pos}`);
    this.problem(`the JSON property "${word}" has no quotes around the name of the property`);
    return word;
  }

  private startsValue(c: string): boolean {
    return c === '"' || c === '{' || c === '[' || c === '-' || /[A-Za-z0-9_$]/.test(c);
  }

  private object(): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    if (this.peek() === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      const key = this.name();
      if (this.peek() !== ':') throw new Unrecoverable(`":" expected at ${this.pos}`);
      this.pos++;
      out[key] = this.value(key);
      const c = this.peek();
      if (c === '}') {
        this.pos++;
        return out;
      }
      if (c === ',') {
        this.pos++;
        if (this.peek() === '}') {
          this.problem('there is an extra comma at the end of the object');
          this.pos++;
          return out;
        }
      } else if (this.startsValue(c)) {
        this.problem('a comma is missing');
      } else {
        throw new Unrecoverable(`unexpected "${c}" at ${this.pos}`);
      }
    }
  }

  private array(name: string): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    if (this.peek() === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(name));
      const c = this.peek();
      if (c === ']') {
        this.pos++;
        return out;
      }
      if (c === ',') {
        this.pos++;
        if (this.peek() === ']') {
          this.problem('there is an extra comma at the end of the array');
          this.pos++;
          return out;
        }
      } else if (this.startsValue(c)) {
        // Read on, as the HL7 parser does, without a separate error (the file is still refused: see readFhirJson).
        this.recovered = true;
      } else {
        throw new Unrecoverable(`unexpected "${c}" at ${this.pos}`);
      }
    }
  }
}
