import { issue } from '../kernel';
import { checkBinding, checkCodeInSystem, checkMissingCode } from './bindings';
import { isObj, jsonType, shown, type Json, type WalkContext } from './context';
import { checkExtensionContext } from './extension-context';
import { type InvariantCheck, STRUCTURAL, invariantCheck } from './invariants';
import type { Constraint, ElementNode } from './model';
import { checkReference } from './references';
import { walkSlices } from './slicing';
import { checkUri } from './uris';
import { checkAttachment, checkFixedAndPattern, checkPrimitive, isPrimitiveType } from './values';
import { checkXhtml } from './xhtml';

/**
 * The validator's core: walks a JSON value along a compiled element tree (compile.ts). Every
 * element present is checked once against its definition (type, cardinality of its children,
 * fixed/pattern, binding, references, invariants); expressions are FHIRPath with indexes
 * (`Observation.component[1].valueQuantity.value`), as the reference validator reports them.
 */


export function walkElement(value: unknown, node: ElementNode, type: string, path: string, ctx: WalkContext): void {
  if (isPrimitiveType(type)) {
    if (!checkPrimitive(value, type, path, ctx)) return;
    if (typeof value === 'string') {
      if (type === 'uri' || type === 'url' || type === 'canonical') {
        checkUri(value, node, type, path, ctx);
        if (ctx.policy.exampleUrls === false && EXAMPLE_DOMAIN.test(value)) ctx.issues.push(issue('VAL-EXAMPLE-URL', { value }, path));
      } else if (type === 'xhtml') checkXhtml(value, path, ctx);
      else if (type === 'string' && ctx.policy.securityChecks && HTML_TAG.test(value)) ctx.issues.push(issue('VAL-HTML-IN-STRING', {}, path));
      else if (type === 'markdown' && ctx.policy.htmlInMarkdown === false) {
        const tag = HTML_TAG.exec(value);
        if (tag) ctx.issues.push(issue('VAL-HTML-IN-MARKDOWN', { start: tag[0].slice(0, 2) }, path));
      }
    }
  } else if (type === 'Resource' || (ctx.registry.resourceTypes.has(type) && node.path.includes('.'))) {
    ctx.walkResource(value, path, ctx);
    return;
  } else if (!walkObject(value, node, type, path, ctx)) {
    return;
  }
  if (node.valueChecks) checkFixedAndPattern(value, node, path, ctx);
  if (node.binding) checkBinding(value, node, type, path, ctx);
  if (type === 'Attachment') checkAttachment(value, path, ctx);
  if (type === 'Reference') checkReference(value, node, path, ctx);
  else if (CODED_TYPES.has(type)) checkCodeInSystem(value, type, path, ctx);
  // A primitive has no type-level invariants; most of its elements carry only ele-1 (structural).
  if (node.ownInvariants || !isPrimitiveType(type)) checkInvariants(value, node, type, path, ctx);
}

