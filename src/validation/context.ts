import type { Issue } from '../kernel';
import type { Registry } from './registry';
import type { Terminology } from './terminology';

export type Json = Record<string, unknown>;

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
