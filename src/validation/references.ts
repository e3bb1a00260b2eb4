import { issue } from '../kernel';
import { isObj, type WalkContext } from './context';
import type { ElementNode } from './model';

/**
 * Reference target types (R4 references.html, elementdefinition-definitions.html#ElementDefinition.type.targetProfile):
 * the type a reference points at must be one of the element's target profiles. The type is read
 * from the reference itself (`Patient/123`, an absolute URL, a conditional `Patient?identifier=…`),
 * from the Bundle entry a `urn:uuid:` fullUrl names, from the contained resource a `#id` names,
 * or from Reference.type. A reference whose type cannot be told is not judged.
 */

const LITERAL = /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const CONDITIONAL = /^([A-Z][A-Za-z]+)\?/;

export function referencedType(ref: string, ctx: WalkContext): string | undefined {
  if (ref.startsWith('urn:')) return ctx.fullUrls.get(ref);
  if (ref.startsWith('#')) {
    const contained = Array.isArray(ctx.resource.contained) ? ctx.resource.contained : [];
    const hit = contained.find((c) => isObj(c) && c.id === ref.slice(1));
    return isObj(hit) && typeof hit.resourceType === 'string' ? hit.resourceType : undefined;
  }
  const fromBundle = ctx.fullUrls.get(ref);
  if (fromBundle) return fromBundle;
  return CONDITIONAL.exec(ref)?.[1] ?? LITERAL.exec(ref)?.[1];
}

/**
 * The types an element's references may point at, from its target profiles; undefined when any
 * type is allowed (no target profile, or `Resource`). Fixed per element, so the walker keeps it.
 */
export function referenceTargets(node: ElementNode, ctx: WalkContext): readonly string[] | undefined {
  const targets = node.types.find((t) => t.code === 'Reference')?.targetProfile;
  if (!targets || targets.length === 0) return undefined;
  const allowed = targets.map((url) => ctx.registry.structure(url)?.type ?? url.split('/').pop() ?? url);
  return allowed.includes('Resource') ? undefined : allowed;
}

export function checkReference(value: unknown, node: ElementNode, path: string, ctx: WalkContext, allowed = referenceTargets(node, ctx)): void {
  if (!isObj(value)) return;
  if (ctx.parameterResources && typeof value.reference === 'string') {
    const local = RELATIVE.exec(value.reference);
    if (local && !ctx.parameterResources.has(`${local[1]}/${local[2]}`)) {
      ctx.issues.push(issue('VAL-REFERENCE-UNRESOLVED', { reference: value.reference }, path));
    }
  }
  if (typeof value.reference === 'string') checkLiteral(value.reference, path, ctx);
  if (!allowed) return;
  const type = typeof value.reference === 'string' ? referencedType(value.reference, ctx) : undefined;
  const actual = type ?? (typeof value.type === 'string' ? value.type : undefined);
  if (actual === undefined || allowed.includes(actual)) return;
  ctx.issues.push(issue('VAL-REFERENCE-TARGET', { type: actual, allowed: [...new Set(allowed)].join(', ') }, path));
}

/**
 * The form of a literal reference (references.html#literal): absolute, `urn:`, `#id` of a contained
 * resource (or `#`, the container), a conditional `Type?query`, or relative `Type/id[/_history/v]`.
 * A `#id` naming no contained resource cannot be resolved (beside ref-1, as the HL7 validator says).
 */
function checkLiteral(ref: string, path: string, ctx: WalkContext): void {
  if (ref.startsWith('#')) {
    if (ref === '#') return;
    const contained = Array.isArray(ctx.root.contained) ? ctx.root.contained : [];
    if (!contained.some((c) => isObj(c) && c.id === ref.slice(1))) ctx.issues.push(issue('VAL-REFERENCE-UNRESOLVED', { reference: ref }, path));
    return;
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(ref) || CONDITIONAL.test(ref) || LITERAL.test(ref)) return;
  ctx.issues.push(issue('VAL-REFERENCE-FORM', { reference: ref }, path));
}
