import { v5 as uuidv5 } from 'uuid';
import { resourceId } from '../../../src/mapping/context';

// The ids are the resources' identity across re-sends: computing them from bytes (context.ts) must
// give exactly what uuid's string path gave before, or every stored visit would map onto new ids.
const NAMESPACE = '3c5b8a0e-6f1d-5b7e-9a43-0f3e1d2c4b5a';

test.each([
  ['10000005', 'SUB-2026-0001', 'patient'],
  ['10000005', 'kunjungan/ä-ß-日本', 'observation:body-weight'],
  ['P3171010101', 'emoji-😀-pair', 'encounter'],
])('resourceId(%s, %s, %s) is the UUID v5 of "org|submission|role" in the gateway namespace', (org, sub, role) => {
  expect(resourceId(org, sub, role)).toBe(uuidv5(`${org}|${sub}|${role}`, NAMESPACE));
});

test('a name with a lone surrogate is refused, as uuid refuses it, rather than sharing an id with U+FFFD', () => {
  expect(() => uuidv5('a|\ud800|b', NAMESPACE)).toThrow(URIError);
  expect(() => resourceId('a', '\ud800', 'b')).toThrow(URIError);
  expect(resourceId('a', '\ufffd', 'b')).toBe(uuidv5('a|\ufffd|b', NAMESPACE));
});
