// A city-sized hierarchy for the benchmarks (problem-code search, the city-scale run): the sample city
// copied once per district, with distinct codes and names but the same keywords, synonyms and questions —
// many near-duplicates, which is the hard case for the search — trimmed to the number of codes asked for,
// and checked by readCityFolder exactly as a real city's files are.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCityFolder, type CityHierarchy, type DepartmentFile, type Settings } from '../../../server/hierarchy/files.ts';
import { neighbourhoods } from '../lib.ts';

/** The settings with a `standardWorkOrder.provider` pointing at the same district's provider. */
function remapSettings<T extends Settings | undefined>(settings: T, suffix: string): T {
  if (!settings) return settings;
  const copy = structuredClone(settings);
  if (copy.standardWorkOrder?.provider) copy.standardWorkOrder.provider += suffix;
  return copy;
}

function districtCopy(departments: DepartmentFile[], district: number): DepartmentFile[] {
  const suffix = `_D${String(district).padStart(2, '0')}`;
  const hood = neighbourhoods[(district - 1) % neighbourhoods.length]!;
  return departments.map((d) => ({
    ...d,
    code: d.code + suffix,
    name: `${d.name} — District ${district} (${hood})`,
    description: `${d.description ?? d.name} Serves District ${district} (${hood}).`,
    defaults: remapSettings(d.defaults, suffix),
    providers: d.providers.map((p) => ({
      ...p,
      code: p.code + suffix,
      name: `${p.name} — ${hood}`,
      defaults: remapSettings(p.defaults, suffix),
      categories: p.categories.map((c) => ({
        ...c,
        code: c.code + suffix,
        name: `${c.name} — ${hood}`,
        defaults: remapSettings(c.defaults, suffix),
        problemCodes: c.problemCodes.map((pc) => ({
          ...remapSettings(pc, suffix),
          code: pc.code + suffix,
          name: `${pc.name} — District ${district}`,
          description: `${pc.description} (District ${district}, ${hood})`,
        })),
      })),
    })),
  }));
}

export const countCodes = (departments: DepartmentFile[]) =>
  departments.reduce((n, d) => n + d.providers.reduce((m, p) => m + p.categories.reduce((k, c) => k + c.problemCodes.length, 0), 0), 0);

/** Drops problem codes from the end of `departments` (and levels left empty) until `excess` are gone. */
function trimFromEnd(departments: DepartmentFile[], excess: number): DepartmentFile[] {
  const out = structuredClone(departments);
  let left = excess;
  for (let di = out.length - 1; di >= 0 && left > 0; di--) {
    const d = out[di]!;
    for (let pi = d.providers.length - 1; pi >= 0 && left > 0; pi--) {
      const p = d.providers[pi]!;
      for (let ci = p.categories.length - 1; ci >= 0 && left > 0; ci--) {
        const c = p.categories[ci]!;
        const drop = Math.min(left, c.problemCodes.length);
        c.problemCodes.splice(c.problemCodes.length - drop, drop);
        left -= drop;
        if (c.problemCodes.length === 0) p.categories.splice(ci, 1);
      }
      if (p.categories.length === 0) d.providers.splice(pi, 1);
    }
    if (d.providers.length === 0) out.splice(di, 1);
  }
  // A code whose work goes to a provider that was trimmed away sends it to its own provider instead.
  const providers = new Set(out.flatMap((d) => d.providers.map((p) => p.code)));
  const fix = (s: Settings | undefined) => {
    if (s?.standardWorkOrder?.provider && !providers.has(s.standardWorkOrder.provider)) delete s.standardWorkOrder.provider;
  };
  for (const d of out) {
    fix(d.defaults);
    for (const p of d.providers) {
      fix(p.defaults);
      for (const c of p.categories) {
        fix(c.defaults);
        c.problemCodes.forEach(fix);
      }
    }
  }
  return out;
}

export function generateHierarchy(sample: CityHierarchy, target: number): { departments: DepartmentFile[]; copies: number } {
  const perCopy = countCodes(sample.departments.map((d) => d.data));
  const copies = Math.ceil(target / perCopy);
  const departments: DepartmentFile[] = [];
  for (let district = 1; district <= copies; district++) {
    let copy = districtCopy(
      sample.departments.map((d) => d.data),
      district,
    );
    const excess = countCodes(departments) + countCodes(copy) - target;
    if (excess > 0) copy = trimFromEnd(copy, excess);
    departments.push(...copy);
  }
  return { departments, copies };
}

/**
 * Writes the generated city to a folder and reads it back with readCityFolder, so the large hierarchy
 * passes exactly the checks a real city's files pass (schemas, unique codes, providers, questions).
 */
export function checkedHierarchy(sample: CityHierarchy, departments: DepartmentFile[], dir: string): CityHierarchy {
  mkdirSync(join(dir, 'departments'), { recursive: true });
  writeFileSync(join(dir, 'city.json'), JSON.stringify({ ...sample.city, name: `${sample.city.name} (benchmark, ${countCodes(departments)} problem codes)` }, null, 2));
  departments.forEach((d, i) => writeFileSync(join(dir, 'departments', `${String(i).padStart(4, '0')}-${d.code.toLowerCase()}.json`), JSON.stringify(d)));
  const { hierarchy, problems } = readCityFolder(dir);
  if (!hierarchy) {
    for (const p of problems.slice(0, 20)) console.error(`${p.file}: ${p.path}: ${p.message}`);
    throw new Error(`the generated hierarchy has ${problems.length} problem(s)`);
  }
  return hierarchy;
}
