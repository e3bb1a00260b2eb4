import { ndjsonLines, type NdjsonLine } from '../../../src/api/ndjson-lines';

async function collect(chunks: (string | Buffer)[], maxLineBytes = 1000, maxBytes = 1_000_000): Promise<NdjsonLine[]> {
  const out: NdjsonLine[] = [];
  async function* source(): AsyncGenerator<string | Buffer> { yield* chunks; }
  for await (const l of ndjsonLines(source(), { maxLineBytes, maxBytes })) out.push(l);
  return out;
}

describe('ndjsonLines (ndjson-spec: \\n separated, \\r\\n accepted)', () => {
  test('lines split across chunks, CRLF, a blank line and no final newline', async () => {
    expect(await collect(['{"a"', ':1}\r\n\n{"b":', '2}\n{"c":3}'])).toEqual([
      { kind: 'text', line: 1, text: '{"a":1}' },
      { kind: 'text', line: 2, text: '' },
      { kind: 'text', line: 3, text: '{"b":2}' },
      { kind: 'text', line: 4, text: '{"c":3}' },
    ]);
  });

  test('a multi-byte character split between two chunks is decoded whole', async () => {
    const bytes = Buffer.from('{"nama":"Ñoman"}\n', 'utf8');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of Ñ
    expect(await collect([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([{ kind: 'text', line: 1, text: '{"nama":"Ñoman"}' }]);
  });

  test('a final newline does not make an extra line', async () => {
    expect(await collect(['{}\n'])).toEqual([{ kind: 'text', line: 1, text: '{}' }]);
  });

  test('a line over maxLineBytes is reported as too long, and the next line is read', async () => {
    expect(await collect(['x'.repeat(30), 'y'.repeat(30), '\n{}\n'], 40)).toEqual([
      { kind: 'too-long', line: 1 },
      { kind: 'text', line: 2, text: '{}' },
    ]);
  });

  test('at maxBytes reading stops: complete lines before it come out, then the line where it stopped', async () => {
    const chunks = ['{"n":1}\n{"n":2}\n{"n', '":3}\n{"n":4}\n'];
    expect(await collect(chunks, 100, 20)).toEqual([
      { kind: 'text', line: 1, text: '{"n":1}' },
      { kind: 'text', line: 2, text: '{"n":2}' },
      { kind: 'over-limit', line: 3 },
    ]);
  });
});
