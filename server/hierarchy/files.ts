// Reads a city folder of hierarchy files (city.json + departments/*.json) and checks all of it before
// anything is written: the JSON Schemas first, then the rules a schema cannot state (unique codes,
// providers that exist, questions that fit). Every problem is reported with its file and JSON path.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const configDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'hierarchy-config');
export const sampleCityDir = join(configDir, 'sample-city');

export interface Question {
  code: string;
  variable: boolean;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  order: number;
  description: string;
  datatypeDescription?: string | null;
  values?: { key: string; name: string }[];
}

export interface DuplicateRule {
  radiusMeters: number;
  windowDays: number;
  scope: 'code' | 'category';
  matchAttribute?: string | null;
}

export interface Settings {
  standardWorkOrder?: { workType?: string; priority?: string; tasks?: string[]; provider?: string };
  turnaround?: { temporaryHours?: number; permanentHours: number };
  duplicateRule?: DuplicateRule | null;
  needsLocation?: boolean;
  public?: boolean;
}

export interface ProblemCodeFile extends Settings {
  code: string;
  name: string;
  description: string;
  keywords?: string[];
  synonyms?: string[];
  questions?: Question[];
  status?: 'active' | 'retired';
}

export interface CategoryFile {
  code: string;
  name: string;
  description?: string;
  defaults?: Settings;
  problemCodes: ProblemCodeFile[];
}

export interface ProviderFile {
  code: string;
  name: string;
  description?: string;
  defaults?: Settings;
  categories: CategoryFile[];
}

export interface DepartmentFile {
  code: string;
  name: string;
  description?: string;
  defaults?: Settings;
  providers: ProviderFile[];
}

export interface CityFile {
  name: string;
  description?: string;
  timezone: string;
  source?: string;
  defaults?: Settings;
}

export interface HierarchyProblem {
  file: string;
  /** JSON pointer into the file, e.g. `/providers/0/categories/2/problemCodes/5/questions/1/values`. */
  path: string;
  message: string;
}

export interface CityHierarchy {
  city: CityFile;
  departments: { file: string; data: DepartmentFile }[];
}

let validators: { city: ValidateFunction; department: ValidateFunction; definitions: { problemCode: ValidateFunction; settings: ValidateFunction } } | undefined;

function compileValidators() {
  if (validators) return validators;
  const ajv = new Ajv({ allErrors: true, strict: true });
  const departmentSchema = JSON.parse(readFileSync(join(configDir, 'schema.json'), 'utf8')) as { $id: string };
  const citySchema = JSON.parse(readFileSync(join(configDir, 'city.schema.json'), 'utf8')) as { $id: string };
  ajv.addSchema(departmentSchema);
  ajv.addSchema(citySchema);
  validators = {
    department: ajv.getSchema(departmentSchema.$id)!,
    city: ajv.getSchema(citySchema.$id)!,
    definitions: {
      problemCode: ajv.getSchema(`${departmentSchema.$id}#/definitions/problemCode`)!,
      settings: ajv.getSchema(`${departmentSchema.$id}#/definitions/settings`)!,
    },
  };
  return validators;
}

function describe(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `unknown property "${String(p.additionalProperty)}"`;
  if (error.keyword === 'required') return `missing property "${String(p.missingProperty)}"`;
  if (error.keyword === 'enum') return `must be one of ${(p.allowedValues as unknown[]).join(', ')}`;
  if (error.keyword === 'minItems') return `must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
  if (error.keyword === 'maxItems') return Number(p.limit) === 0 ? 'must be empty (only list questions have values)' : `must have at most ${String(p.limit)} items`;
  if (error.keyword === 'minLength') return Number(p.limit) === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`;
  if (error.keyword === 'maxLength') return `must be at most ${String(p.limit)} characters long`;
  return error.message ?? 'is not valid';
}

