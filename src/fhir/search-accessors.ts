import * as r4 from 'fhirpath/fhir-context/r4';

/**
 * Search parameter expressions of a simple subset, compiled once into plain JavaScript accessors
 * (issue #12: evaluating them with fhirpath.js was most of the gateway's CPU per visit). The subset:
 * `Type.a.b` paths over objects and arrays, choice elements (`Observation.value`, `Extension.value`)
 * with or without `.ofType(X)`, `.where(field='literal')`, `.where(length() >= N)`, `.substring(0, N)`
 * and `|` unions of such paths. Anything else is not compiled (`compileAccessor` returns undefined) and
 * stays with fhirpath.js.
 *
 * An accessor returns exactly what fhirpath.js returns for the same expression (R4 model), or
 * `undefined` when the resource holds something it does not reproduce with certainty; the caller then
 * asks fhirpath.js. Those cases: a primitive's `_element` sibling on the path (`_birthDate`), a null or
 * nested array, a choice element with more than one `value[x]` (or a bare `value`), a resource whose
 * type is not the expression's, a non-string where a string is compared or cut, and a union with more
 * than one item (FHIRPath `|` removes items that are *equal*, with UCUM and date semantics: 1 g = 1000 mg).
 * test/unit/fhir/search-accessors.test.ts compares every compiled parameter with fhirpath.js.
 */

export type Accessor = (resource: unknown) => unknown[] | undefined;

interface Model {
  choiceTypePaths: Record<string, string[]>;
  path2Type: Record<string, string>;
  pathsDefinedElsewhere: Record<string, string>;
}
const model = r4 as unknown as Model;

/** Returned from inside a step: the resource needs fhirpath.js. */
const BAIL = Symbol('bail');
type Step = (nodes: unknown[]) => unknown[] | typeof BAIL;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function push(out: unknown[], v: unknown): boolean {
  if (v === undefined) return true;
  if (v === null) return false;
  if (Array.isArray(v)) {
    for (const x of v) {
      if (x === null || x === undefined || Array.isArray(x)) return false;
      out.push(x);
    }
    return true;
  }
  out.push(v);
  return true;
}

function child(name: string): Step {
  const shadow = `_${name}`;
  return (nodes) => {
    const out: unknown[] = [];
    for (const node of nodes) {
      if (!isObject(node) || shadow in node || !push(out, node[name])) return BAIL;
    }
    return out;
  };
}

/** A choice element `name[x]`; `only` = the one type suffix `ofType()` keeps. */
function choice(name: string, suffixes: ReadonlySet<string>, only: string | undefined): Step {
  const shadow = `_${name}`;
  return (nodes) => {
    const out: unknown[] = [];
    for (const node of nodes) {
      if (!isObject(node)) return BAIL;
      let found: string | undefined;
      for (const key of Object.keys(node)) {
        if (key.startsWith(shadow)) return BAIL;
        if (!key.startsWith(name)) continue;
        const suffix = key.slice(name.length);
        if (suffix === '') return BAIL;
        if (!suffixes.has(suffix)) continue;
        if (found !== undefined) return BAIL;
        found = key;
      }
      if (found === undefined || (only !== undefined && found !== `${name}${only}`)) continue;
      if (!push(out, node[found])) return BAIL;
    }
    return out;
  };
}

function whereEquals(field: string, literal: string): Step {
  const shadow = `_${field}`;
  return (nodes) => {
    const out: unknown[] = [];
    for (const node of nodes) {
      if (!isObject(node) || shadow in node) return BAIL;
      const v = node[field];
      if (v !== undefined && typeof v !== 'string') return BAIL;
      if (v === literal) out.push(node);
    }
    return out;
  };
}

function whereLength(min: number): Step {
  return (nodes) => {
    const out: unknown[] = [];
    for (const node of nodes) {
      if (typeof node !== 'string') return BAIL;
      if (node.length >= min) out.push(node);
    }
    return out;
  };
}

function substring(length: number): Step {
  return (nodes) => {
    const out: unknown[] = [];
    // substring() needs one string (fhirpath.js throws on a collection).
    if (nodes.length > 1) return BAIL;
    for (const node of nodes) {
      if (typeof node !== 'string') return BAIL;
      out.push(node.substring(0, length));
    }
    return out;
  };
}

const capitalise = (s: string): string => `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`;

/** The model path of a non-choice element (`Observation.component` → the backbone's own path). */
function nextPath(full: string): string | undefined {
  const type = model.path2Type[full];
  if (type === undefined) return model.pathsDefinedElsewhere[full];
  return type === 'BackboneElement' || type === 'Element' ? (model.pathsDefinedElsewhere[full] ?? full) : type;
}

