import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
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

  constructor(
    private readonly dir: string,
    private readonly type: string,
    private readonly maxPerFile: number,
  ) {}

  private async open(): Promise<WriteStream> {
    if (this.stream && this.inFile < this.maxPerFile) return this.stream;
    await this.finish();
    const name = `${this.type}-${this.files.length + 1}.ndjson`;
    this.stream = createWriteStream(join(this.dir, name), { flags: 'wx' });
    this.files.push({ type: this.type, url: name, count: 0 });
    this.inFile = 0;
    return this.stream;
  }

  /** One resource, given as its JSON text (one line: jsonb::text has no raw newlines). */
  async write(json: string): Promise<void> {
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
    stream.end();
    await once(stream, 'finish');
  }

  /** Closes the current file; returns every file written (none when the type had no resources). */
  async close(): Promise<ExportFile[]> {
    await this.finish();
    return this.files;
  }
}
