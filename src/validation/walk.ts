import { issue } from '../kernel';
import { type BoundValueSet, boundValueSet, checkBinding, checkCodeInSystem, checkMissingCode } from './bindings';
import { isObj, jsonType, shown, type Json, type WalkContext } from './context';
import { checkExtensionContext } from './extension-context';
import { type InvariantCheck, STRUCTURAL, invariantCheck } from './invariants';
import type { Constraint, ElementNode } from './model';
import { checkReference, referenceTargets } from './references';
import { walkSlices } from './slicing';
import { checkUri } from './uris';
import { type PrimitiveRule, checkAttachment, checkFixedAndPattern, checkPrimitive, isPrimitiveType, primitiveRule } from './values';
import { checkXhtml } from './xhtml';

/**
 * The validator's core: walks a JSON value along a compiled element tree (compile.ts). Every
 * element present is checked once against its definition (type, cardinality of its children,
 * fixed/pattern, binding, references, invariants); expressions are FHIRPath with indexes
 * (`Observation.component[1].valueQuantity.value`), as the reference validator reports them.
 */


/**
 * What walking one element as one of its types involves, worked out on first use and kept on the
 * element (ElementNode.plans): which checks apply and the values they need. An element is then
 * walked with field reads, instead of the type-name Set and Map lookups, string tests and the
 * per-type caches it cost on every value before (docs/validation.md "Performance").
 */
interface Plan {
  /** The primitive's JSON rule; undefined for a complex type. */
  primitive: PrimitiveRule | undefined;
  /** Which string rule of walkText applies to a primitive of this type. */
  text: 'uri' | 'xhtml' | 'string' | 'markdown' | undefined;
  /** A resource in this element (Bundle.entry.resource, contained, Parameters.parameter.resource): walked as its own resource. */
  nestedResource: boolean;
  attachment: boolean;
  reference: boolean;
  /** Coding or a Quantity type: its code is checked in its system. */
  coded: boolean;
  /** A primitive has no type-level invariants; most of its elements carry only ele-1 (structural). */
  invariants: boolean;
  /** Filled on the first object walked: the node whose children describe it, and whether it is a resource's root. */
  definition?: { def: ElementNode | undefined; resourceRoot: boolean };
  /** Filled on the first invariant check: the compiled invariants. */
  invariantChecks?: BoundInvariant[];
  /** Filled on the first bound value checked: the value set and its expansion. */
  valueSet?: { bound: BoundValueSet | undefined };
  /** Filled on the first Reference checked: the allowed target types (undefined: any). */
  targets?: { allowed: readonly string[] | undefined };
}

function planOf(node: ElementNode, type: string, ctx: WalkContext): Plan {
  if (node.lastPlanType === type) return node.lastPlan as Plan;
  const plan = (node.plans.get(type) as Plan | undefined) ?? newPlan(node, type, ctx);
  node.lastPlanType = type;
  node.lastPlan = plan;
  return plan;
}

function newPlan(node: ElementNode, type: string, ctx: WalkContext): Plan {
  const primitive = isPrimitiveType(type) ? primitiveRule(type, ctx.registry.primitives) : undefined;
  const plan: Plan = {
    primitive,
    text: type === 'uri' || type === 'url' || type === 'canonical' ? 'uri'
      : type === 'xhtml' || type === 'string' || type === 'markdown' ? type : undefined,
    nestedResource: !primitive && (type === 'Resource' || (ctx.registry.resourceTypes.has(type) && node.path.includes('.'))),
    attachment: type === 'Attachment',
    reference: type === 'Reference',
    coded: CODED_TYPES.has(type),
    invariants: node.ownInvariants || !primitive,
    // Set on first use; present from the start so that every plan has one hidden class.
    definition: undefined,
    invariantChecks: undefined,
    valueSet: undefined,
    targets: undefined,
  };
  node.plans.set(type, plan);
  return plan;
}

