/**
 * The shapes the validator reads: a lightweight view of StructureDefinition, ElementDefinition,
 * ValueSet and CodeSystem (only the fields it uses, FHIR R4 names), and the compiled element tree.
 */

export interface TypeRef {
  code: string;
  profile?: string[];
  targetProfile?: string[];
}

/** ElementDefinition.slicing.discriminator (R4 elementdefinition.html#slicing). */
export interface Discriminator {
  type: 'value' | 'pattern' | 'type' | 'exists' | 'profile';
  path: string;
}

export interface Slicing {
  discriminator?: Discriminator[];
  rules: 'open' | 'closed' | 'openAtEnd';
  ordered?: boolean;
}

export interface Constraint {
  key: string;
  severity: string;
  human: string;
  expression?: string;
}

export interface Binding {
  strength: string;
  valueSet?: string;
}

/** An ElementDefinition; fixed[x], pattern[x], minValue[x], maxValue[x] stay under their JSON names. */
export interface ElementDefinition {
  id?: string;
  path: string;
  sliceName?: string;
  min?: number;
  max?: string;
  type?: TypeRef[];
  contentReference?: string;
  binding?: Binding;
  constraint?: Constraint[];
  slicing?: Slicing;
  maxLength?: number;
  short?: string;
  base?: { path?: string; min?: number; max?: string };
  [key: string]: unknown;
}

export interface StructureDefinition {
  resourceType: 'StructureDefinition';
  id?: string;
  url: string;
  name?: string;
  version?: string;
  type: string;
  kind: string;
  abstract?: boolean;
  baseDefinition?: string;
  derivation?: string;
  snapshot?: { element: ElementDefinition[] };
  differential?: { element: ElementDefinition[] };
  [key: string]: unknown;
}

export interface ConceptSetComponent {
  system?: string;
  concept?: { code: string }[];
  filter?: { property: string; op: string; value: string }[];
  valueSet?: string[];
}

export interface ValueSet {
  resourceType: 'ValueSet';
  url: string;
  compose?: { include: ConceptSetComponent[]; exclude?: ConceptSetComponent[] };
  [key: string]: unknown;
}

export interface CodeSystemConcept {
  code: string;
  parent?: string;
  concept?: CodeSystemConcept[];
}

export interface CodeSystem {
  resourceType: 'CodeSystem';
  url: string;
  content: string;
  caseSensitive?: boolean;
  concept?: CodeSystemConcept[];
  [key: string]: unknown;
}

export type ConformanceResource = StructureDefinition | ValueSet | CodeSystem;

/** One compiled ElementDefinition with its children and slices resolved (compile.ts). */
export interface ElementNode {
  id: string;
  path: string;
  /** Last path segment, e.g. `value[x]`. */
  name: string;
  min: number;
  max: number;
  /** Whether the element is a JSON array: its base definition's max is above 1 (R4 json.html#repeating). */
  repeats: boolean;
  types: TypeRef[];
  /** fixed[x] or pattern[x]: the value and which of the two. */
  fixed?: unknown;
  pattern?: unknown;
  minValue?: number | string;
  maxValue?: number | string;
  maxLength?: number;
  /** Any of fixed, pattern, minValue, maxValue, maxLength: the walker skips their check otherwise. */
  valueChecks: boolean;
  /** The element has error invariants of its own that are evaluated (not only the structural ele-1). */
  ownInvariants: boolean;
  binding?: Binding;
  constraints: Constraint[];
  children: ElementNode[];
  /** JSON property name → child and the type that name selects (choice types: valueQuantity → Quantity). */
  byKey: Map<string, { node: ElementNode; type: string }>;
  slicing?: Slicing;
  sliceName?: string;
  slices: ElementNode[];
  contentReference?: string;
  /** The structure this node belongs to (for messages and contentReference). */
  owner: string;
  /** `value[x]`-style element, and the JSON names it can appear under (valueQuantity, valueString, …). */
  choice: boolean;
  jsonNames: string[];
  /** The same names with a leading `_`, where a primitive's id and extensions go (R4 json.html#primitive). */
  extraNames: string[];
  /** Children with min > 0, so absent required elements are found without scanning every child. */
  required: ElementNode[];
  /**
   * What the walker worked out for this element as each of its types, filled on first use
   * (walk.ts owns the shape: the checks that apply, the children's definition, the invariants).
   */
  plans: Map<string, unknown>;
  /**
   * byKey lookups remembered by property position (walk.ts entryFor): objects of one type mostly
   * list their properties in the same order, so position i usually holds the key seen there last.
   */
  keyMemo: ({ key: string; entry: { node: ElementNode; type: string } | undefined } | undefined)[];
  /** The plan used last and its type: most elements have one type, so the Map is rarely read. */
  lastPlanType: string | undefined;
  lastPlan: unknown;
}

export interface CompiledStructure {
  url: string;
  type: string;
  kind: string;
  baseDefinition?: string;
  root: ElementNode;
  byPath: Map<string, ElementNode>;
}
