import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import type { Catalogue } from '../catalog/types';
import { Issue, issue } from '../kernel';
import type { IlpSubmission } from './submission';
import { buildSubmissionSchema } from './schema';

/** `/screenings/1/items/0/value` → `screenings[1].items[0].value` */
export function jsonPointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

const join = (base: string, child: string): string => (base ? `${base}.${child}` : child);

function lookup(data: unknown, pointer: string): unknown {
  let cur: unknown = data;
  for (const seg of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function describeAllowed(values: unknown[]): string {
  const shown = values.slice(0, 12).map(String).join(', ');
  return values.length > 12 ? `${shown}, … (${values.length} codes)` : shown;
}

/** One ajv error → one catalogue issue naming the exact field. */
function translate(err: ErrorObject, data: unknown, catalogue: Catalogue): Issue | undefined {
  const path = jsonPointerToPath(err.instancePath);
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'required':
      return issue('SCHEMA-REQUIRED', { field: String(p.missingProperty) }, join(path, String(p.missingProperty)));
    case 'additionalProperties':
      return issue('SCHEMA-UNKNOWN-FIELD', { field: String(p.additionalProperty) }, join(path, String(p.additionalProperty)));
    case 'type':
      return issue('SCHEMA-TYPE', { expected: String(p.type) }, path);
    case 'enum':
      return issue('SCHEMA-ENUM', { allowed: describeAllowed(p.allowedValues as unknown[]) }, path);
    case 'const':
      return issue('SCHEMA-ENUM', { allowed: String(p.allowedValue) }, path);
    case 'discriminator': {
      if (p.error === 'mapping') {
        const derived = catalogue.items.get(String(p.tagValue))?.derived;
        if (derived) return issue('ILP-ITEM-DERIVED', { code: String(p.tagValue), from: derived.inputs.join(' + ') }, join(path, 'code'));
        return issue('ILP-ITEM-UNKNOWN', { code: String(p.tagValue) }, join(path, 'code'));
      }
      return issue('SCHEMA-TYPE', { expected: 'string' }, join(path, 'code'));
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return rangeIssue(err, path, data, catalogue);
    case 'pattern':
      return issue('SCHEMA-FORMAT', { detail: `must match ${String(p.pattern)}` }, path);
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'uniqueItems':
      return issue('SCHEMA-RANGE', { detail: err.message ?? err.keyword }, path);
    case 'oneOf':
    case 'if':
      return undefined; // the branch's own errors say more
    default:
      return issue('SCHEMA-OTHER', { detail: err.message ?? err.keyword }, path);
  }
}

function rangeIssue(err: ErrorObject, path: string, data: unknown, catalogue: Catalogue): Issue {
  const itemMatch = /^(\/screenings\/\d+\/items\/\d+)\/value$/.exec(err.instancePath);
  const code = itemMatch ? lookup(data, `${itemMatch[1]}/code`) : undefined;
  const item = typeof code === 'string' ? catalogue.items.get(code) : undefined;
  if (item && (item.value.type === 'quantity' || item.value.type === 'integer')) {
    return issue('ILP-ITEM-IMPLAUSIBLE', {
      item: item.code, value: String(lookup(data, err.instancePath)),
      unit: item.value.unit?.display ?? '', min: item.value.min, max: item.value.max,
    }, path);
  }
  return issue('SCHEMA-RANGE', { detail: err.message ?? err.keyword }, path);
}

export interface SubmissionSchemaValidator {
  readonly schema: Record<string, unknown>;
  validate(data: unknown): { ok: true; value: IlpSubmission } | { ok: false; issues: Issue[] };
}

/** Compiles the catalogue-generated schema once; the returned validator is reused for every request. */
export function compileSubmissionValidator(catalogue: Catalogue): SubmissionSchemaValidator {
  const schema = buildSubmissionSchema(catalogue);
  const ajv = new Ajv2020({ allErrors: true, discriminator: true, strict: true, strictTypes: false });
  const fn: ValidateFunction = ajv.compile(schema);
  return {
    schema,
    validate(data) {
      if (fn(data)) return { ok: true, value: data as unknown as IlpSubmission };
      const issues = (fn.errors ?? []).map((e) => translate(e, data, catalogue)).filter((i): i is Issue => i !== undefined);
      return { ok: false, issues: dedupe(issues) };
    },
  };
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.errorCode}|${i.expression}|${i.message.en}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
