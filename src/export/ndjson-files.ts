import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { ExportFile } from '../store/fhir-ports';

/**
 * NDJSON output of one resource type, split into files of at most `maxPerFile` resources
 * (`Observation-1.ndjson`, `Observation-2.ndjson`, …). Writes wait for 'drain' when the stream's
 * buffer is full, so a slow disk slows the reader down instead of filling memory (backpressure).
 */
export class NdjsonFiles {
  private stream: WriteStream | undefined;
  private inFile = 0;
  private readonly files: ExportFile[] = [];
  /** An error of the current stream (open, write, close): reported by the next write or close, never thrown unhandled. */
  private failure: Error | undefined;

  constructor(
    private readonly dir: string,
    private readonly type: string,
    private readonly maxPerFile: number,
  ) {}

  private async open(): Promise<WriteStream> {
    if (this.stream && this.inFile < this.maxPerFile) return this.stream;
    await this.finish();
    const name = `${this.type}-${this.files.length + 1}.ndjson`;
    const stream = createWriteStream(join(this.dir, name), { flags: 'wx' });
    // Without a listener an 'error' (EEXIST, ENOSPC, EACCES) would crash the process.
    stream.on('error', (err) => {
      this.failure ??= err;
    });
    this.stream = stream;
    this.files.push({ type: this.type, url: name, count: 0 });
    this.inFile = 0;
    await once(stream, 'open'); // rejects with the open error
    return stream;
  }

  /** One resource, given as its JSON text (one line: jsonb::text has no raw newlines). */
  async write(json: string): Promise<void> {
    if (this.failure) throw this.failure;
    const stream = await this.open();
    this.inFile += 1;
    const file = this.files[this.files.length - 1];
    if (file) file.count += 1;
    if (!stream.write(`${json}\n`)) await once(stream, 'drain');
  }

  private async finish(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    if (!stream) return;
    if (!stream.destroyed) stream.end();
    await finished(stream); // settles on finish, error or premature close: never hangs on a failed stream
    if (this.failure) throw this.failure;
  }

  /** Closes the current file; returns every file written (none when the type had no resources). */
  async close(): Promise<ExportFile[]> {
    await this.finish();
    return this.files;
  }
}
