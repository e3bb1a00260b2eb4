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
 *   not a match; an entry whose search.mode is `outcome` is an OperationOutcome.
 */

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const ONCE: ReadonlySet<string> = new Set(['self', 'first', 'previous', 'prev', 'next', 'last']);

export function checkBundleRules(bundle: Json, path: string, ctx: WalkContext): void {
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  const links = Array.isArray(bundle.link) ? bundle.link : [];
  const seen = new Set<string>();
  links.forEach((l, i) => {
    if (!isObj(l) || typeof l.relation !== 'string' || !ONCE.has(l.relation)) return;
    if (seen.has(l.relation)) ctx.issues.push(issue('VAL-BUNDLE-LINK', { relation: l.relation }, `${path}.link[${i}]`));
    seen.add(l.relation);
  });
  entries.forEach((e, i) => {
    if (!isObj(e)) return;
    const at = `${path}.entry[${i}]`;
    if (typeof e.fullUrl === 'string' && !ABSOLUTE.test(e.fullUrl)) {
      ctx.issues.push(issue('VAL-URL-ABSOLUTE', { what: 'Bundle.entry.fullUrl', value: e.fullUrl }, `${at}.fullUrl`));
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
