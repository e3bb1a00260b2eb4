import type { ImportLine } from '../pipeline/import-visits';

/**
 * Splits a byte stream into NDJSON lines (https://github.com/ndjson/ndjson-spec: `\n` separated,
 * `\r\n` accepted) without holding more than one line in memory: a line longer than `maxLineBytes`
 * is dropped as it streams by and reported as too long; at `maxBytes` the reading stops and the
 * line where it stopped is reported. Lines are numbered from 1 as the sender counts them (blank
 * lines included), so results can be matched to the sender's file.
 */

export type NdjsonLine = ImportLine;

export interface NdjsonLimits {
  maxBytes: number;
  maxLineBytes: number;
}

const NEWLINE = 0x0a;

class LineBuffer {
  line = 1;
  private parts: Buffer[] = [];
  private bytes = 0;
  private tooLong = false;

  constructor(private readonly maxLineBytes: number) {}

  get empty(): boolean {
    return this.bytes === 0 && !this.tooLong;
  }

  append(piece: Buffer): void {
    if (this.tooLong || piece.length === 0) return;
    if (this.bytes + piece.length > this.maxLineBytes) {
      this.tooLong = true;
      this.parts = [];
      return;
    }
    this.parts.push(piece);
    this.bytes += piece.length;
  }

  finish(): NdjsonLine {
    const text = Buffer.concat(this.parts, this.bytes).toString('utf8');
    const out: NdjsonLine = this.tooLong ? { kind: 'too-long', line: this.line } : { kind: 'text', line: this.line, text: text.endsWith('\r') ? text.slice(0, -1) : text };
    this.parts = [];
    this.bytes = 0;
    this.tooLong = false;
    this.line += 1;
    return out;
  }
}

function* split(buffer: LineBuffer, chunk: Buffer): Generator<NdjsonLine> {
  let pos = 0;
  for (let nl = chunk.indexOf(NEWLINE, pos); nl !== -1; nl = chunk.indexOf(NEWLINE, pos)) {
    buffer.append(chunk.subarray(pos, nl));
    yield buffer.finish();
    pos = nl + 1;
  }
  buffer.append(chunk.subarray(pos));
}

export async function* ndjsonLines(chunks: AsyncIterable<Buffer | string>, limits: NdjsonLimits): AsyncGenerator<NdjsonLine> {
  const buffer = new LineBuffer(limits.maxLineBytes);
  let total = 0;
  for await (const raw of chunks) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    const allowed = Math.max(0, limits.maxBytes - total);
    total += chunk.length;
    yield* split(buffer, chunk.subarray(0, allowed));
    if (chunk.length > allowed) {
      yield { kind: 'over-limit', line: buffer.line };
      return;
    }
  }
  // The last line needs no newline (ndjson-spec §3.2 allows a missing final separator).
  if (!buffer.empty) yield buffer.finish();
}
