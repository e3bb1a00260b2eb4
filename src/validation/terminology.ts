import { ALGORITHMIC_SYSTEMS, UNCONFIRMED } from './code-systems';
import type { CodeSystem, CodeSystemConcept, ConceptSetComponent } from './model';
import type { Registry } from './registry';

/**
 * ValueSet membership without a terminology server. A value set is expanded once (cached) into
 * system → codes; a system included whole is kept as "any code of this system", which is then
 * checked against the CodeSystem when we have it complete, or by the system's own rules (LOINC,
 * SNOMED CT, ICD-10, UCUM; code-systems.ts). A value set we cannot expand (unknown, or filters we
 * do not implement) answers "unknown": the binding is then not checked, never guessed.
 */

export type Membership = 'member' | 'not-member' | 'unknown';

export interface Expansion {
  /** system → codes; `true` = every code of the system. */
  systems: Map<string, Set<string> | true>;
}

export type CodeCheck = { ok: true } | { ok: false; kind: 'unknown-code' | 'format'; reason: string } | { ok: 'unknown' };

/** The two answers without details, shared (checkCode runs on every Coding and Quantity). */
const CODE_OK: CodeCheck = Object.freeze({ ok: true });
const UNKNOWN_CODE: CodeCheck = Object.freeze({ ok: 'unknown' });

export class Terminology {
  private readonly expansions = new Map<string, Expansion | null>();
  private readonly systemCodes = new Map<string, Set<string> | null>();

  constructor(private readonly registry: Registry) {}

  /** Codes of a complete (or fragment) CodeSystem we hold; null when we do not hold it. */
  codesOf(system: string): { codes: Set<string>; complete: boolean } | null {
    let codes = this.systemCodes.get(system);
    const cs = this.registry.codeSystem(system);
    if (codes === undefined) {
      codes = cs && (cs.content === 'complete' || cs.content === 'fragment') ? new Set(flatten(cs)) : null;
      this.systemCodes.set(system, codes);
    }
    return codes && cs ? { codes, complete: cs.content === 'complete' } : null;
  }

  /** Does `code` exist in `system`, as far as we can tell offline? */
  checkCode(system: string, code: string): CodeCheck {
    const algorithmic = ALGORITHMIC_SYSTEMS.get(system);
    if (algorithmic) {
      const reason = algorithmic(code);
      if (reason === UNCONFIRMED) return UNKNOWN_CODE;
      return reason === undefined ? CODE_OK : { ok: false, kind: 'format', reason };
    }
    const known = this.codesOf(system);
    if (!known) return UNKNOWN_CODE;
    if (known.codes.has(code)) return CODE_OK;
    return known.complete ? { ok: false, kind: 'unknown-code', reason: 'not in the code system' } : UNKNOWN_CODE;
  }

  /** Is (system, code) in the value set? `system` undefined: any system (a `code` element). */
  contains(valueSetUrl: string, system: string | undefined, code: string): Membership {
    const exp = this.expand(valueSetUrl);
    return exp ? this.member(exp, system, code) : 'unknown';
  }

  /** contains() on an expansion already looked up (the walker keeps each binding's). */
  member(exp: Expansion, system: string | undefined, code: string): Membership {
    if (system === undefined) {
      let unknown = false;
      for (const [sys, codes] of exp.systems) {
        if (codes !== true) {
          if (codes.has(code)) return 'member';
          continue;
        }
        const check = this.checkCode(sys, code).ok;
        if (check === true) return 'member';
        if (check === 'unknown') unknown = true;
      }
      return unknown ? 'unknown' : 'not-member';
    }
    const codes = exp.systems.get(system);
    if (codes === undefined) return 'not-member';
    if (codes !== true) return codes.has(code) ? 'member' : 'not-member';
    const check = this.checkCode(system, code);
    return check.ok === true ? 'member' : check.ok === 'unknown' ? 'unknown' : 'not-member';
  }

