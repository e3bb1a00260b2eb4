import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { hasErrors, issue, operationOutcome } from '../kernel';
import { readConformanceResources, type Validator } from '../validation/engine';
import { createIlpValidator } from '../validation/ilp/ilp-validator';
import { type FileResult, formatJson, formatJunit, formatText } from './validate-format';

/**
 * `ilp-gateway validate [--profile <canonical>] [--load <file|dir>]... [--format text|json|junit] <files...>`
 * Validates FHIR JSON resources (a Bundle's entries too) with the ILP profiles loaded, plus any
 * StructureDefinitions, ValueSets and CodeSystems given with --load. Exit 0 when every file is
 * valid (no error or fatal issue), 1 when any is invalid, 2 on usage errors.
 */

export const VALIDATE_USAGE = `Usage: ilp-gateway validate [--profile <canonical>] [--load <file|dir>]... [--format text|json|junit] <files or dirs...>

  --profile <canonical>   also validate every file against this profile
  --load <file|dir>       load StructureDefinitions, ValueSets and CodeSystems (repeatable)
  --format <f>            text (default), json or junit
Exit status: 0 all valid, 1 some invalid, 2 usage error.
`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal: the progress bar is drawn only then. */
  interactive: boolean;
}

interface Options {
  profile?: string;
  load: string[];
  format: 'text' | 'json' | 'junit';
  paths: string[];
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { load: [], format: 'text', paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--profile') o.profile = value();
    else if (arg === '--load') o.load.push(value());
    else if (arg === '--format') {
      const f = value();
      if (f !== 'text' && f !== 'json' && f !== 'junit') throw new UsageError(`unknown format "${f}" (text, json or junit)`);
      o.format = f;
    } else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else o.paths.push(arg);
  }
  if (o.paths.length === 0) throw new UsageError('no files given');
  return o;
}

function jsonFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? jsonFilesUnder(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []));
}

function collect(paths: readonly string[]): { files: string[]; fromDirectory: boolean } {
  const files: string[] = [];
  let fromDirectory = false;
  for (const p of paths) {
    if (!existsSync(p)) throw new UsageError(`no such file or directory: ${p}`);
    if (statSync(p).isDirectory()) {
      fromDirectory = true;
      files.push(...jsonFilesUnder(p));
    } else files.push(p);
  }
  if (files.length === 0) throw new UsageError(`no .json files under ${paths.join(', ')}`);
  return { files, fromDirectory };
}

function validateFile(validator: Validator, file: string, profile: string | undefined): FileResult {
  let resource: unknown;
  try {
    resource = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const outcome = operationOutcome([issue('VAL-JSON', { reason: err instanceof Error ? err.message : String(err) })]);
    return { file, valid: false, outcome };
  }
  const issues = validator.validate(resource, { profiles: profile ? [profile] : [] });
  return { file, valid: !hasErrors(issues), outcome: operationOutcome(issues) };
}

function progress(io: CliIo, done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  io.err(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
}

function readLoad(file: string): ReturnType<typeof readConformanceResources> {
  try {
    return readConformanceResources(file);
  } catch (err) {
    throw new UsageError(`--load: ${file} is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

function setUp(o: Options): Validator {
  const validator = createIlpValidator();
  for (const path of o.load) {
    if (!existsSync(path)) throw new UsageError(`--load: no such file or directory: ${path}`);
    validator.load((statSync(path).isDirectory() ? jsonFilesUnder(path) : [path]).flatMap(readLoad));
  }
  if (o.profile) {
    const { structure, error } = validator.registry.tryCompile(o.profile);
    if (!structure) throw new UsageError(error ? `profile ${o.profile} cannot be used: ${error}` : `unknown profile ${o.profile} (load it with --load)`);
  }
  return validator;
}

export function runValidate(argv: readonly string[], io: CliIo): number {
  const started = Date.now();
  let o: Options;
  let files: string[];
  let validator: Validator;
  let fromDirectory: boolean;
  try {
    o = parseArgs(argv);
    ({ files, fromDirectory } = collect(o.paths));
    validator = setUp(o);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`ilp-gateway validate: ${err.message}\n\n${VALIDATE_USAGE}`);
    return 2;
  }
  const showProgress = fromDirectory && io.interactive && o.format === 'text';
  const results = files.map((file, i) => {
    const r = validateFile(validator, file, o.profile);
    if (showProgress) progress(io, i + 1, files.length);
    return { ...r, file: relative(process.cwd(), file) || file };
  });
  const seconds = (Date.now() - started) / 1000;
  io.out(o.format === 'json' ? formatJson(results) : o.format === 'junit' ? formatJunit(results, seconds) : formatText(results));
  return results.every((r) => r.valid) ? 0 : 1;
}
