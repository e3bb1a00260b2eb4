import { issue } from '../kernel';
import { isObj, type Json, type WalkContext } from './context';
import type { ElementNode } from './model';
import type { Expansion } from './terminology';

/**
 * Terminology checks (R4 terminologies.html#strength): required bindings must be met (error);
 * extensible bindings should be (warning when no coding is from the value set). Independently of
 * any binding, every Coding's code must exist in its system when we can know it (a complete
 * CodeSystem we hold, or LOINC/SNOMED CT/ICD-10/UCUM by their own rules), as the reference
 * validator does.
 */

const codeText = (c: Json): string => `${typeof c.system === 'string' ? c.system : ''}#${String(c.code)}`;

/** A bound element's value set, without its version, and its expansion (null: not expandable offline). */
export interface BoundValueSet {
  url: string;
  expansion: Expansion | null;
}

/**
 * The value set an element's binding checks, or undefined when its binding is not checked (no
 * value set, or a strength below extensible). The same for every value, so the walker keeps it.
 */
export function boundValueSet(node: ElementNode, ctx: WalkContext): BoundValueSet | undefined {
  const binding = node.binding;
  if (!binding?.valueSet || (binding.strength !== 'required' && binding.strength !== 'extensible')) return undefined;
  const url = binding.valueSet.includes('|') ? (binding.valueSet.split('|')[0] ?? binding.valueSet) : binding.valueSet;
  return { url, expansion: ctx.terminology.expand(url) };
}

export function checkBinding(value: unknown, node: ElementNode, type: string, path: string, ctx: WalkContext, bound = boundValueSet(node, ctx)): void {
  if (!bound || !node.binding) return;
  const { url: vs, expansion } = bound;
  const strength = node.binding.strength;
  if (!expansion) {
    // Not expandable offline: not checked, and said so (information, not error; docs/validation.md).
    if (strength === 'required') ctx.issues.push(issue('VAL-VS-UNCHECKED', { valueSet: vs }, path));
    return;
  }
  const candidates = candidatesOf(value, node, type);
  if (!candidates) return;
  if (candidates.length === 0) {
    if (strength === 'required') ctx.issues.push(issue('VAL-CODE-MISSING', { valueSet: vs }, path));
    return;
  }
  // Every candidate's membership before deciding: one member is enough, any unknown means unchecked.
  let unknown = false;
  for (const c of candidates) {
    const result = c.system === undefined && !BARE_CODE_TYPES.has(type) ? 'not-member' : ctx.terminology.member(expansion, c.system, c.code);
    if (result === 'member') return;
    if (result === 'unknown') unknown = true;
  }
  if (unknown) {
    // The code system cannot confirm it offline (e.g. an unlisted but well-formed media type).
    ctx.issues.push(issue('VAL-CODE-UNCHECKED', { code: candidates.map((c) => c.code).join(', '), valueSet: vs }, path));
    return;
  }
  if (strength === 'required') {
    const shownCodes = candidates.map((c) => (c.system === undefined ? c.code : `${c.system}#${c.code}`)).join(', ');
    ctx.issues.push(issue('VAL-CODE-NOT-IN-VS', { code: shownCodes, valueSet: vs, strength: 'required' }, path));
  } else {
    ctx.issues.push(issue('VAL-CODE-EXTENSIBLE', { valueSet: vs }, path));
  }
}

/** Types whose value is a bare code (no system): checked against every system of the value set. */
const BARE_CODE_TYPES: ReadonlySet<string> = new Set(['code', 'string', 'uri']);

interface Candidate {
  system: string | undefined;
  code: string;
}

/** The (system, code) pairs a bound value offers; undefined when the binding does not apply to it. */
function candidatesOf(value: unknown, node: ElementNode, type: string): Candidate[] | undefined {
  if (BARE_CODE_TYPES.has(type)) {
    if (typeof value !== 'string') return undefined;
    // CapabilityStatement.format: "xml | json | ttl | mime type" (R4 capabilitystatement-definitions.html).
    if (node.path === 'CapabilityStatement.format' && FORMAT_SHORTHANDS.has(value)) return undefined;
    return [{ system: undefined, code: value }];
  }
  if (type === 'Coding' && isObj(value)) return typeof value.code === 'string' ? [{ system: str(value.system), code: value.code }] : [];
  if (type === 'CodeableConcept' && isObj(value)) {
    const out: Candidate[] = [];
    if (Array.isArray(value.coding)) for (const c of value.coding) if (isObj(c) && typeof c.code === 'string') out.push({ system: str(c.system), code: c.code });
    return out;
  }
  return undefined;
}

const FORMAT_SHORTHANDS: ReadonlySet<string> = new Set(['xml', 'json', 'ttl']);

/**
 * A coded primitive given only as `_code` with extensions (e.g. data-absent-reason) has no code:
 * a required binding is not met (the reference validator: "No code provided, and a code is
 * required from the value set").
 */
export function checkMissingCode(node: ElementNode, type: string, path: string, ctx: WalkContext): void {
  const binding = node.binding;
  if (binding?.strength !== 'required' || !binding.valueSet || type !== 'code') return;
  const vs = binding.valueSet.split('|')[0] ?? binding.valueSet;
  if (ctx.terminology.expand(vs)) ctx.issues.push(issue('VAL-CODE-MISSING', { valueSet: vs }, path));
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A Coding's code in its system; a Quantity's UCUM code. */
export function checkCodeInSystem(value: unknown, type: string, path: string, ctx: WalkContext): void {
  if (!isObj(value) || typeof value.system !== 'string' || typeof value.code !== 'string') return;
  if (type !== 'Coding' && !(type === 'Quantity' || type === 'Age' || type === 'Duration' || type === 'Distance' || type === 'Count')) return;
  const check = ctx.terminology.checkCode(value.system, value.code);
  if (check.ok !== false) return;
  if (check.kind === 'unknown-code') {
    ctx.issues.push(issue('VAL-CODE-UNKNOWN', { code: value.code, system: value.system }, `${path}.code`));
  } else {
    ctx.issues.push(issue('VAL-CODE-FORMAT', { code: value.code, system: value.system, reason: check.reason }, `${path}.code`));
  }
}

export { codeText };
