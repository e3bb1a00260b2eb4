import type { JSONWebKeySet } from 'jose';

/**
 * Public keys of SMART clients that register a `jwks_uri` (SMART Backend Services allows either a
 * JWKS or its URL, hl7.org/fhir/uv/bulkdata/authorization). Fetched with a timeout and a size
 * limit, kept for `cacheSeconds`, fetched again early when an assertion names a `kid` the cached
 * set lacks (the client rotated its key) — but at most once per `minRefreshSeconds` per URL, so
 * assertions with invented kids cannot make the gateway hammer the client's key server.
 */
export interface RemoteJwks {
  /** The key set, or undefined when it cannot be fetched (and none is cached). */
  get(uri: string, kid: string | undefined): Promise<JSONWebKeySet | undefined>;
}

export interface RemoteJwksOptions {
  timeoutMs: number;
  maxBytes: number;
  cacheSeconds: number;
  minRefreshSeconds: number;
  now?: () => number;
}

interface Entry {
  keys?: JSONWebKeySet;
  fetchedAt: number;
  pending?: Promise<JSONWebKeySet | undefined>;
}

async function readLimited(res: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes || !res.body) return undefined;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Only public keys: a set carrying private parts (`d`, `p`, `k`…) is a mistake we do not use. */
function asPublicKeySet(json: unknown): JSONWebKeySet | undefined {
  const keys = (json as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > 100) return undefined;
  const ok = keys.every((k) => typeof k === 'object' && k !== null && typeof (k as { kty?: unknown }).kty === 'string' && !('d' in k) && !('k' in k));
  return ok ? { keys: keys as JSONWebKeySet['keys'] } : undefined;
}

async function download(uri: string, opts: RemoteJwksOptions): Promise<JSONWebKeySet | undefined> {
  try {
    // No redirects: the registered URL is the one an operator checked.
    const res = await fetch(uri, { redirect: 'error', signal: AbortSignal.timeout(opts.timeoutMs), headers: { accept: 'application/jwk-set+json, application/json' } });
    if (res.status !== 200) return undefined;
    const text = await readLimited(res, opts.maxBytes);
    return text === undefined ? undefined : asPublicKeySet(JSON.parse(text));
  } catch {
    return undefined;
  }
}

export function createRemoteJwks(opts: RemoteJwksOptions): RemoteJwks {
  const now = opts.now ?? Date.now;
  const cache = new Map<string, Entry>();
  const knows = (set: JSONWebKeySet | undefined, kid: string | undefined): boolean => !!set && (kid === undefined || set.keys.some((k) => k.kid === kid));

  const refresh = (uri: string, entry: Entry): Promise<JSONWebKeySet | undefined> => {
    // One download per URL at a time; concurrent assertions share it.
    entry.pending ??= download(uri, opts).then((keys) => {
      entry.fetchedAt = now();
      if (keys) entry.keys = keys;
      entry.pending = undefined;
      return entry.keys;
    });
    return entry.pending;
  };

  return {
    async get(uri, kid) {
      let entry = cache.get(uri);
      if (!entry) {
        entry = { fetchedAt: 0 };
        cache.set(uri, entry);
      }
      if (entry.pending) return entry.pending;
      const age = now() - entry.fetchedAt;
      // A failed download counts as a fetch too: an unreachable key server is not retried per request.
      const neverFetched = entry.fetchedAt === 0;
      const mayRefresh = neverFetched || age >= opts.minRefreshSeconds * 1000;
      const expired = age >= opts.cacheSeconds * 1000;
      if (neverFetched || (mayRefresh && (expired || !knows(entry.keys, kid)))) return refresh(uri, entry);
      return entry.keys;
    },
  };
}
