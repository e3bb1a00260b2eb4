import { issue } from '../kernel';
import type { WalkContext } from './context';
import type { ElementNode } from './model';

/**
 * URI rules the reference validator applies beyond the uri/url/canonical regular expressions
 * (R4 datatypes.html#uri, references.html#canonical, resource.html#canonical):
 * - a `canonical` is absolute, or a fragment (`#id`) to a contained resource;
 * - the `url` of a (canonical) resource, contained or not, is absolute;
 * - ValueSet.compose.include/exclude.system and Coding.system are absolute URIs (codesystem.html
 *   "the system SHALL be an absolute URI"), and a Coding's system is a code system, not a value set;
 * - `urn:uuid:` carries a lower-case RFC 4122 UUID (datatypes.html#uuid), `urn:oid:` an OID.
 */

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OID = /^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/;

const MUST_BE_ABSOLUTE: Readonly<Record<string, string>> = {
  'ValueSet.compose.include.system': 'ValueSet.compose.include.system',
  'ValueSet.compose.exclude.system': 'ValueSet.compose.exclude.system',
  'Coding.system': 'Coding.system',
};

export function checkUri(value: string, node: ElementNode, type: string, path: string, ctx: WalkContext): void {
  if (value.startsWith('urn:uuid:')) {
    if (!UUID.test(value)) ctx.issues.push(issue('VAL-UUID', { value }, path));
    return;
  }
  if (value.startsWith('urn:oid:')) {
    if (!OID.test(value)) ctx.issues.push(issue('VAL-FORMAT', { value: JSON.stringify(value), type: 'oid' }, path));
    return;
  }
  if (ABSOLUTE.test(value)) {
    if (node.path === 'Coding.system' && /^https?:\/\/hl7\.org\/fhir\/ValueSet\//.test(value)) {
      ctx.issues.push(issue('VAL-CODING-VALUESET', { value }, path));
    }
    return;
  }
  const what = type === 'canonical' ? (value.startsWith('#') ? undefined : 'A canonical URL (not a fragment reference)')
    : isResourceUrl(node, ctx) ? 'The canonical URL of a resource'
      : MUST_BE_ABSOLUTE[node.path];
  if (what) ctx.issues.push(issue('VAL-URL-ABSOLUTE', { what, value }, path));
}

/** `X.url` of a resource type X (the canonical URL of a conformance or knowledge resource). */
function isResourceUrl(node: ElementNode, ctx: WalkContext): boolean {
  const dot = node.path.indexOf('.');
  return dot > 0 && node.path.slice(dot) === '.url' && ctx.registry.resourceTypes.has(node.path.slice(0, dot));
}
