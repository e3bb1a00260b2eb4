import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { hasErrors, operationOutcome } from '../kernel';
import { readConformanceResources, type Validator } from '../validation/engine';
import { createIlpValidator } from '../validation/ilp/ilp-validator';
import type { ValidationPolicy } from '../validation/context';
import { readFhirJson } from '../validation/json-text';
import { isValidationMode, modeOptions, type ValidationMode } from '../validation/modes';
import { type FileResult, formatJson, formatJunit, formatText } from './validate-format';

/**
 * `ilp-gateway validate [--ig r4|ilp] [--profile <canonical>] [--load <file|dir>]... [--format text|json|junit] <files...>`
 * Validates FHIR JSON resources (a Bundle's entries too). `--ig ilp` (the default) is "would the
 * gateway accept this?": the ILP profiles apply by resource type and Observation code. `--ig r4` is
 * what the HL7 validator does without an IG: the R4 base definitions plus meta.profile plus
 * --profile (our package and --load are still loaded, so their canonicals resolve). Exit 0 when
 * every file is valid (no error or fatal issue), 1 when any is invalid, 2 on usage errors.
 */

export const VALIDATE_USAGE = `Usage: ilp-gateway validate [--ig r4|ilp] [--profile <canonical>] [--load <file|dir>]... [--format text|json|junit] <files or dirs...>

  --ig <mode>             ilp (default): the ILP profiles apply by resource type, as on the gateway's intake
                          r4: base R4 only (an Observation with a vital-sign code: also R4's vital signs
                          profile), plus meta.profile and --profile (as the HL7 validator does)
  --profile <canonical>   also validate every file against this profile
  --load <file|dir>       load StructureDefinitions, ValueSets and CodeSystems (repeatable)
  --format <f>            text (default), json or junit
Checks the HL7 validator switches by option (same meaning; defaults are its defaults):
  --allow-comments        accept // and /* */ comments in the JSON (otherwise each is an error)
  --security-checks       a string that looks like it embeds HTML tags is an error
  --no-example-urls       URLs on example domains (example.org, acme.com) are errors
  --no-html-in-markdown   markdown that embeds HTML tags is an error
  --no-experimental       a resource with experimental = true is an error
  --for-publication       HL7 publication rules (a resource under hl7.org/fhir names its work group)
  --contained <c>         check (default) or ignore: validate contained resources or not
  --resolve-references    relative references inside a Parameters must resolve to one of its resources
  --help                  this text
  --version               the gateway's version
Exit status: 0 all valid, 1 some invalid, 2 usage error.
`;

/** The package version (package.json), read once on demand. */
export function cliVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal: the progress bar is drawn only then. */
  interactive: boolean;
}

interface Options {
  ig: ValidationMode;
  profile?: string;
  policy: ValidationPolicy;
  allowComments: boolean;
  load: string[];
  format: 'text' | 'json' | 'junit';
  paths: string[];
}

class UsageError extends Error {}

type Parsed = Options | 'help' | 'version';

function parseArgs(argv: readonly string[]): Parsed {
  const o: Options = { ig: 'ilp', load: [], format: 'text', paths: [], policy: {}, allowComments: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--version') return 'version';
    if (arg === '--profile') o.profile = value();
    else if (arg === '--load') o.load.push(value());
    else if (arg === '--ig') {
      const m = value();
      if (!isValidationMode(m)) throw new UsageError(`unknown --ig "${m}" (r4 or ilp)`);
      o.ig = m;
    } else if (arg === '--format') {
      const f = value();
      if (f !== 'text' && f !== 'json' && f !== 'junit') throw new UsageError(`unknown format "${f}" (text, json or junit)`);
      o.format = f;
    } else if (arg === '--allow-comments') o.allowComments = true;
    else if (arg === '--security-checks') o.policy.securityChecks = true;
    else if (arg === '--no-example-urls') o.policy.exampleUrls = false;
    else if (arg === '--no-html-in-markdown') o.policy.htmlInMarkdown = false;
    else if (arg === '--no-experimental') o.policy.experimentalContent = false;
    else if (arg === '--for-publication') o.policy.forPublication = true;
    else if (arg === '--resolve-references') o.policy.resolveParameterReferences = true;
    else if (arg === '--contained') {
      const c = value();
      if (c !== 'check' && c !== 'ignore') throw new UsageError(`unknown --contained "${c}" (check or ignore)`);
      o.policy.containedResources = c;
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

/** What `validateText` is asked: the mode, an explicit profile, option-driven checks, JSON comments. */
export interface TextValidation {
  ig: ValidationMode;
  profile?: string | undefined;
  policy?: ValidationPolicy;
  /** Comments in the JSON are accepted (the HL7 `allow-comments` option); otherwise each is an error. */
  allowComments?: boolean;
}

/** One file's text → its verdict, as `validate` prints it (also what the HL7 reference-case score runs). */
export function validateText(validator: Validator, text: string, o: TextValidation): Omit<FileResult, 'file'> {
  const read = readFhirJson(text, { allowComments: o.allowComments === true });
  if (read.value === undefined) return { valid: false, outcome: operationOutcome(read.issues) };
  const issues = [
    ...read.issues,
    ...validator.validate(read.value, { profiles: o.profile ? [o.profile] : [], ...modeOptions(o.ig), ...(o.policy ? { policy: { ...modeOptions(o.ig).policy, ...o.policy } } : {}) }),
  ];
  return { valid: !hasErrors(issues), outcome: operationOutcome(issues) };
}

function validateFile(validator: Validator, file: string, o: Options): FileResult {
  return { file, ...validateText(validator, readFileSync(file, 'utf8'), o) };
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
    const parsed = parseArgs(argv);
    if (parsed === 'help') {
      io.out(VALIDATE_USAGE);
      return 0;
    }
    if (parsed === 'version') {
      io.out(`ilp-gateway ${cliVersion()}\n`);
      return 0;
    }
    o = parsed;
    ({ files, fromDirectory } = collect(o.paths));
    validator = setUp(o);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`ilp-gateway validate: ${err.message}\n\n${VALIDATE_USAGE}`);
    return 2;
  }
  const showProgress = fromDirectory && io.interactive && o.format === 'text';
  const results = files.map((file, i) => {
    const r = validateFile(validator, file, o);
    if (showProgress) progress(io, i + 1, files.length);
    return { ...r, file: relative(process.cwd(), file) || file };
  });
  const seconds = (Date.now() - started) / 1000;
  io.out(o.format === 'json' ? formatJson(results) : o.format === 'junit' ? formatJunit(results, seconds) : formatText(results));
  return results.every((r) => r.valid) ? 0 : 1;
}
