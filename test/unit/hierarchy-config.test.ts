// The hierarchy as data: hierarchy-config/schema.json (one department file), city.schema.json (city.json)
// and the sample city built from real 311 catalogues. Reads only hierarchy-config/, never ../shared
// (the product ships without the shared data folder).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';

const configDir = fileURLToPath(new URL('../../hierarchy-config/', import.meta.url));
const cityDir = `${configDir}sample-city/`;

type Priority = 'low' | 'normal' | 'high' | 'urgent';
interface WorkOrderDefaults {
  workType?: string;
  priority?: Priority;
  tasks?: string[];
}
interface Turnaround {
  temporaryHours?: number;
  permanentHours: number;
}
interface DuplicateRule {
  radiusMeters: number;
  windowDays: number;
  scope: 'code' | 'category';
  matchAttribute?: string | null;
}
interface Settings {
  standardWorkOrder?: WorkOrderDefaults;
  turnaround?: Turnaround;
  duplicateRule?: DuplicateRule | null;
  needsLocation?: boolean;
  public?: boolean;
}
interface Value {
  key: string;
  name: string;
}
interface Question {
  code: string;
  variable: boolean;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  order: number;
  description: string;
  datatypeDescription?: string | null;
  values?: Value[];
}
interface ProblemCode extends Omit<Settings, 'standardWorkOrder'> {
  code: string;
  name: string;
  description: string;
  keywords?: string[];
  synonyms?: string[];
  questions?: Question[];
  standardWorkOrder?: WorkOrderDefaults & { provider?: string };
  status?: 'active' | 'retired';
}
interface Category {
  code: string;
  name: string;
  defaults?: Settings;
  problemCodes: ProblemCode[];
}
interface Provider {
  code: string;
  name: string;
  defaults?: Settings;
  categories: Category[];
}
interface Department {
  code: string;
  name: string;
  defaults?: Settings;
  providers: Provider[];
}
interface City {
  name: string;
  timezone: string;
  source?: string;
  defaults?: Settings;
}

/** A problem code with its ancestors, in the order settings are inherited from (nearest first). */
interface Placed {
  code: ProblemCode;
  category: Category;
  provider: Provider;
  department: Department;
}