export function walkElement(value: unknown, node: ElementNode, type: string, path: string, ctx: WalkContext): void {
  const plan = planOf(node, type, ctx);
  if (plan.primitive) {
    if (!checkPrimitive(value, plan.primitive, path, ctx)) return;
    if (plan.text && typeof value === 'string') walkText(value, node, type, plan.text, path, ctx);
  } else if (plan.nestedResource) {
    ctx.walkResource(value, path, ctx);
    return;
  } else if (!walkObject(value, node, type, plan, path, ctx)) {
    return;
  }
  if (node.valueChecks) checkFixedAndPattern(value, node, path, ctx);
  if (node.binding) checkBinding(value, node, type, path, ctx, (plan.valueSet ??= { bound: boundValueSet(node, ctx) }).bound);
  if (plan.attachment) checkAttachment(value, path, ctx);
  if (plan.reference) checkReference(value, node, path, ctx, (plan.targets ??= { allowed: referenceTargets(node, ctx) }).allowed);
  else if (plan.coded) checkCodeInSystem(value, type, path, ctx);
  if (plan.invariants) checkInvariants(value, node, type, plan, path, ctx);
}

/** The rules on a string primitive beyond its regular expression: URIs, narrative, and the policy's HTML checks. */
function walkText(value: string, node: ElementNode, type: string, text: NonNullable<Plan['text']>, path: string, ctx: WalkContext): void {
  if (text === 'uri') {
    checkUri(value, node, type, path, ctx);
    if (ctx.policy.exampleUrls === false && EXAMPLE_DOMAIN.test(value)) ctx.issues.push(issue('VAL-EXAMPLE-URL', { value }, path));
  } else if (text === 'xhtml') checkXhtml(value, path, ctx);
  else if (text === 'string' && ctx.policy.securityChecks && HTML_TAG.test(value)) ctx.issues.push(issue('VAL-HTML-IN-STRING', {}, path));
  else if (text === 'markdown' && ctx.policy.htmlInMarkdown === false) {
    const tag = HTML_TAG.exec(value);
    if (tag) ctx.issues.push(issue('VAL-HTML-IN-MARKDOWN', { start: tag[0].slice(0, 2) }, path));
  }
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
  if (node.contentReference) {
    return ctx.registry.compile(node.owner)?.byPath.get(node.contentReference.replace(/^.*#/, ''));
  }
  const profile = node.types.find((t) => t.code === type)?.profile?.[0];
  return ((profile && ctx.registry.compile(profile)) || ctx.registry.compile(type))?.root;
}

function walkObject(value: unknown, node: ElementNode, type: string, plan: Plan, path: string, ctx: WalkContext): boolean {
  if (!isObj(value)) {
    ctx.issues.push(issue('VAL-TYPE', { expected: `a JSON object (FHIR ${type})`, actual: `${jsonType(value)} ${shown(value)}` }, path));
    return false;
  }
  if (!plan.definition) {
    const def = definitionOf(node, type, ctx);
    plan.definition = { def, resourceRoot: def === node && !node.path.includes('.') && ctx.registry.resourceTypes.has(type) };
  }
  const { def, resourceRoot } = plan.definition;
  if (!def) return true;
  const keys = Object.keys(value);
  if (keys.length === 0 || (keys.length === 1 && keys[0] === 'id')) {
    ctx.issues.push(issue('VAL-EMPTY', {}, path));
    return false;
  }
  let choices: Map<ElementNode, string> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key === 'resourceType' && resourceRoot) continue;
    if (key.charCodeAt(0) === 95 /* _ */) {
      walkPrimitiveExtras(value, key, def, path, ctx);
      continue;
    }
    const entry = entryFor(def, key, i);
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
    if (!isPresent(value, child)) {
      ctx.issues.push(issue('VAL-MIN', { element: child.path, min: child.min, count: 0 }, `${path}.${child.name.replace('[x]', '')}`));
    }
  }
  return true;
}

/** def.byKey.get(key), first through the memo of what the key at this position was last time (a string identity check). */
function entryFor(def: ElementNode, key: string, position: number): { node: ElementNode; type: string } | undefined {
  const memo = def.keyMemo[position];
  if (memo !== undefined && memo.key === key) return memo.entry;
  const entry = def.byKey.get(key);
  if (position < 64) def.keyMemo[position] = { key, entry };
  return entry;
}

