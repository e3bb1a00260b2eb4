import { issue } from '../kernel';
import { isObj, type Json, type WalkContext } from './context';

/**
 * Bundle rules of R4 bundle.html beyond its bdl-* invariants, as the reference validator checks
 * them:
 * - `entry.fullUrl` is an absolute URL (bundle.html#bundle-unique: "fullUrl SHALL be … an absolute
 *   URL"; urn:uuid/urn:oid are absolute);
 * - each of the paging links `self`, `first`, `previous`, `next`, `last` appears at most once
 *   (http.html#paging);
 * - in a searchset every result has an id (search.html#return), except an OperationOutcome that is
 *   not a match; an entry whose search.mode is `outcome` is an OperationOutcome;
 * - in a document, a relative reference `Type/id[/_history/v]` from an entry with a RESTful fullUrl
 *   resolves to exactly one entry: the one whose fullUrl is the same base + `Type/id` (and, when
 *   versioned, whose meta.versionId is v) (bundle.html#references, documents.html: a document is
 *   self-contained).
 */

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const ONCE: ReadonlySet<string> = new Set(['self', 'first', 'previous', 'prev', 'next', 'last']);

const RESTFUL = /^(.*\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;
const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?$/;

/** Every Reference.reference string in a resource (not contained resources' own references to '#'). */
function referencesIn(value: unknown, path: string, out: { reference: string; path: string }[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => referencesIn(v, `${path}[${i}]`, out));
  else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push({ reference: v, path });
      else if (k !== 'contained' && typeof v === 'object') referencesIn(v, `${path}.${k}`, out);
    }
  }
}

function checkDocumentReferences(entries: unknown[], path: string, ctx: WalkContext): void {
  const versionOf = (e: Json): unknown => (isObj(e.resource) && isObj(e.resource.meta) ? e.resource.meta.versionId : undefined);
  entries.forEach((e, i) => {
    if (!isObj(e) || typeof e.fullUrl !== 'string' || !isObj(e.resource)) return;
    const base = RESTFUL.exec(e.fullUrl)?.[1];
    if (!base) return;
    const refs: { reference: string; path: string }[] = [];
    referencesIn(e.resource, `${path}.entry[${i}].resource`, refs);
    for (const { reference, path: at } of refs) {
      const m = RELATIVE.exec(reference);
      if (!m) continue;
      const target = `${base}${m[1] ?? ''}/${m[2] ?? ''}`;
      const matches = entries.filter((x): x is Json => isObj(x) && x.fullUrl === target && (m[3] === undefined || String(versionOf(x)) === m[3]));
      if (matches.length === 1) continue;
      const problem = matches.length === 0 ? 'cannot be found' : `matches ${matches.length} entries`;
      ctx.issues.push(issue('VAL-BUNDLE-REFERENCE', { reference, problem }, at));
    }
  });
}

export function checkBundleRules(bundle: Json, path: string, ctx: WalkContext): void {
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  const links = Array.isArray(bundle.link) ? bundle.link : [];
  const seen = new Set<string>();
  links.forEach((l, i) => {
    if (!isObj(l) || typeof l.relation !== 'string' || !ONCE.has(l.relation)) return;
    if (seen.has(l.relation)) ctx.issues.push(issue('VAL-BUNDLE-LINK', { relation: l.relation }, `${path}.link[${i}]`));
    seen.add(l.relation);
  });
  if (bundle.type === 'document') checkDocumentReferences(entries, path, ctx);
  entries.forEach((e, i) => {
    if (!isObj(e)) return;
    const at = `${path}.entry[${i}]`;
    if (typeof e.fullUrl === 'string' && !ABSOLUTE.test(e.fullUrl)) {
      ctx.issues.push(issue('VAL-URL-ABSOLUTE', { what: 'Bundle.entry.fullUrl', value: e.fullUrl }, `${at}.fullUrl`));
    } else if (typeof e.fullUrl === 'string' && isObj(e.resource) && typeof e.resource.id === 'string') {
      // bundle.html#bundle-unique: a RESTful fullUrl ends with the resource's type and id.
      const rest = RESTFUL.exec(e.fullUrl);
      if (rest && rest[2] === e.resource.resourceType && rest[3] !== e.resource.id) {
        ctx.issues.push(issue('VAL-BUNDLE-FULLURL-ID', { fullUrl: e.fullUrl, expected: `${String(e.resource.resourceType)}/${e.resource.id}` }, `${at}.fullUrl`));
      }
    }
    if (e.fullUrl === undefined && isObj(e.resource) && ctx.policy.fullUrlForRelativeReferences) {
      // Relative references resolve against the entry's fullUrl (bundle.html#references): without one they cannot.
      const refs: { reference: string; path: string }[] = [];
      referencesIn(e.resource, `${at}.resource`, refs);
      const relative = refs.filter((r) => RELATIVE.test(r.reference));
      if (relative.length > 0) ctx.issues.push(issue('VAL-BUNDLE-NO-FULLURL', {}, at));
      for (const r of relative) ctx.issues.push(issue('VAL-BUNDLE-RELATIVE-NO-FULLURL', { reference: r.reference }, r.path));
    }
    if (bundle.type !== 'searchset' || !isObj(e.resource)) return;
    const mode = isObj(e.search) ? e.search.mode : undefined;
    const type = e.resource.resourceType;
    if (mode === 'outcome' && type !== 'OperationOutcome') {
      ctx.issues.push(issue('VAL-BUNDLE-OUTCOME', { type: String(type) }, `${at}.resource`));
    }
    if (e.resource.id === undefined && !(type === 'OperationOutcome' && mode !== 'match')) {
      ctx.issues.push(issue('VAL-BUNDLE-SEARCH-ID', {}, `${at}.resource`));
    }
  });
}