interface Resolved {
  workType?: string;
  priority?: Priority;
  tasks?: string[];
  provider: string;
  turnaround?: Turnaround;
  duplicateRule?: DuplicateRule | null;
  needsLocation?: boolean;
  public?: boolean;
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

function compileSchemas(): { department: ValidateFunction; city: ValidateFunction } {
  const ajv = new Ajv({ allErrors: true, strict: true });
  const departmentSchema = readJson(`${configDir}schema.json`) as AnySchemaObject;
  ajv.addSchema(departmentSchema);
  const department = ajv.getSchema(departmentSchema.$id as string);
  if (!department) throw new Error('schema.json did not compile');
  const city = ajv.compile(readJson(`${configDir}city.schema.json`) as AnySchemaObject);
  return { department, city };
}

const schemas = compileSchemas();
const departmentFiles = readdirSync(`${cityDir}departments`).filter((f) => f.endsWith('.json')).sort();
const city = readJson(`${cityDir}city.json`) as City;
const departments = departmentFiles.map((f) => readJson(`${cityDir}departments/${f}`) as Department);
const placed: Placed[] = departments.flatMap((department) =>
  department.providers.flatMap((provider) =>
    provider.categories.flatMap((category) => category.problemCodes.map((code) => ({ code, category, provider, department }))),
  ),
);
const byCode = new Map(placed.map((p) => [p.code.code, p]));

/** Inheritance as the loader must do it: problem code > category > provider > department > city.
 *  standardWorkOrder is merged field by field; turnaround and duplicateRule are taken whole (null is a value:
 *  no duplicate detection); the provider defaults to the one the code is filed under. */
function resolve({ code, category, provider, department }: Placed): Resolved {
  const chain: Settings[] = [code, category.defaults ?? {}, provider.defaults ?? {}, department.defaults ?? {}, city.defaults ?? {}];
  const nearest = <K extends keyof Settings>(key: K): Settings[K] => chain.find((s) => s[key] !== undefined)?.[key];
  const nearestWorkOrder = <K extends keyof WorkOrderDefaults>(key: K): WorkOrderDefaults[K] =>
    chain.find((s) => s.standardWorkOrder?.[key] !== undefined)?.standardWorkOrder?.[key];
  return {
    workType: nearestWorkOrder('workType'),
    priority: nearestWorkOrder('priority'),
    tasks: nearestWorkOrder('tasks'),
    provider: code.standardWorkOrder?.provider ?? provider.code,
    turnaround: nearest('turnaround'),
    duplicateRule: nearest('duplicateRule'),
    needsLocation: nearest('needsLocation'),
    public: nearest('public'),
  };
}

t.test('both schemas compile with ajv in strict mode', async (t) => {
  t.type(schemas.department, 'function');
  t.type(schemas.city, 'function');
});

t.test('city.json and every department file of the sample city are valid', async (t) => {
  t.ok(schemas.city(city), `city.json: ${JSON.stringify(schemas.city.errors)}`);
  t.ok(departmentFiles.length >= 8, 'there are department files');
  departments.forEach((department, i) => {
    t.ok(schemas.department(department), `${departmentFiles[i]}: ${JSON.stringify(schemas.department.errors)}`);
  });
});

t.test('each department file is named after its code and pretty-printed with 2 spaces', async (t) => {
  departments.forEach((department, i) => {
    t.equal(departmentFiles[i], `${department.code.toLowerCase()}.json`);
  });
  for (const path of [`${cityDir}city.json`, ...departmentFiles.map((f) => `${cityDir}departments/${f}`)]) {
    const text = readFileSync(path, 'utf8');
    t.equal(text, `${JSON.stringify(JSON.parse(text), null, 2)}\n`, path);
  }
});

t.test('the schema rejects typos, list questions without values, values on other types and required notices', async (t) => {
  const question = (extra: Record<string, unknown>) => ({ code: 'Q1', variable: true, required: false, order: 1, description: 'Where?', ...extra });
  const file = (problemCode: Record<string, unknown>) => ({
    code: 'TST',
    name: 'Test',
    providers: [{ code: 'TST-P', name: 'P', categories: [{ code: 'TST-P-C', name: 'C', problemCodes: [{ code: 'X1', name: 'X', description: 'x', ...problemCode }] }] }],
  });
  t.ok(schemas.department(file({ questions: [question({ datatype: 'singlevaluelist', values: [{ key: 'A', name: 'A' }] })] })), 'a good file passes');
  t.ok(schemas.department(file({ duplicateRule: null })), 'duplicateRule null means no duplicate detection');
  const rejected: Array<[string, Record<string, unknown>]> = [
    ['unknown property', { keyword: ['x'] }],
    ['list without values', { questions: [question({ datatype: 'multivaluelist' })] }],
    ['list with empty values', { questions: [question({ datatype: 'singlevaluelist', values: [] })] }],
    ['values on a string question', { questions: [question({ datatype: 'string', values: [{ key: 'A', name: 'A' }] })] }],
    ['required read-only notice', { questions: [question({ datatype: 'text', variable: false, required: true })] }],
    ['unknown datatype', { questions: [question({ datatype: 'boolean' })] }],
    ['bad priority', { standardWorkOrder: { priority: 'asap' } }],
    ['bad scope', { duplicateRule: { radiusMeters: 10, windowDays: 1, scope: 'city' } }],
    ['lowercase code', { code: 'pothole' }],
    ['unknown status', { status: 'deleted' }],
  ];
  for (const [what, problemCode] of rejected) t.notOk(schemas.department(file(problemCode)), what);
  t.notOk(schemas.department({ ...file({}), defaults: { standardWorkOrder: { provider: 'TST-P' } } }), 'defaults cannot name a provider');
  t.notOk(schemas.city({ name: 'X', timezone: 'America/New_York', departments: [] }), 'city.json rejects unknown properties');
});

t.test('the sample city is big enough: at least 8 departments, 20 providers, 40 categories, 150 problem codes', async (t) => {
  const providers = departments.flatMap((d) => d.providers);
  const categories = providers.flatMap((p) => p.categories);
  t.ok(departments.length >= 8, `${departments.length} departments`);
  t.ok(providers.length >= 20, `${providers.length} providers`);
  t.ok(categories.length >= 40, `${categories.length} categories`);
  t.ok(placed.length >= 150, `${placed.length} problem codes`);
  const withQuestions = placed.filter((p) => p.code.questions?.some((q) => q.variable));
  t.ok(withQuestions.length >= placed.length / 2, `${withQuestions.length} codes ask questions`);
});

t.test('every code is unique across all levels of the city, and child codes start with their parent code', async (t) => {
  const all = departments.flatMap((d) => [
    d.code,
    ...d.providers.flatMap((p) => [p.code, ...p.categories.flatMap((c) => [c.code, ...c.problemCodes.map((pc) => pc.code)])]),
  ]);
  t.same(all.filter((code, i) => all.indexOf(code) !== i), [], 'no code is used twice');
  for (const d of departments) {
    for (const p of d.providers) {
      t.ok(p.code.startsWith(`${d.code}-`), p.code);
      for (const c of p.categories) t.ok(c.code.startsWith(`${p.code}-`), c.code);
    }
  }
});

t.test('questions: list questions have values, codes and orders are unique within a problem code', async (t) => {
  const problems: string[] = [];
  for (const { code } of placed) {
    const questions = code.questions ?? [];
    const codes = questions.map((q) => q.code);
    const orders = questions.map((q) => q.order);
    if (new Set(codes).size !== codes.length) problems.push(`${code.code}: question codes repeat`);
    if (new Set(orders).size !== orders.length) problems.push(`${code.code}: question orders repeat`);
    for (const q of questions) {
      const keys = (q.values ?? []).map((v) => v.key);
      if (q.datatype === 'singlevaluelist' || q.datatype === 'multivaluelist') {
        if (keys.length === 0) problems.push(`${code.code}.${q.code}: list without values`);
        if (new Set(keys).size !== keys.length) problems.push(`${code.code}.${q.code}: value keys repeat`);
      } else if (keys.length > 0) {
        problems.push(`${code.code}.${q.code}: values on a ${q.datatype} question`);
      }
      if (!q.variable && q.required) problems.push(`${code.code}.${q.code}: a read-only notice is required`);
    }
  }
  t.same(problems, []);
});

t.test('every problem code resolves to a complete standard work order whose provider exists', async (t) => {
  const providers = new Set(departments.flatMap((d) => d.providers.map((p) => p.code)));
  const problems: string[] = [];
  for (const p of placed) {
    const r = resolve(p);
    const name = p.code.code;
    if (!providers.has(r.provider)) problems.push(`${name}: provider ${r.provider} does not exist`);
    if (!r.workType) problems.push(`${name}: no workType`);
    if (!r.priority) problems.push(`${name}: no priority`);
    if (!r.tasks?.length) problems.push(`${name}: no tasks`);
    if (!r.turnaround) problems.push(`${name}: no turnaround`);
    else if ((r.turnaround.temporaryHours ?? 0) > r.turnaround.permanentHours) problems.push(`${name}: temporary fix after the permanent one`);
    if (r.duplicateRule === undefined) problems.push(`${name}: no duplicate rule (null would mean none)`);
    if (typeof r.needsLocation !== 'boolean') problems.push(`${name}: needsLocation unresolved`);
    if (typeof r.public !== 'boolean') problems.push(`${name}: public unresolved`);
    const match = r.duplicateRule?.matchAttribute;
    if (match && !p.code.questions?.some((q) => q.code === match)) problems.push(`${name}: does not ask the matched attribute ${match}`);
    if (r.needsLocation === false && r.duplicateRule && !match) problems.push(`${name}: no location, yet duplicates are found by radius`);
    if (!p.code.keywords?.length) problems.push(`${name}: no keywords`);
  }
  t.same(problems, []);
  t.equal(resolve(placed[0] as Placed).provider, (placed[0] as Placed).provider.code, 'the provider defaults to the one the code is filed under');
});

t.test('inheritance: most codes inherit their settings, and the sample shows every kind of override', async (t) => {
  const overriding = placed.filter((p) => p.code.turnaround || p.code.duplicateRule !== undefined || p.code.needsLocation !== undefined);
  t.ok(overriding.length < placed.length, 'not every code repeats its settings');
  const resolved = placed.map((p) => ({ code: p.code.code, ...resolve(p) }));
  t.ok(resolved.some((r) => r.public === false), 'some codes are internal only');
  t.ok(resolved.some((r) => r.needsLocation === false), 'some codes need no location');
  t.ok(resolved.some((r) => r.duplicateRule === null), 'some codes never deduplicate');
  t.ok(resolved.some((r) => r.duplicateRule?.scope === 'category'), 'some rules cover the whole category');
  t.ok(placed.some((p) => p.code.standardWorkOrder?.provider && p.code.standardWorkOrder.provider !== p.provider.code), 'some work goes to another provider');
});

t.test('the types Boston lacks in its 2015 data exist', async (t) => {
  const names = placed.map((p) => [p.code.name, ...(p.code.synonyms ?? [])].map((s) => s.toLowerCase()));
  for (const missing of ['Parking Enforcement', 'Request for Pothole Repair', 'Request for Snow Plowing', 'Requests for Street Cleaning', 'Schedule a Bulk Item Pickup']) {
    t.ok(names.some((n) => n.includes(missing.toLowerCase())), missing);
  }
});

t.test('the pothole code S0301 carries exactly the 6 attributes of the real DC service definition', async (t) => {
  const s0301 = byCode.get('S0301');
  if (!s0301) throw new Error('S0301 missing');
  const attributes = (s0301.code.questions ?? []).map((q) => ({
    code: q.code,
    variable: q.variable,
    datatype: q.datatype,
    required: q.required,
    order: q.order,
    datatypeDescription: q.datatypeDescription,
    description: q.description,
    values: (q.values ?? []).map((v) => `${v.key}=${v.name}`),
  }));
  // Transcribed from dc-service-definition-S0301 (Washington DC Open311), in DC's own order (not sorted).
  t.same(attributes, [
    {
      code: 'DSITR001', variable: false, datatype: 'text', required: false, order: 9, datatypeDescription: 'Character',
      description: "DDOT's standard is to repair potholes within 3 busniness days (72 hours). Call the Mayor's Call Center at 311if the has not been repaired by the specified time of completion. Reference your service request number",
      values: [],
    },
    {
      code: 'ISITHAZA', variable: true, datatype: 'singlevaluelist', required: false, order: 3, datatypeDescription: 'Optional List of Values',
      description: 'Is it hazardous?', values: ['NO001=No', 'UNKNOWN=Unknown', 'YES001=Yes'],
    },
    {
      code: 'WHISPOLO', variable: true, datatype: 'singlevaluelist', required: true, order: 1, datatypeDescription: 'Optional List of Values',
      description: 'Where is the pothole located?', values: ['ALLEY002=Alley', 'STREE001=Street'],
    },
    { code: 'NOTE001', variable: false, datatype: 'text', required: false, order: 8, datatypeDescription: 'Character', description: '*Note:', values: [] },
    {
      code: 'WATHPRDA', variable: true, datatype: 'singlevaluelist', required: false, order: 4, datatypeDescription: 'Boolean Type Yes/No',
      description: 'Was there property damage?', values: ['FALSE=No', 'TRUE=Yes'],
    },
    {
      code: 'WHMAISAL', variable: true, datatype: 'singlevaluelist', required: false, order: 2, datatypeDescription: 'Optional List of Values',
      description: 'If possible, please identify the type of material is it?',
      values: ['ASPHALT=Asphalt', 'BRICK=Brick', 'COBBLEST=Cobblestone', 'CONCRETE=Concrete', 'OTHER015=Other', 'UNKNO001=Unknown'],
    },
  ]);
  const r = resolve(s0301);
  t.equal(r.provider, 'PWD-HWY');
  t.same(r.turnaround, { temporaryHours: 24, permanentHours: 72 });
  t.same(r.duplicateRule, { radiusMeters: 30, windowDays: 30, scope: 'code', matchAttribute: null });
});

t.test('street-light repairs ask for the pole number and match duplicates on it', async (t) => {
  const lights = placed.filter((p) => p.category.code === 'PWD-STLT-REPAIR');
  t.ok(lights.length > 0);
  for (const p of lights) {
    const pole = p.code.questions?.find((q) => q.code === 'POLE_NUMBER');
    t.equal(pole?.datatype, 'string', `${p.code.code} asks POLE_NUMBER`);
  }
  const outage = byCode.get('STREET_LIGHT_OUT');
  if (!outage) throw new Error('STREET_LIGHT_OUT missing');
  t.equal(resolve(outage).duplicateRule?.matchAttribute, 'POLE_NUMBER');
});

t.test('duplicate rules follow the kind of problem', async (t) => {
  const rule = (code: string) => {
    const p = byCode.get(code);
    if (!p) throw new Error(`${code} missing`);
    return resolve(p).duplicateRule;
  };
  t.match(rule('MISSED_TRASH'), { radiusMeters: 20, windowDays: 3, scope: 'code' });
  t.match(rule('GRAFFITI_REMOVAL'), { radiusMeters: 10, windowDays: 60 }); // Boston 2015: graffiti duplicates are 0 m apart even at p90
  t.match(rule('NOISE_RESIDENTIAL'), { radiusMeters: 100, windowDays: 1 });
  t.match(rule('ABANDONED_VEHICLE'), { scope: 'category' });
  t.equal(rule('TICKET_APPEAL'), null);
});
