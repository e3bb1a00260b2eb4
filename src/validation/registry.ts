import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompileError, compileStructure } from './compile';
import type { CodeSystem, CompiledStructure, ConformanceResource, StructureDefinition, ValueSet } from './model';
import { SnapshotError, generateSnapshot } from './snapshot';

/**
 * Every conformance resource the validator knows: the R4 base (generated at build time by
 * scripts/gen-validator-definitions.mjs), our profiles/ package and whatever a tester loads.
 * StructureDefinitions are compiled on first use and cached, so a profile costs its compile once
 * per process, never per request. A StructureDefinition with only a differential gets its snapshot
 * generated against its base (snapshot.ts).
 */

const FHIR_BASE = 'http://hl7.org/fhir/StructureDefinition/';
const DEFINITIONS_FILE = join(__dirname, '..', '..', 'generated', 'fhir-r4-definitions.json');

interface GeneratedDefinitions {
  primitives: Record<string, string>;
  structures: StructureDefinition[];
  valueSets: ValueSet[];
  codeSystems: CodeSystem[];
  /** url → type of the R4 SearchParameters (absent in files generated before issue 13). */
  searchParamTypes?: Record<string, string>;
  /** url → base resource types of the R4 SearchParameters (absent in older generated files). */
  searchParamBases?: Record<string, string[]>;
}

let base: GeneratedDefinitions | undefined;

function loadBase(): GeneratedDefinitions {
  if (!base) {
    let text: string;
    try {
      text = readFileSync(DEFINITIONS_FILE, 'utf8');
    } catch {
      throw new Error(`${DEFINITIONS_FILE} is missing: run \`npm run build\` to generate it.`);
    }
    base = JSON.parse(text) as GeneratedDefinitions;
  }
  return base;
}

const stripVersion = (url: string): string => (url.includes('|') ? (url.split('|')[0] ?? url) : url);

export class Registry {
  readonly primitives: ReadonlyMap<string, RegExp>;
  private readonly structures = new Map<string, StructureDefinition>();
  private readonly compiled = new Map<string, CompiledStructure>();
  private readonly valueSets = new Map<string, ValueSet>();
  private readonly codeSystems = new Map<string, CodeSystem>();
  readonly resourceTypes: ReadonlySet<string>;

  constructor() {
    const defs = loadBase();
    this.primitives = new Map(Object.entries(defs.primitives).map(([k, v]) => [k, new RegExp(v)]));
    defs.structures.forEach((sd) => this.structures.set(sd.url, sd));
    defs.valueSets.forEach((vs) => this.valueSets.set(vs.url, vs));
    defs.codeSystems.forEach((cs) => this.codeSystems.set(cs.url, cs));
    this.resourceTypes = new Set(
      defs.structures.filter((s) => s.kind === 'resource' && !s.abstract && s.derivation === 'specialization').map((s) => s.type),
    );
  }

  /** Adds (or replaces) a StructureDefinition, ValueSet or CodeSystem; later compiles see it. */
  add(resource: ConformanceResource): void {
    const url = stripVersion(resource.url);
    if (resource.resourceType === 'StructureDefinition') {
      this.structures.set(url, resource);
      this.compiled.clear(); // a replaced profile may be the base of a compiled one
      this.derivations.clear();
    } else if (resource.resourceType === 'ValueSet') this.valueSets.set(url, resource);
    else this.codeSystems.set(url, resource);
  }

  structure(url: string): StructureDefinition | undefined {
    const key = stripVersion(url);
    const sd = this.structures.get(key) ?? this.structures.get(FHIR_BASE + key);
    if (sd && !sd.snapshot && sd.differential) {
      sd.snapshot = generateSnapshot(sd, this).snapshot;
    }
    return sd;
  }

  /** The compiled structure for a canonical URL or a base type name ('Quantity', 'Patient'). */
  compile(urlOrType: string): CompiledStructure | undefined {
    const key = stripVersion(urlOrType);
    const hit = this.compiled.get(key);
    if (hit) return hit;
    const sd = this.structure(key);
    if (!sd) return undefined;
    const c = compileStructure(sd);
    this.compiled.set(key, c);
    return c;
  }

  /** compile(), with a broken profile (no snapshot can be generated, bad element ids) as a reason instead of a throw. */
  tryCompile(url: string): { structure?: CompiledStructure; error?: string } {
    try {
      const structure = this.compile(url);
      return structure ? { structure } : {};
    } catch (err) {
      if (err instanceof SnapshotError || err instanceof CompileError) return { error: err.message };
      throw err;
    }
  }

  /** The type (token, date, …) of an R4 SearchParameter by canonical URL. */
  searchParamType(url: string): string | undefined {
    return loadBase().searchParamTypes?.[stripVersion(url)];
  }

  /** The base resource types of an R4 SearchParameter by canonical URL. */
  searchParamBase(url: string): readonly string[] | undefined {
    return loadBase().searchParamBases?.[stripVersion(url)];
  }

  valueSet(url: string): ValueSet | undefined {
    return this.valueSets.get(stripVersion(url));
  }

  codeSystem(url: string): CodeSystem | undefined {
    return this.codeSystems.get(stripVersion(url));
  }

  private readonly derivations = new Map<string, Map<string, boolean>>();

  /** True when `url` (a profile) is `ancestor` or derives from it by constraint (cached). */
  derivesFrom(url: string, ancestor: string): boolean {
    let byAncestor = this.derivations.get(url);
    if (!byAncestor) {
      byAncestor = new Map();
      this.derivations.set(url, byAncestor);
    }
    let hit = byAncestor.get(ancestor);
    if (hit === undefined) {
      hit = this.computeDerivesFrom(url, ancestor);
      byAncestor.set(ancestor, hit);
    }
    return hit;
  }

  private computeDerivesFrom(url: string, ancestor: string): boolean {
    let current: string | undefined = stripVersion(url);
    const target = stripVersion(ancestor);
    for (let depth = 0; current && depth < 20; depth++) {
      if (current === target) return true;
      current = this.structure(current)?.baseDefinition;
      current = current === undefined ? undefined : stripVersion(current);
    }
    return false;
  }

  profilesOf(type: string): StructureDefinition[] {
    return [...this.structures.values()].filter((s) => s.type === type && s.derivation === 'constraint');
  }
}

export const baseUrl = (type: string): string => FHIR_BASE + type;
