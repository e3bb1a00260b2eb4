import { issue } from '../kernel';
import { ALGORITHMIC_SYSTEMS } from './code-systems';
import { isObj, type Json, type WalkContext } from './context';
import { fhirPathCompileError } from './invariants';
import type { StructureDefinition } from './model';
import { generateSnapshot, SnapshotError } from './snapshot';

/**
 * Rules on conformance resources that their StructureDefinitions cannot say, as the reference
 * validator checks them:
 * - CodeSystem: a supplement has content `supplement` (codesystem.html#supplements); property codes
 *   and URIs are unique, and each concept property's value has the declared type
 *   (CodeSystem.property.type, codesystem.html#properties);
 * - ValueSet: codes listed for a code system we can check by rule (SNOMED CT, LOINC, …) are valid
 *   codes of it, as is the value of a `concept` filter on such a system; `notSelectable` filters
 *   take true or false; FHIRPath parameter expressions (tools extension valueset-parameter) are
 *   text/fhirpath and name declared parameters;
 * - CapabilityStatement: a searchParam's type is its definition's; a SearchParameter derived from
 *   another keeps its type;
 * - StructureDefinition: a constraint with a differential and no snapshot must yield a snapshot
 *   (our generator, snapshot.ts, as the reference validator generates one).
 */

const PROPERTY_VALUE: Readonly<Record<string, string>> = {
  code: 'valueCode', Coding: 'valueCoding', string: 'valueString', integer: 'valueInteger', boolean: 'valueBoolean',
  dateTime: 'valueDateTime', decimal: 'valueDecimal',
};

const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObj) : []);

/**
 * The properties HL7 defines for every code system (http://hl7.org/fhir/concept-properties, as the
 * HL7 validator knows them) and their types: a property with such a URI has that type and, to avoid
 * confusion in filters, that code; another URI in that namespace is not a defined property.
 */
const CONCEPT_PROPERTIES: Readonly<Record<string, string>> = {
  status: 'code', inactive: 'boolean', effectiveDate: 'dateTime', deprecationDate: 'dateTime', retirementDate: 'dateTime',
  notSelectable: 'boolean', parent: 'code', child: 'code', partOf: 'code', synonym: 'code', comment: 'string', itemWeight: 'decimal',
};
const CONCEPT_PROPERTIES_NS = 'http://hl7.org/fhir/concept-properties#';

function countConcepts(concepts: Json[]): number {
  return concepts.reduce((n, c) => n + 1 + countConcepts(list(c.concept)), 0);
}

function codeSystemRules(cs: Json, path: string, ctx: WalkContext): void {
  if (typeof cs.supplements === 'string') {
    if (cs.content !== 'supplement') ctx.issues.push(issue('VAL-CS-SUPPLEMENT', {}, `${path}.content`));
    // A supplement adds designations and properties to codes of its base; it cannot define codes.
    const base = cs.supplements.split('|')[0] ?? cs.supplements;
    const inBase = (concepts: Json[], at: string): void => concepts.forEach((c, i) => {
      if (typeof c.code === 'string' && ctx.terminology.checkCode(base, c.code).ok === false) {
        ctx.issues.push(issue('VAL-CS-SUPPLEMENT-CODE', { code: c.code, system: base }, `${at}[${i}]`));
      }
      inBase(list(c.concept), `${at}[${i}].concept`);
    });
    inBase(list(cs.concept), `${path}.concept`);
  }
  if (cs.content === 'complete' && typeof cs.count === 'number') {
    const n = countConcepts(list(cs.concept));
    if (n !== cs.count) ctx.issues.push(issue('VAL-CS-COUNT', { count: n, stated: cs.count }, `${path}.count`));
  }
  const declared = new Map<string, string>();
  const uris = new Set<string>();
  list(cs.property).forEach((p, i) => {
    const at = `${path}.property[${i}]`;
    if (typeof p.code === 'string') {
      if (declared.has(p.code)) ctx.issues.push(issue('VAL-CS-PROPERTY', { detail: `the code "${p.code}" is already defined` }, at));
      else if (typeof p.type === 'string') declared.set(p.code, p.type);
    }
    if (typeof p.uri === 'string') {
      if (uris.has(p.uri)) {
        ctx.issues.push(issue('VAL-CS-PROPERTY', { detail: `the URI "${p.uri}" is already defined` }, at));
      } else if (p.uri.startsWith(CONCEPT_PROPERTIES_NS)) {
        const name = p.uri.slice(CONCEPT_PROPERTIES_NS.length);
        const type = CONCEPT_PROPERTIES[name];
        if (type === undefined) {
          ctx.issues.push(issue('VAL-CS-PROPERTY', { detail: `unknown property "${p.uri}"; a property of your own must not be in the HL7 namespace` }, at));
        } else {
          if (typeof p.code === 'string' && p.code !== name) {
            ctx.issues.push(issue('VAL-CS-PROPERTY', { detail: `the URI "${p.uri}" is normally given the code "${name}"; the code "${p.code}" will confuse value set filters` }, at));
          }
          if (typeof p.type === 'string' && p.type !== type) {
            ctx.issues.push(issue('VAL-CS-PROPERTY', { detail: `wrong type "${p.type}": the URI "${p.uri}" identifies a property of type ${type}` }, at));
          }
        }
      }
      uris.add(p.uri);
    }
  });
  const visit = (concepts: Json[], at: string): void => concepts.forEach((c, i) => {
    list(c.property).forEach((p, j) => {
      const type = typeof p.code === 'string' ? declared.get(p.code) : undefined;
      const key = type ? PROPERTY_VALUE[type] : undefined;
      const given = Object.keys(p).find((k) => k.startsWith('value'));
      if (key && given && given !== key) {
        ctx.issues.push(issue('VAL-CS-PROPERTY', { detail: `"${String(p.code)}" is declared as ${String(type)}, but the value is ${given}` }, `${at}[${i}].property[${j}]`));
      }
    });
    visit(list(c.concept), `${at}[${i}].concept`);
  });
  visit(list(cs.concept), `${path}.concept`);
}