/** Something that looks like an HTML start or end tag: `<b>`, `</p>`, `<a href="…">`, `<br/>`. */
const HTML_TAG = /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s+[^<>]*)?\/?>/;
/** The example domains (RFC 2606 example.org/.com/.net and acme.com) as the host of a URL. */
const EXAMPLE_DOMAIN = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*\.)?(example\.(org|com|net)|acme\.com)([:/?#]|$)/;

/** Types whose system and code are checked against the code system (Coding; UCUM for quantities). */
const CODED_TYPES: ReadonlySet<string> = new Set(['Coding', 'Quantity', 'Age', 'Duration', 'Distance', 'Count']);

/** The node whose children describe an element: its own (profiles, backbone elements), a contentReference, or its type's. */
function definitionOf(node: ElementNode, type: string, ctx: WalkContext): ElementNode | undefined {
  if (node.children.length > 0) return node;
  if (node.defCache.has(type)) return node.defCache.get(type);
  let def: ElementNode | undefined;
  if (node.contentReference) {
    def = ctx.registry.compile(node.owner)?.byPath.get(node.contentReference.replace(/^.*#/, ''));
  } else {
    const profile = node.types.find((t) => t.code === type)?.profile?.[0];
    def = ((profile && ctx.registry.compile(profile)) || ctx.registry.compile(type))?.root;
  }
  node.defCache.set(type, def);
  return def;
}

function walkObject(value: unknown, node: ElementNode, type: string, path: string, ctx: WalkContext): boolean {
  if (!isObj(value)) {
    ctx.issues.push(issue('VAL-TYPE', { expected: `a JSON object (FHIR ${type})`, actual: `${jsonType(value)} ${shown(value)}` }, path));
    return false;
  }
  const def = definitionOf(node, type, ctx);
  if (!def) return true;
  const keys = Object.keys(value);
  if (keys.length === 0 || (keys.length === 1 && keys[0] === 'id')) {
    ctx.issues.push(issue('VAL-EMPTY', {}, path));
    return false;
  }
  const isResourceRoot = def === node && !node.path.includes('.') && ctx.registry.resourceTypes.has(type);
  let choices: Map<ElementNode, string> | undefined;
  for (const key of keys) {
    if (key === 'resourceType' && isResourceRoot) continue;
    if (key.charCodeAt(0) === 95 /* _ */) {
      walkPrimitiveExtras(value, key, def, path, ctx);
      continue;
    }
    const entry = def.byKey.get(key);
    if (!entry) {
      ctx.issues.push(issue('VAL-UNKNOWN-ELEMENT', { name: key }, `${path}.${key}`));
      continue;
    }
    if (entry.node.choice) {
      choices ??= new Map();
      const other = choices.get(entry.node);
      if (other) ctx.issues.push(issue('VAL-CHOICE', { names: `${other}, ${key}` }, `${path}.${key}`));
      choices.set(entry.node, key);
    }
    walkKey(value, entry.node, key, entry.type, path, ctx);
  }
  for (const child of def.required) {
    // A primitive present only as `_name` (extensions, no value) is present (R4 json.html#primitive).
    if (!child.jsonNames.some((n) => value[n] !== undefined || value[`_${n}`] !== undefined)) {
      ctx.issues.push(issue('VAL-MIN', { element: child.path, min: child.min, count: 0 }, `${path}.${child.name.replace('[x]', '')}`));
    }
  }
  return true;
}

/** One JSON property: its cardinality and shape, then each item (through the slicing when the element is sliced). */
function walkKey(obj: Json, child: ElementNode, key: string, type: string, path: string, ctx: WalkContext): void {
  const raw = obj[key];
  const keyPath = `${path}.${key}`;
  if (!Array.isArray(raw) && !child.repeats && child.slices.length === 0) {
    if (child.max < 1) ctx.issues.push(issue('VAL-MAX', { element: child.path, max: child.max, count: 1 }, keyPath));
    walkItem(raw, child, type, keyPath, ctx);
    return;
  }
  const items = itemsOf(raw, obj[`_${key}`], child, key, path, ctx);
  if (items.length < child.min) ctx.issues.push(issue('VAL-MIN', { element: child.path, min: child.min, count: items.length }, keyPath));
  if (items.length > child.max) ctx.issues.push(issue('VAL-MAX', { element: child.path, max: child.max, count: items.length }, keyPath));
  if (child.slices.length > 0 && child.slicing) walkSlices(items, child, type, keyPath, ctx, WALKERS);
  else for (const item of items) walkItem(item.value, child, type, item.path, ctx);
}

interface Item {
  value: unknown;
  path: string;
}

/** Array shape (R4 json.html#repeating) and the items to walk; a null beside a `_key` extension is not a value. */
function itemsOf(raw: unknown, extras: unknown, child: ElementNode, key: string, path: string, ctx: WalkContext): Item[] {
  if (Array.isArray(raw)) {
    if (!child.repeats) ctx.issues.push(issue('VAL-ARRAY-UNEXPECTED', { name: key }, `${path}.${key}`));
    if (raw.length === 0) ctx.issues.push(issue('VAL-EMPTY', {}, `${path}.${key}`));
    const out: Item[] = [];
    raw.forEach((v, i) => {
      if (v === null && Array.isArray(extras) && isObj(extras[i])) return;
      out.push({ value: v, path: child.repeats ? `${path}.${key}[${i}]` : `${path}.${key}` });
    });
    return out;
  }
  if (child.repeats) ctx.issues.push(issue('VAL-ARRAY-EXPECTED', { name: key }, `${path}.${key}`));
  return [{ value: raw, path: child.repeats ? `${path}.${key}[0]` : `${path}.${key}` }];
}

/** One item of an element: an extension goes to its own definition when the profile does not slice it. */
export function walkItem(value: unknown, node: ElementNode, type: string, path: string, ctx: WalkContext): void {
  if (type === 'Extension' && isObj(value)) {
    // As the HL7 validator: an extension names its definition by a plain URL (extensibility.html), beside Extension.url's min 1.
    if (value.url === undefined) ctx.issues.push(issue('VAL-EXTENSION-URL-MISSING', {}, path));
    else if (typeof value.url === 'string' && value.url.includes('|')) ctx.issues.push(issue('VAL-EXTENSION-VERSION', { url: value.url }, path));
  }
  if (type === 'Extension' && isObj(value) && typeof value.url === 'string' && node.types[0]?.profile === undefined) {
    const ext = ctx.registry.compile(value.url);
    if (ext && ext.type === 'Extension') {
      checkExtensionContext(value.url, node, path, ctx);
      walkElement(value, ext.root, 'Extension', path, { ...ctx, profile: ext.url });
      return;
    }
    // A relative url is a sub-extension of a complex extension (its slice name), not a definition to look up.
    if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value.url)) {
      ctx.issues.push(ctx.unknownExtensions === 'error' && !isToleratedExtension(value.url, ctx.policy.exampleUrls !== false)
        ? issue('VAL-EXTENSION-NOT-FOUND', { url: value.url }, path)
        : issue('VAL-EXTENSION-UNKNOWN', { url: value.url }, path));
    }
  }
  walkElement(value, node, type, path, ctx);
}

/**
 * Extension URLs the HL7 validator knows without their definition being loaded, so an unknown one
 * there is a warning even in r4 mode: example domains (example.org, acme.com), DICOM (nema.org),
 * the FHIR tooling extensions (hl7.org/fhir/tools), cross-version extensions
 * (hl7.org/fhir/<version>/StructureDefinition/extension-…, versions.html#extensions) and the core
 * namespace hl7.org/fhir/StructureDefinition/, whose later extensions live in the HL7 extensions
 * pack (hl7.fhir.uv.extensions) that we do not ship.
 */
function isToleratedExtension(url: string, examples: boolean): boolean {
  return (examples && /^https?:\/\/([^/]+\.)?(example\.org|acme\.com)\//.test(url)) || /^https?:\/\/([^/]+\.)?nema\.org\//.test(url)
    || /^http:\/\/hl7\.org\/fhir\/(tools\/|\d\.\d\/|StructureDefinition\/)/.test(url);
}

/** `_given: [null, {extension: […]}]` carries ids and extensions of primitives (R4 json.html#primitive). */
function walkPrimitiveExtras(obj: Json, key: string, def: ElementNode, path: string, ctx: WalkContext): void {
  const entry = def.byKey.get(key.slice(1));
  if (!entry || !isPrimitiveType(entry.type)) {
    ctx.issues.push(issue('VAL-UNKNOWN-ELEMENT', { name: key }, `${path}.${key}`));
    return;
  }
  // Resource.id is a plain string in the JSON format: no extensions (R4 json.html#resource).
  if (key === '_id' && obj === ctx.resource) ctx.issues.push(issue('VAL-ID-EXTENSION', {}, `${path}.id`));
  const element = ctx.registry.compile('Element');
  if (!element) return;
  const raw = obj[key];
  const list = Array.isArray(raw) ? raw : [raw];
  const values = obj[key.slice(1)];
  list.forEach((v, i) => {
    if (v === null) return;
    const itemPath = Array.isArray(raw) ? `${path}.${key.slice(1)}[${i}]` : `${path}.${key.slice(1)}`;
    const present = Array.isArray(values) ? values[i] !== undefined && values[i] !== null : values !== undefined;
    if (!present && !carriesValue(v)) checkMissingCode(entry.node, entry.type, itemPath, ctx);
    walkElement(v, element.root, 'Element', Array.isArray(raw) ? `${path}.${key}[${i}]` : `${path}.${key}`, ctx);
  });
}

/** A cross-version extension (versions.html#extensions) stands for the value in another FHIR version. */
function carriesValue(extras: unknown): boolean {
  return isObj(extras) && Array.isArray(extras.extension)
    && extras.extension.some((e) => isObj(e) && typeof e.url === 'string' && /^http:\/\/hl7\.org\/fhir\/\d\.\d\/StructureDefinition\/extension-/.test(e.url));
}

interface BoundInvariant {
  constraint: Constraint;
  check: InvariantCheck;
}

/** The element's own error invariants and its type's (Quantity's qty-3 on every Quantity), compiled once per node and type. */
function invariantsOf(node: ElementNode, type: string, ctx: WalkContext): BoundInvariant[] {
  const hit = node.invCache.get(type) as BoundInvariant[] | undefined;
  if (hit) return hit;
  const typeRoot = isPrimitiveType(type) ? undefined : ctx.registry.compile(type)?.root;
  const seen = new Set<string>();
  const out: BoundInvariant[] = [];
  const add = (list: readonly Constraint[], base: string): void => {
    for (const c of list) {
      if (seen.has(c.key) || STRUCTURAL.has(c.key) || c.severity !== 'error') continue;
      seen.add(c.key);
      out.push({ constraint: c, check: invariantCheck(c, base) });
    }
  };
  // A choice element's invariants see its value as the chosen type (vs-1's `$this as dateTime` on Observation.effective[x]).
  const base = node.path.endsWith('[x]') ? `${node.path.slice(0, -3)}${type.charAt(0).toUpperCase()}${type.slice(1)}` : node.path;
  add(node.constraints, base.replace(/\[x\]/g, ''));
  if (typeRoot && typeRoot !== node) add(typeRoot.constraints, type);
  node.invCache.set(type, out);
  return out;
}

function checkInvariants(value: unknown, node: ElementNode, type: string, path: string, ctx: WalkContext): void {
  for (const { constraint: c, check } of invariantsOf(node, type, ctx)) {
    const result = check(value, ctx.resource, ctx.root);
    if (result === true) continue;
    ctx.issues.push(
      typeof result === 'string'
        // Not evaluated (FHIRPath failed): a warning, since nothing is known to be wrong with the data.
        ? { ...issue('VAL-INVARIANT-ERROR', { key: c.key, reason: result }, path), severity: 'warning' as const }
        : issue('VAL-INVARIANT', { key: c.key, human: c.human }, path),
    );
  }
}

const WALKERS = { element: walkElement, item: walkItem };