function isPresent(obj: Json, child: ElementNode): boolean {
  for (let i = 0; i < child.jsonNames.length; i++) {
    if (obj[child.jsonNames[i] as string] !== undefined || obj[child.extraNames[i] as string] !== undefined) return true;
  }
  return false;
}

/**
 * One JSON property: its cardinality and shape, then each item (through the slicing when the
 * element is sliced). Only slicing needs the items as a list; the others are walked in place.
 */
function walkKey(obj: Json, child: ElementNode, key: string, type: string, path: string, ctx: WalkContext): void {
  const raw = obj[key];
  const keyPath = `${path}.${key}`;
  if (!Array.isArray(raw) && !child.repeats && child.slices.length === 0) {
    if (child.max < 1) ctx.issues.push(issue('VAL-MAX', { element: child.path, max: child.max, count: 1 }, keyPath));
    walkItem(raw, child, type, keyPath, ctx);
    return;
  }
  if (child.slices.length > 0 && child.slicing) {
    const items = itemsOf(raw, obj[`_${key}`], child, key, path, ctx);
    checkCount(items.length, child, keyPath, ctx);
    walkSlices(items, child, type, keyPath, ctx, WALKERS);
    return;
  }
  if (!Array.isArray(raw)) {
    if (child.repeats) ctx.issues.push(issue('VAL-ARRAY-EXPECTED', { name: key }, keyPath));
    checkCount(1, child, keyPath, ctx);
    walkItem(raw, child, type, child.repeats ? `${keyPath}[0]` : keyPath, ctx);
    return;
  }
  if (!child.repeats) ctx.issues.push(issue('VAL-ARRAY-UNEXPECTED', { name: key }, keyPath));
  if (raw.length === 0) ctx.issues.push(issue('VAL-EMPTY', {}, keyPath));
  const extras = raw.includes(null) ? obj[`_${key}`] : undefined;
  let count = 0;
  for (let i = 0; i < raw.length; i++) if (!isExtrasOnly(raw, extras, i)) count++;
  checkCount(count, child, keyPath, ctx);
  for (let i = 0; i < raw.length; i++) {
    if (!isExtrasOnly(raw, extras, i)) walkItem(raw[i], child, type, child.repeats ? `${keyPath}[${i}]` : keyPath, ctx);
  }
}

function checkCount(count: number, child: ElementNode, keyPath: string, ctx: WalkContext): void {
  if (count < child.min) ctx.issues.push(issue('VAL-MIN', { element: child.path, min: child.min, count }, keyPath));
  if (count > child.max) ctx.issues.push(issue('VAL-MAX', { element: child.path, max: child.max, count }, keyPath));
}

/** A null beside a `_key` extension object is not a value (R4 json.html#primitive: `[null, {extension: …}]`). */
function isExtrasOnly(raw: unknown[], extras: unknown, i: number): boolean {
  return raw[i] === null && Array.isArray(extras) && isObj(extras[i]);
}

interface Item {
  value: unknown;
  path: string;
}

/** Array shape (R4 json.html#repeating) and the items to walk, for slicing. */
function itemsOf(raw: unknown, extras: unknown, child: ElementNode, key: string, path: string, ctx: WalkContext): Item[] {
  if (Array.isArray(raw)) {
    if (!child.repeats) ctx.issues.push(issue('VAL-ARRAY-UNEXPECTED', { name: key }, `${path}.${key}`));
    if (raw.length === 0) ctx.issues.push(issue('VAL-EMPTY', {}, `${path}.${key}`));
    const out: Item[] = [];
    raw.forEach((v, i) => {
      if (isExtrasOnly(raw, extras, i)) return;
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

/** The element's own error invariants and its type's (Quantity's qty-3 on every Quantity). */
function invariantsOf(node: ElementNode, type: string, ctx: WalkContext): BoundInvariant[] {
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
  return out;
}

function checkInvariants(value: unknown, node: ElementNode, type: string, plan: Plan, path: string, ctx: WalkContext): void {
  for (const { constraint: c, check } of (plan.invariantChecks ??= invariantsOf(node, type, ctx))) {
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