const PART = /^([A-Z][A-Za-z]*)((?:\.[a-zA-Z]+|\.ofType\([A-Za-z]+\)|\.where\([a-z]+='[^'\\]*'\)|\.where\(length\(\) >= \d+\)|\.substring\(0, \d+\))*)$/;
const STEP = /\.(?:ofType\(([A-Za-z]+)\)|where\(([a-z]+)='([^'\\]*)'\)|where\(length\(\) >= (\d+)\)|substring\(0, (\d+)\)|([a-zA-Z]+))/g;

/** One union member: `Type.step…`, or undefined outside the subset. */
function compilePart(part: string): { type: string; steps: Step[] } | undefined {
  const m = PART.exec(part);
  if (!m?.[1]) return undefined;
  const type = m[1];
  const steps: Step[] = [];
  // `path`: the model path of the current nodes (undefined after a choice without ofType()).
  let path: string | undefined = type;
  let pendingChoice: { name: string; suffixes: Set<string> } | undefined;
  const flush = (only?: string): boolean => {
    if (!pendingChoice) return true;
    const suffix = only === undefined ? undefined : capitalise(only);
    if (suffix !== undefined && !pendingChoice.suffixes.has(suffix)) return false;
    steps.push(choice(pendingChoice.name, pendingChoice.suffixes, suffix));
    path = suffix; // a choice without ofType(): type unknown, so nothing may follow it (checked below)
    pendingChoice = undefined;
    return true;
  };
  for (const s of (m[2] ?? '').matchAll(STEP)) {
    const [, ofType, whereField, whereLiteral, minLength, subLength, name] = s;
    if (ofType !== undefined) {
      if (!pendingChoice || !flush(ofType)) return undefined;
      continue;
    }
    if (!flush()) return undefined;
    if (name !== undefined) {
      if (path === undefined) return undefined;
      const full: string = `${path}.${name}`;
      const choices = model.choiceTypePaths[full];
      if (choices) {
        pendingChoice = { name, suffixes: new Set(choices) };
        continue;
      }
      const next = nextPath(full);
      if (next === undefined) return undefined;
      steps.push(child(name));
      path = next;
    } else if (whereField !== undefined && whereLiteral !== undefined) {
      if (path === undefined || nextPath(`${path}.${whereField}`) === undefined) return undefined;
      steps.push(whereEquals(whereField, whereLiteral));
    } else if (minLength !== undefined) {
      steps.push(whereLength(Number(minLength)));
    } else if (subLength !== undefined) {
      steps.push(substring(Number(subLength)));
    } else return undefined;
  }
  if (!flush()) return undefined;
  return { type, steps };
}

/** `(A.x)` → `A.x` and `(A.x).y` → `A.x.y` (a path's leading group does not change what it selects). */
function unwrap(part: string): string {
  let p = part.trim();
  while (p.startsWith('(')) {
    let depth = 0;
    let close = -1;
    for (let i = 0; i < p.length; i++) {
      if (p[i] === '(') depth++;
      else if (p[i] === ')' && --depth === 0) {
        close = i;
        break;
      }
    }
    const rest = p.slice(close + 1);
    if (close < 0 || (rest !== '' && !rest.startsWith('.'))) return p;
    p = `${p.slice(1, close).trim()}${rest}`;
  }
  return p;
}

/** The accessor of `expression`, or undefined when it is outside the subset (fhirpath.js evaluates it). */
export function compileAccessor(expression: string): Accessor | undefined {
  const parts = expression.split(' | ').map(unwrap).map(compilePart);
  if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
  const compiled = parts as { type: string; steps: Step[] }[];
  const run = (resource: Json, steps: Step[]): unknown[] | undefined => {
    let nodes: unknown[] = [resource];
    for (const step of steps) {
      const next = step(nodes);
      if (next === BAIL) return undefined;
      if (next.length === 0) return next;
      nodes = next;
    }
    return nodes;
  };
  if (compiled.length === 1) {
    const [{ type, steps }] = compiled as [{ type: string; steps: Step[] }];
    return (resource) => (isObject(resource) && resource.resourceType === type ? run(resource, steps) : undefined);
  }
  return (resource) => {
    if (!isObject(resource)) return undefined;
    const out: unknown[] = [];
    for (const { type, steps } of compiled) {
      if (resource.resourceType !== type) return undefined;
      const values = run(resource, steps);
      if (values === undefined) return undefined;
      out.push(...values);
    }
    // FHIRPath union removes equal items (with its own equality): more than one item goes to fhirpath.js.
    return out.length > 1 ? undefined : out;
  };
}