/** Ajv reports each failed branch of if/then and anyOf too; keep the errors that say something. */
function schemaProblems(file: string, errors: ErrorObject[] | null | undefined): HierarchyProblem[] {
  const seen = new Set<string>();
  const problems: HierarchyProblem[] = [];
  for (const error of errors ?? []) {
    if (error.keyword === 'if' || error.keyword === 'anyOf') continue;
    const problem = { file, path: error.instancePath || '/', message: describe(error) };
    const key = `${problem.path} ${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function readJson(path: string, file: string, problems: HierarchyProblem[]): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    problems.push({ file, path: '/', message: error instanceof SyntaxError ? `not valid JSON: ${error.message}` : `cannot be read: ${String(error)}` });
    return undefined;
  }
}

/** One level of the inheritance chain: who says it (a node's code, or `city`) and what it says. */
export interface ChainLink {
  source: string;
  settings?: Settings | undefined;
}

export interface ResolvedSettings {
  standardWorkOrder: { workType: string; priority: string; tasks: string[]; provider: string };
  turnaround: { temporaryHours?: number; permanentHours: number } | null;
  duplicateRule: DuplicateRule | null;
  needsLocation: boolean;
  public: boolean;
}

/**
 * Settings of a problem code after inheritance, and where each came from: nearest level first.
 * `chain` runs from the city down to the problem code; the work goes to the code's own provider
 * unless the code names another.
 */
export function resolveSettings(chain: ChainLink[], providerCode: string): { value: ResolvedSettings; from: Record<string, string> } {
  const from: Record<string, string> = {};
  const pick = <T>(key: string, get: (s: Settings) => T | undefined, fallback: T): T => {
    for (let i = chain.length - 1; i >= 0; i--) {
      const settings = chain[i]!.settings;
      const value = settings ? get(settings) : undefined;
      if (value !== undefined) {
        from[key] = chain[i]!.source;
        return value;
      }
    }
    from[key] = 'default';
    return fallback;
  };
  const own = chain.at(-1)?.settings?.standardWorkOrder?.provider;
  from['standardWorkOrder.provider'] = own ? chain.at(-1)!.source : 'its service provider';
  const value: ResolvedSettings = {
    standardWorkOrder: {
      workType: pick('standardWorkOrder.workType', (s) => s.standardWorkOrder?.workType, 'Investigate'),
      priority: pick('standardWorkOrder.priority', (s) => s.standardWorkOrder?.priority, 'normal'),
      tasks: pick('standardWorkOrder.tasks', (s) => s.standardWorkOrder?.tasks, [] as string[]),
      provider: own ?? providerCode,
    },
    turnaround: pick('turnaround', (s) => s.turnaround, null),
    duplicateRule: pick('duplicateRule', (s) => s.duplicateRule, null),
    needsLocation: pick('needsLocation', (s) => s.needsLocation, true),
    public: pick('public', (s) => s.public, true),
  };
  return { value, from };
}

/** What is wrong with a problem code beyond its shape, as JSON paths relative to the code. */
export function problemCodeProblems(pc: Pick<ProblemCodeFile, 'code' | 'questions'>, resolved: ResolvedSettings, providerExists: (code: string) => boolean): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (!providerExists(resolved.standardWorkOrder.provider)) {
    problems.push({ path: '/standardWorkOrder/provider', message: `no service provider has the code ${resolved.standardWorkOrder.provider}` });
  }
  if (!resolved.turnaround) problems.push({ path: '/turnaround', message: 'no turnaround is set here or on any level above' });
  const { temporaryHours, permanentHours } = resolved.turnaround ?? { permanentHours: 0 };
  if (temporaryHours !== undefined && temporaryHours > permanentHours) {
    problems.push({ path: '/turnaround', message: `the temporary fix (${temporaryHours} h) cannot come after the permanent one (${permanentHours} h)` });
  }
  if (!resolved.needsLocation && resolved.duplicateRule && !resolved.duplicateRule.matchAttribute) {
    problems.push({ path: '/duplicateRule', message: 'a code that needs no location can only find duplicates by an answer (matchAttribute), or have no duplicate rule' });
  }
  const questions = pc.questions ?? [];
  const seenCodes = new Set<string>();
  const seenOrders = new Set<number>();
  questions.forEach((q, qi) => {
    if (seenCodes.has(q.code)) problems.push({ path: `/questions/${qi}/code`, message: `question code ${q.code} appears twice` });
    if (seenOrders.has(q.order)) problems.push({ path: `/questions/${qi}/order`, message: `order ${q.order} appears twice` });
    seenCodes.add(q.code);
    seenOrders.add(q.order);
    const keys = new Set<string>();
    (q.values ?? []).forEach((v, vi) => {
      if (keys.has(v.key)) problems.push({ path: `/questions/${qi}/values/${vi}/key`, message: `value key ${v.key} appears twice` });
      keys.add(v.key);
    });
  });
  const match = resolved.duplicateRule?.matchAttribute;
  if (match && !questions.some((q) => q.code === match && q.variable)) {
    problems.push({ path: '/duplicateRule/matchAttribute', message: `the duplicate rule matches on ${match}, which is not a question of ${pc.code}` });
  }
  return problems;
}

/** Checks a node's own part against the hierarchy schema: a problem code whole, other levels' defaults. */
export function shapeProblems(kind: 'problemCode' | 'settings', value: unknown): { path: string; message: string }[] {
  const { definitions } = compileValidators();
  const validate = definitions[kind];
  return validate(value) ? [] : schemaProblems('', validate.errors).map(({ path, message }) => ({ path: path === '/' ? '' : path, message }));
}

/** Reads and checks a city folder. Returns the hierarchy only when there is no problem at all. */
export function readCityFolder(dir: string): { hierarchy?: CityHierarchy; problems: HierarchyProblem[] } {
  const { city: validateCity, department: validateDepartment } = compileValidators();
  const problems: HierarchyProblem[] = [];
  const name = (path: string) => relative(process.cwd(), path) || basename(path);

  const cityPath = join(dir, 'city.json');
  const city = readJson(cityPath, name(cityPath), problems);
  if (city !== undefined && !validateCity(city)) problems.push(...schemaProblems(name(cityPath), validateCity.errors));

  let files: string[] = [];
  try {
    files = readdirSync(join(dir, 'departments')).filter((f) => f.endsWith('.json')).sort();
  } catch {
    problems.push({ file: name(join(dir, 'departments')), path: '/', message: 'missing: a city folder needs a departments/ folder of department files' });
  }
  if (files.length === 0 && problems.length === 0) problems.push({ file: name(join(dir, 'departments')), path: '/', message: 'holds no department file' });

  const departments: { file: string; data: DepartmentFile }[] = [];
  for (const f of files) {
    const path = join(dir, 'departments', f);
    const data = readJson(path, name(path), problems);
    if (data === undefined) continue;
    if (!validateDepartment(data)) problems.push(...schemaProblems(name(path), validateDepartment.errors));
    else departments.push({ file: name(path), data: data as DepartmentFile });
  }
  if (problems.length > 0) return { problems };

  problems.push(...semanticProblems(city as CityFile, departments));
  return problems.length > 0 ? { problems } : { hierarchy: { city: city as CityFile, departments }, problems };
}

function semanticProblems(city: CityFile, departments: { file: string; data: DepartmentFile }[]): HierarchyProblem[] {
  const problems: HierarchyProblem[] = [];
  const codes = new Map<string, string>();
  const providers = new Set<string>();
  const claim = (code: string, file: string, path: string) => {
    const first = codes.get(code);
    if (first) problems.push({ file, path: `${path}/code`, message: `code ${code} is already used at ${first}` });
    else codes.set(code, `${file}#${path}`);
  };
  for (const { file, data: d } of departments) {
    claim(d.code, file, '');
    d.providers.forEach((p, pi) => {
      providers.add(p.code);
      claim(p.code, file, `/providers/${pi}`);
      p.categories.forEach((c, ci) => {
        claim(c.code, file, `/providers/${pi}/categories/${ci}`);
        c.problemCodes.forEach((pc, i) => claim(pc.code, file, `/providers/${pi}/categories/${ci}/problemCodes/${i}`));
      });
    });
  }
  for (const { file, data: d } of departments) {
    d.providers.forEach((p, pi) =>
      p.categories.forEach((c, ci) =>
        c.problemCodes.forEach((pc, i) => {
          const at = `/providers/${pi}/categories/${ci}/problemCodes/${i}`;
          const chain: ChainLink[] = [
            { source: 'city', settings: city.defaults },
            { source: d.code, settings: d.defaults },
            { source: p.code, settings: p.defaults },
            { source: c.code, settings: c.defaults },
            { source: pc.code, settings: pc },
          ];
          const { value } = resolveSettings(chain, p.code);
          for (const problem of problemCodeProblems(pc, value, (code) => providers.has(code))) {
            problems.push({ file, path: `${at}${problem.path}`, message: problem.message });
          }
        }),
      ),
    );
  }
  return problems;
}
