import { STRUCTURAL } from './invariants';
import type { CompiledStructure, ElementDefinition, ElementNode, StructureDefinition, TypeRef } from './model';

/**
 * Compiles a StructureDefinition snapshot once into a tree of ElementNodes: children and slices
 * attached to their element, choice names expanded into JSON property names, fixed/pattern values
 * and cardinalities parsed. The walker (walk.ts) then only follows maps; nothing is looked up by
 * string path per resource. Compiled structures are cached by the registry (registry.ts).
 */

const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The value of the first key starting with `prefix` and followed by a type name (fixedCode, patternCodeableConcept, …). */
function prefixed(e: ElementDefinition, prefix: string): unknown {
  for (const key of Object.keys(e)) {
    if (key.startsWith(prefix) && key.length > prefix.length && /[A-Z]/.test(key.charAt(prefix.length))) return e[key];
  }
  return undefined;
}

const FHIR_TYPE_EXT = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';

/**
 * Snapshots type `id`, `url` and primitive `value` elements with FHIRPath system types
 * (`http://hl7.org/fhirpath/System.String`) plus the FHIR type in an extension (R4
 * elementdefinition.html#type); the validator works with the FHIR type.
 */
function typeRefs(e: ElementDefinition, isResource: boolean): TypeRef[] {
  return (e.type ?? []).map((t) => {
    if (!t.code.startsWith('http://hl7.org/fhirpath/System.')) return t;
    const ext = (t as { extension?: { url: string; valueUrl?: string }[] }).extension?.find((x) => x.url === FHIR_TYPE_EXT);
    // Resource.id is an `id` (R4 resource.html#id); Element.id is a string.
    const code = isResource && /^[A-Z][A-Za-z]+\.id$/.test(e.path) ? 'id' : (ext?.valueUrl ?? 'string');
    return { ...t, code };
  });
}

/**
 * Every node is built with the same fields in the same order (absent ones as undefined), so V8
 * gives them one hidden class and the walker's reads of node.binding, node.children, … stay
 * monomorphic; adding the optional fields only when present made a dozen shapes of one interface.
 */
function newNode(e: ElementDefinition, owner: string, isResource: boolean): ElementNode {
  const segments = e.path.split('.');
  const fixed = prefixed(e, 'fixed');
  const pattern = prefixed(e, 'pattern');
  const minValue = prefixed(e, 'minValue');
  const maxValue = prefixed(e, 'maxValue');
  const node: ElementNode = {
    id: e.id ?? e.path,
    path: e.path,
    name: segments[segments.length - 1] ?? e.path,
    min: e.min ?? 0,
    max: e.max === undefined || e.max === '*' ? Infinity : Number(e.max),
    repeats: (e.base?.max ?? e.max ?? '1') !== '1' && (e.base?.max ?? e.max) !== '0',
    types: typeRefs(e, isResource),
    fixed,
    pattern,
    minValue: typeof minValue === 'number' || typeof minValue === 'string' ? minValue : undefined,
    maxValue: typeof maxValue === 'number' || typeof maxValue === 'string' ? maxValue : undefined,
    maxLength: e.maxLength,
    valueChecks: false,
    ownInvariants: (e.constraint ?? []).some((c) => c.severity === 'error' && !STRUCTURAL.has(c.key)),
    binding: e.binding || undefined,
    constraints: e.constraint ?? [],
    children: [],
    byKey: new Map(),
    slicing: e.slicing || undefined,
    sliceName: e.sliceName || undefined,
    slices: [],
    contentReference: e.contentReference || undefined,
    owner,
    choice: false,
    jsonNames: [],
    extraNames: [],
    required: [],
    plans: new Map(),
    keyMemo: [],
    lastPlanType: undefined,
    lastPlan: undefined,
  };
  node.valueChecks = fixed !== undefined || pattern !== undefined || node.minValue !== undefined || node.maxValue !== undefined || node.maxLength !== undefined;
  return node;
}

/** Registers a child under every JSON name it can take (`value[x]` → valueQuantity, valueString, …). */
function addChild(parent: ElementNode, child: ElementNode): void {
  parent.children.push(child);
  if (child.min > 0) parent.required.push(child);
  if (child.name.endsWith('[x]')) {
    const stem = child.name.slice(0, -3);
    child.choice = true;
    for (const t of child.types) {
      parent.byKey.set(stem + upperFirst(t.code), { node: child, type: t.code });
      child.jsonNames.push(stem + upperFirst(t.code));
    }
  } else {
    parent.byKey.set(child.name, { node: child, type: child.types[0]?.code ?? 'BackboneElement' });
    child.jsonNames.push(child.name);
  }
  child.extraNames = child.jsonNames.map((n) => `_${n}`);
}

/** `Observation.component:sys.code` → parent id `Observation.component:sys`, last segment `code`. */
function splitId(id: string): { parent: string | undefined; last: string } {
  const dot = id.lastIndexOf('.');
  return dot < 0 ? { parent: undefined, last: id } : { parent: id.slice(0, dot), last: id.slice(dot + 1) };
}

export class CompileError extends Error {}

export function compileStructure(sd: StructureDefinition): CompiledStructure {
  const elements = sd.snapshot?.element;
  if (!elements || elements.length === 0) throw new CompileError(`StructureDefinition ${sd.url} has no snapshot`);
  const byId = new Map<string, ElementNode>();
  const byPath = new Map<string, ElementNode>();
  let root: ElementNode | undefined;
  for (const e of elements) {
    const node = newNode(e, sd.url, sd.kind === 'resource');
    byId.set(node.id, node);
    if (!node.sliceName && !node.id.includes(':')) byPath.set(node.path, node);
    const { parent, last } = splitId(node.id);
    if (parent === undefined) {
      root = node;
      continue;
    }
    const colon = last.indexOf(':');
    if (colon >= 0 && node.sliceName) {
      // A slice: attached to the element it slices (`Patient.identifier:nik` → `Patient.identifier`).
      const sliced = byId.get(`${parent}.${last.slice(0, colon)}`);
      if (sliced && !last.includes('/')) sliced.slices.push(node);
      continue;
    }
    const parentNode = byId.get(parent);
    if (!parentNode) throw new CompileError(`${sd.url}: element ${node.id} comes before its parent ${parent}`);
    addChild(parentNode, node);
  }
  if (!root) throw new CompileError(`StructureDefinition ${sd.url} has no root element`);
  const out: CompiledStructure = { url: sd.url, type: sd.type, kind: sd.kind, root, byPath };
  if (sd.baseDefinition) out.baseDefinition = sd.baseDefinition;
  return out;
}