const SNOMED = 'http://snomed.info/sct';
const PARAMETER_EXT = 'http://hl7.org/fhir/tools/StructureDefinition/valueset-parameter';
const EXPRESSION_EXT = 'http://hl7.org/fhir/StructureDefinition/cqf-expression';

function valueSetRules(vs: Json, path: string, ctx: WalkContext): void {
  const parameters = new Set(list(vs.extension).filter((e) => e.url === PARAMETER_EXT)
    .flatMap((e) => list(e.extension).filter((x) => x.url === 'name').map((x) => String(x.valueCode ?? x.valueString ?? ''))));
  const compose = isObj(vs.compose) ? vs.compose : {};
  for (const part of ['include', 'exclude'] as const) {
    list(compose[part]).forEach((inc, i) => {
      const at = `${path}.compose.${part}[${i}]`;
      const check = typeof inc.system === 'string' ? ALGORITHMIC_SYSTEMS.get(inc.system) : undefined;
      if (check) {
        list(inc.concept).forEach((c, j) => {
          const reason = typeof c.code === 'string' ? check(c.code) : undefined;
          if (typeof reason === 'string') ctx.issues.push(issue('VAL-CODE-FORMAT', { code: String(c.code), system: String(inc.system), reason }, `${at}.concept[${j}]`));
        });
      }
      list(inc.filter).forEach((f, j) => {
        const fat = `${at}.filter[${j}]`;
        if (check && f.property === 'concept' && typeof f.value === 'string' && ['is-a', 'descendent-of', 'is-not-a', '=', 'generalizes'].includes(String(f.op))) {
          const reason = check(f.value);
          if (typeof reason === 'string') ctx.issues.push(issue('VAL-CODE-FORMAT', { code: f.value, system: String(inc.system), reason }, fat));
        }
        // SNOMED CT in FHIR (snomed.org/fhir, filters): a filter on an attribute (a concept id) takes = or in.
        if (inc.system === SNOMED && typeof f.property === 'string' && typeof f.op === 'string' && /^\d+$/.test(f.property)
          && check?.(f.property) === undefined && f.op !== '=' && f.op !== 'in') {
          ctx.issues.push(issue('VAL-VS-RULE', { detail: `the operation "${f.op}" is not allowed for the SNOMED CT attribute ${f.property} (allowed: =, in)` }, fat));
        }
        if (f.property === 'notSelectable' && typeof f.value === 'string' && f.value !== 'true' && f.value !== 'false') {
          ctx.issues.push(issue('VAL-VS-RULE', { detail: `a notSelectable filter takes true or false, not "${f.value}"` }, fat));
        }
        const valueExt = isObj(f._value) ? list(f._value.extension) : [];
        for (const e of valueExt.filter((x) => x.url === EXPRESSION_EXT)) {
          const expr = isObj(e.valueExpression) ? e.valueExpression : {};
          if (expr.language !== 'text/fhirpath') {
            ctx.issues.push(issue('VAL-VS-RULE', { detail: `a filter expression's language must be text/fhirpath, not ${String(expr.language)}` }, fat));
          } else if (typeof expr.expression === 'string') {
            const syntax = fhirPathCompileError(expr.expression);
            if (syntax) ctx.issues.push(issue('VAL-VS-RULE', { detail: `the filter expression is not valid FHIRPath: ${syntax.slice(0, 200)}` }, fat));
            for (const m of expr.expression.matchAll(/%([A-Za-z][A-Za-z0-9_-]*)/g)) {
              if (!parameters.has(m[1] ?? '')) ctx.issues.push(issue('VAL-VS-RULE', { detail: `the filter expression refers to the unknown parameter "${m[1] ?? ''}"` }, fat));
            }
          }
        }
      });
    });
  }
}

