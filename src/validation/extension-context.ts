import { issue } from '../kernel';
import type { WalkContext } from './context';
import type { ElementNode } from './model';
import { baseUrl } from './registry';

/**
 * Where an extension may be used (R4 extensibility.html#context, StructureDefinition.context of
 * type `element`): on an element whose path, or whose datatype, is one of the context expressions
 * (`Element` and the abstract resource types allow any). `node` is the `extension` element being
 * walked; its parent is the element the extension sits on — a datatype (`HumanName` when walking
 * HumanName's own definition) or a resource/backbone path (`Patient`, `Observation.component`).
 * Context types other than `element` (fhirpath, extension) are not checked. Where the parent is not
 * known (extensions of primitives, walked through `Element`), nothing is checked.
 */

const cache = new Map<string, string | undefined>();

/**
 * Technical corrections of R4 extension contexts (as the HL7 validator applies them, from the
 * extensions pack): R4's own StructureDefinitions carry `structuredefinition-fhir-type` on
 * ElementDefinition.type (the type of `Element.id`, `Extension.url`, …), while its 4.0.1 definition
 * says ElementDefinition.type.code; the extensions pack (hl7.fhir.uv.extensions) and R4B/R5 allow
 * ElementDefinition.type.
 */
const CONTEXT_CORRECTIONS: Readonly<Record<string, readonly string[]>> = {
  'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type': ['ElementDefinition.type'],
};

export function checkExtensionContext(url: string, node: ElementNode, path: string, ctx: WalkContext): void {
  const parent = node.path.replace(/\.(extension|modifierExtension)$/, '');
  if (parent === node.path || parent === 'Element' || parent === 'BackboneElement' || parent === 'DomainResource') return;
  const key = `${url}\u0000${parent}`;
  let problem = cache.get(key);
  if (!cache.has(key)) {
    problem = evaluate(url, parent, ctx);
    cache.set(key, problem);
  }
  if (problem) ctx.issues.push(issue('VAL-EXTENSION-CONTEXT', { url, path: parent, allowed: problem }, path));
}

/** undefined when allowed, else the allowed contexts (for the message). */
function evaluate(url: string, parent: string, ctx: WalkContext): string | undefined {
  const contexts = ctx.registry.structure(url)?.context;
  if (!Array.isArray(contexts) || contexts.length === 0) return undefined;
  const elements: string[] = [];
  for (const c of contexts as { type?: string; expression?: string }[]) {
    if (c.type !== 'element' || typeof c.expression !== 'string') return undefined; // not checked: allow
    elements.push(c.expression);
  }
  elements.push(...(CONTEXT_CORRECTIONS[url] ?? []));
  const parentTypes = typesOf(parent, ctx);
  for (const e of elements) {
    if (e === 'Element' || e === 'Resource' || e === 'DomainResource' || e === 'BackboneElement' || e === parent) return undefined;
    const contextTypes = e.includes('.') ? typesOf(e, ctx) : [e];
    if (parentTypes.some((t) => contextTypes.some((c) => t === c || ctx.registry.derivesFrom(baseUrl(t), baseUrl(c))))) {
      if (!e.includes('.') || parent.includes('.') === false) return undefined;
    }
  }
  return elements.join(', ');
}

/** The datatype(s) of an element path (`Patient.name` → HumanName), or the path itself when it is a type. */
function typesOf(path: string, ctx: WalkContext): string[] {
  if (!path.includes('.')) return [path];
  const root = path.slice(0, path.indexOf('.'));
  const el = ctx.registry.compile(root)?.byPath.get(path);
  return el ? el.types.map((t) => t.code) : [];
}