  expand(url: string): Expansion | null {
    const key = url.includes('|') ? (url.split('|')[0] ?? url) : url;
    const hit = this.expansions.get(key);
    if (hit !== undefined) return hit;
    this.expansions.set(key, null); // guards against value sets that include themselves
    const exp = this.compute(key);
    this.expansions.set(key, exp);
    return exp;
  }

  private compute(url: string): Expansion | null {
    const vs = this.registry.valueSet(url);
    if (!vs?.compose) return null;
    const systems = new Map<string, Set<string> | true>();
    for (const inc of vs.compose.include) {
      const part = this.component(inc);
      if (!part) return null;
      for (const [sys, codes] of part) mergeInto(systems, sys, codes);
    }
    for (const exc of vs.compose.exclude ?? []) {
      const part = this.component(exc);
      if (!part) return null;
      for (const [sys, codes] of part) {
        const current = systems.get(sys);
        if (current instanceof Set && codes instanceof Set) codes.forEach((c) => current.delete(c));
        else if (codes === true) systems.delete(sys);
        else return null; // excluding codes from "the whole system": cannot represent
      }
    }
    return { systems };
  }

  private component(inc: ConceptSetComponent): Map<string, Set<string> | true> | null {
    const out = new Map<string, Set<string> | true>();
    for (const ref of inc.valueSet ?? []) {
      const exp = this.expand(ref);
      if (!exp) return null;
      for (const [sys, codes] of exp.systems) mergeInto(out, sys, codes === true ? true : new Set(codes));
    }
    if (!inc.system) return out;
    if (inc.concept) {
      mergeInto(out, inc.system, new Set(inc.concept.map((c) => c.code)));
    } else if (inc.filter && inc.filter.length > 0) {
      const filtered = this.filter(inc.system, inc.filter);
      if (!filtered) return null;
      mergeInto(out, inc.system, filtered);
    } else {
      // A whole CodeSystem we hold complete becomes its code list, so exclusions can apply to it.
      const known = this.codesOf(inc.system);
      mergeInto(out, inc.system, known?.complete ? new Set(known.codes) : true);
    }
    return out;
  }

  /** `is-a` / `descendent-of` on a code system we hold with its hierarchy; other filters: unknown. */
  private filter(system: string, filters: NonNullable<ConceptSetComponent['filter']>): Set<string> | null {
    const cs = this.registry.codeSystem(system);
    if (!cs || filters.length !== 1) return null;
    const f = filters[0];
    if (!f || f.property !== 'concept' || (f.op !== 'is-a' && f.op !== 'descendent-of')) return null;
    const children = new Map<string, string[]>();
    for (const c of flattenConcepts(cs)) if (c.parent) children.set(c.parent, [...(children.get(c.parent) ?? []), c.code]);
    const out = new Set<string>(f.op === 'is-a' ? [f.value] : []);
    const stack = [...(children.get(f.value) ?? [])];
    for (let c = stack.pop(); c !== undefined; c = stack.pop()) {
      out.add(c);
      stack.push(...(children.get(c) ?? []));
    }
    return out;
  }
}

function mergeInto(map: Map<string, Set<string> | true>, system: string, codes: Set<string> | true): void {
  const current = map.get(system);
  if (current === true) return;
  if (codes === true || current === undefined) map.set(system, codes);
  else codes.forEach((c) => current.add(c));
}

/** Concepts with their parent, whether the CodeSystem nests them or lists `parent` (our compact form). */
function flattenConcepts(cs: CodeSystem): { code: string; parent?: string }[] {
  const out: { code: string; parent?: string }[] = [];
  const visit = (list: CodeSystemConcept[] | undefined, parent: string | undefined): void => {
    for (const c of list ?? []) {
      out.push({ code: c.code, parent: c.parent ?? parent });
      visit(c.concept, c.code);
    }
  };
  visit(cs.concept, undefined);
  return out;
}

function flatten(cs: CodeSystem): string[] {
  return flattenConcepts(cs).map((c) => c.code);
}
