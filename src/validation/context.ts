import type { Issue } from '../kernel';
import type { Registry } from './registry';
import type { Terminology } from './terminology';

export type Json = Record<string, unknown>;

/**
 * Checks the HL7 validator switches on or off by an option (its CLI/test-harness options of the same
 * meaning, docs/validation.md "Options"). The defaults are the HL7 validator's defaults.
 */
export interface ValidationPolicy {
  /** false: URLs on example domains (example.org, acme.com) are errors (HL7 `examples: false`). Default true. */
  exampleUrls?: boolean;
  /** true: a string that looks like it embeds HTML tags is an error (HL7 `security-checks`). Default false. */
  securityChecks?: boolean;
  /** false: markdown that embeds HTML tags is an error (HL7 `noHtmlInMarkdown`). Default true. */
  htmlInMarkdown?: boolean;
  /** 'ignore': contained resources are not validated (HL7 `validateContains: IGNORE`). Default 'check'. */
  containedResources?: 'check' | 'ignore';
  /** true: relative references inside a Parameters' resources must resolve to one of them (HL7 `validateReference`). */
  resolveParameterReferences?: boolean;
  /** false: a resource with experimental = true is an error (HL7 `no-experimental-content`). Default true. */
  experimentalContent?: boolean;
  /** true: HL7's publication rules (HL7 `for-publication`): a resource published under hl7.org/fhir names its work group. */
  forPublication?: boolean;
  /**
   * true: an Observation with a vital-sign code is also validated against that vital signs profile
   * (R4 observation-vitalsigns.html: "SHALL conform"; the HL7 validator does so). The r4 mode sets it.
   */
  vitalSigns?: boolean;
  /**
   * true: a Bundle entry without fullUrl whose resource has relative references is an error (they
   * resolve against the fullUrl; the HL7 validator refuses it). The r4 mode sets it; the gateway's
   * intake does not, since FHIR clients send transaction PUTs without fullUrl (bundle.html: SHOULD).
   */
  fullUrlForRelativeReferences?: boolean;
}

export const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** State of one validation run; `issues` collects everything found, in document order. */
export interface WalkContext {
  registry: Registry;
  terminology: Terminology;
  issues: Issue[];
  /** The resource being walked (FHIRPath %resource) and the outermost one (%rootResource). */
  resource: Json;
  root: Json;
  /** Bundle entry fullUrl → resourceType, to check the target type of urn:uuid references. */
  fullUrls: ReadonlyMap<string, string>;
  /** Structure the current element belongs to, for messages. */
  profile: string;
  /** What an extension URL we have no definition for is: a warning (ILP mode) or an error (r4 mode, as the HL7 validator). */
  unknownExtensions: 'warning' | 'error';
  /** Option-driven checks (ValidationPolicy); {} when none is set. */
  policy: ValidationPolicy;
  /** `Type/id` of every resource of the enclosing Parameters (set when policy.resolveParameterReferences). */
  parameterResources?: ReadonlySet<string>;
  /** Validates a nested resource (contained, Bundle.entry.resource, Parameters.parameter.resource). */
  walkResource(value: unknown, path: string, ctx: WalkContext): void;
}

/** A copy of the context that collects its issues separately (slice matching by profile). */
export function quietContext(ctx: WalkContext): WalkContext {
  return { ...ctx, issues: [] };
}

/** JSON value → short text for messages. */
export function shown(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export const jsonType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