function structureRules(sd: Json, path: string, ctx: WalkContext): void {
  if (sd.derivation !== 'constraint' || sd.snapshot !== undefined || !isObj(sd.differential) || typeof sd.baseDefinition !== 'string') return;
  if (!ctx.registry.structure(sd.baseDefinition)) return; // a base we do not hold: nothing to generate from
  try {
    generateSnapshot(JSON.parse(JSON.stringify(sd)) as StructureDefinition, ctx.registry);
  } catch (err) {
    if (!(err instanceof SnapshotError)) throw err;
    ctx.issues.push(issue('VAL-SNAPSHOT', { reason: err.message }, path));
  }
}

/** CapabilityStatement.rest.resource.searchParam: the type is that of its definition (capabilitystatement.html). */
function capabilityRules(cs: Json, path: string, ctx: WalkContext): void {
  list(cs.rest).forEach((rest, i) => list(rest.resource).forEach((res, j) => list(res.searchParam).forEach((sp, k) => {
    if (typeof sp.definition !== 'string' || typeof sp.type !== 'string') return;
    const defined = ctx.registry.searchParamType(sp.definition);
    if (defined && defined !== sp.type) {
      ctx.issues.push(issue('VAL-SEARCH-PARAM-TYPE', { definition: sp.definition, defined, type: sp.type }, `${path}.rest[${i}].resource[${j}].searchParam[${k}]`));
    }
  })));
}

/** SearchParameter.derivedFrom: a derived parameter keeps its parent's type (searchparameter.html, derivedFrom). */
function searchParameterRules(sp: Json, path: string, ctx: WalkContext): void {
  const bases = Array.isArray(sp.base) ? sp.base.filter((b): b is string => typeof b === 'string') : [];
  if (typeof sp.expression === 'string' && bases.length > 0 && !bases.some((b) => b === 'Resource' || b === 'DomainResource')) {
    // The expression starts from the base types: a path rooted in another resource type can never match.
    for (const name of new Set([...sp.expression.matchAll(EXPRESSION_ROOT)].map((m) => m[1] ?? ''))) {
      if (ctx.registry.resourceTypes.has(name) && name !== 'Resource' && name !== 'DomainResource' && !bases.includes(name)) {
        ctx.issues.push(issue('VAL-SEARCH-PARAM-EXPRESSION', { name, expression: sp.expression, bases: bases.join(', ') }, `${path}.expression`));
      }
    }
  }
  if (typeof sp.derivedFrom !== 'string') return;
  const parentBases = ctx.registry.searchParamBase(sp.derivedFrom);
  if (parentBases && !parentBases.some((b) => b === 'Resource' || b === 'DomainResource')) {
    for (const b of bases) {
      if (!parentBases.includes(b)) ctx.issues.push(issue('VAL-SEARCH-PARAM-BASE', { type: b, definition: sp.derivedFrom }, path));
    }
  }
  if (typeof sp.type !== 'string') return;
  const defined = ctx.registry.searchParamType(sp.derivedFrom);
  if (defined && defined !== sp.type) ctx.issues.push(issue('VAL-SEARCH-PARAM-TYPE', { definition: sp.derivedFrom, defined, type: sp.type }, `${path}.type`));
}

/** A type name that starts a path in a FHIRPath expression: at the start, or after `|`, `(`, `,` or a space. */
const EXPRESSION_ROOT = /(?:^|[|(,\s])([A-Z][A-Za-z]+)\./g;

export function checkConformanceRules(resource: Json, path: string, ctx: WalkContext): void {
  if (resource.resourceType === 'CapabilityStatement') capabilityRules(resource, path, ctx);
  else if (resource.resourceType === 'SearchParameter') searchParameterRules(resource, path, ctx);
  else if (resource.resourceType === 'CodeSystem') codeSystemRules(resource, path, ctx);
  else if (resource.resourceType === 'ValueSet') valueSetRules(resource, path, ctx);
  else if (resource.resourceType === 'StructureDefinition') structureRules(resource, path, ctx);
}
