// The sample city's knowledge base (db/seed/knowledge-base/*.json): one article per file, checked against the
// sample hierarchy in hierarchy-config/sample-city. Reads only files in the repository, never ../shared.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const kbDir = fileURLToPath(new URL('../../db/seed/knowledge-base/', import.meta.url));
const cityDir = fileURLToPath(new URL('../../hierarchy-config/sample-city/', import.meta.url));

const LANGUAGES = ['en', 'uk', 'pl', 'es', 'ru'] as const;
const AUDIENCES = ['public', 'desk'] as const;
const FIELDS = [
  'slug',
  'title',
  'summary',
  'body',
  'callScript',
  'phones',
  'links',
  'related',
  'categories',
  'problemCodes',
  'keywords',
  'language',
  'audience',
  'owner',
  'reviewDate',
];
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const URL_PREFIX = 'https://www.example.gov/';

interface Phone {
  label: string;
  number: string;
}
interface Link {
  label: string;
  url: string;
}
interface Article {
  slug: string;
  title: string;
  summary: string;
  body: string;
  callScript: string;
  phones: Phone[];
  links: Link[];
  related: string[];
  categories: string[];
  problemCodes: string[];
  keywords: string[];
  language: (typeof LANGUAGES)[number];
  audience: (typeof AUDIENCES)[number];
  owner: string;
  reviewDate: string;
}

// Just the parts of the hierarchy files this test needs.
interface Settings {
  public?: boolean;
}
interface ProblemCode extends Settings {
  code: string;
  status?: 'active' | 'retired';
}
interface Category {
  code: string;
  defaults?: Settings;
  problemCodes: ProblemCode[];
}
interface Provider {
  code: string;
  defaults?: Settings;
  categories: Category[];
}
interface Department {
  code: string;
  defaults?: Settings;
  providers: Provider[];
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

const city = readJson(`${cityDir}city.json`) as { defaults?: Settings };
const departments = readdirSync(`${cityDir}departments`)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => readJson(`${cityDir}departments/${f}`) as Department);

const departmentCodes = new Set(departments.map((d) => d.code));
const providerCodes = new Set(departments.flatMap((d) => d.providers.map((p) => p.code)));
const categoryCodes = new Set(departments.flatMap((d) => d.providers.flatMap((p) => p.categories.map((c) => c.code))));
/** problem code → its category, whether the public may see it (inherited like the loader does) and its status */
const problemCodes = new Map<string, { category: string; public: boolean; status: string }>();
for (const department of departments) {
  for (const provider of department.providers) {
    for (const category of provider.categories) {
      for (const code of category.problemCodes) {
        const chain: Settings[] = [code, category.defaults ?? {}, provider.defaults ?? {}, department.defaults ?? {}, city.defaults ?? {}];
        const isPublic = chain.find((s) => s.public !== undefined)?.public ?? true;
        problemCodes.set(code.code, { category: category.code, public: isPublic, status: code.status ?? 'active' });
      }
    }
  }
}

const allFiles = readdirSync(kbDir).sort();
const jsonFiles = allFiles.filter((f) => f.endsWith('.json'));
const texts = new Map(jsonFiles.map((f) => [f, readFileSync(`${kbDir}${f}`, 'utf8')]));
const articles = jsonFiles.map((f) => JSON.parse(texts.get(f) ?? '') as Article);
const bySlug = new Map(articles.map((a) => [a.slug, a]));

const nonEmptyString = (v: unknown): boolean => typeof v === 'string' && v.trim().length > 0;
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const today = new Date().toISOString().slice(0, 10);

t.test('the hierarchy was parsed', async (t) => {
  t.ok(departmentCodes.size >= 8, `${departmentCodes.size} departments`);
  t.ok(providerCodes.size >= 20, `${providerCodes.size} providers`);
  t.ok(categoryCodes.size >= 40, `${categoryCodes.size} categories`);
  t.ok(problemCodes.size >= 150, `${problemCodes.size} problem codes`);
});

t.test('the folder holds only article files and SOURCE.md', async (t) => {
  t.same(
    allFiles.filter((f) => !f.endsWith('.json')),
    ['SOURCE.md'],
  );
  t.match(readFileSync(`${kbDir}SOURCE.md`, 'utf8'), /Sample City/);
});

t.test('each file is one article with exactly the known fields, named after its slug, pretty-printed', async (t) => {
  jsonFiles.forEach((file, i) => {
    const article = articles[i] as Article;
    t.same(Object.keys(article).sort(), [...FIELDS].sort(), `${file}: field set`);
    t.match(article.slug, SLUG, `${file}: slug format`);
    t.equal(file, `${article.slug}.json`, `${file}: file name = slug`);
    const text = texts.get(file) ?? '';
    t.equal(text, `${JSON.stringify(JSON.parse(text), null, 2)}\n`, `${file}: 2-space JSON with a final newline`);
  });
});

t.test('there are enough articles, in the languages and for the audiences the desk needs', async (t) => {
  const count = (pred: (a: Article) => boolean) => articles.filter(pred).length;
  t.ok(articles.length >= 40, `${articles.length} articles`);
  t.ok(count((a) => a.language === 'uk') >= 3, 'at least 3 in Ukrainian');
  t.ok(count((a) => a.language === 'pl') >= 3, 'at least 3 in Polish');
  t.ok(count((a) => a.audience === 'desk') >= 1, 'some desk guidance for clerks');
  t.ok(count((a) => a.audience === 'public') >= 30, 'mostly public answers');
  t.ok(count((a) => a.reviewDate < today) >= 3, 'at least 3 articles are due for review');
});

t.test('text fields are filled in, the body is Markdown without HTML, the call script is plain short text', async (t) => {
  for (const a of articles) {
    for (const field of ['title', 'summary', 'body', 'callScript', 'owner'] as const) {
      t.ok(nonEmptyString(a[field]), `${a.slug}: ${field} is filled in`);
    }
    t.notOk(a.body.includes('<'), `${a.slug}: no HTML in body`);
    t.notOk(/[<*#`]/.test(a.callScript), `${a.slug}: call script is plain text`);
    t.notOk(a.callScript.includes('\n'), `${a.slug}: call script is one paragraph`);
    const sentences = a.callScript.split(/(?<=[.!?])\s+(?=[\p{Lu}¿¡"„])/u).length;
    t.ok(sentences >= 2 && sentences <= 5, `${a.slug}: call script has 2-5 sentences (${sentences})`);
    t.ok(LANGUAGES.includes(a.language), `${a.slug}: language ${a.language}`);
    t.ok(AUDIENCES.includes(a.audience), `${a.slug}: audience ${a.audience}`);
    t.ok(isStringArray(a.keywords) && a.keywords.length > 0 && a.keywords.every(nonEmptyString), `${a.slug}: keywords`);
    t.equal(new Set(a.keywords.map((k) => k.toLowerCase())).size, a.keywords.length, `${a.slug}: no repeated keywords`);
  }
});

t.test('the text is written in the article language', async (t) => {
  const scripts: Record<Article['language'], RegExp> = {
    en: /^[\p{Script=Latin}\p{N}\p{P}\p{S}\s]*$/u,
    uk: /[іїєґ]/iu,
    pl: /[ąćęłńóśźż]/iu,
    es: /[áéíóúñ¿¡]/iu,
    ru: /[ыэъё]/iu,
  };
  for (const a of articles) {
    const text = `${a.title}\n${a.body}\n${a.callScript}`;
    t.match(text, scripts[a.language], `${a.slug}: looks like ${a.language}`);
    if (a.language === 'uk' || a.language === 'ru') t.match(a.body, /\p{Script=Cyrillic}{4}/u, `${a.slug}: Cyrillic`);
    if (a.language === 'ru') t.notMatch(text, /[іїєґ]/iu, `${a.slug}: Russian, not Ukrainian`);
    if (a.language === 'uk') t.notMatch(text, /[ыэъё]/iu, `${a.slug}: Ukrainian, not Russian`);
  }
});

t.test('review dates are real ISO dates', async (t) => {
  for (const a of articles) {
    t.match(a.reviewDate, /^\d{4}-\d{2}-\d{2}$/, `${a.slug}: reviewDate format`);
    const parsed = new Date(`${a.reviewDate}T00:00:00Z`);
    t.equal(Number.isNaN(parsed.getTime()) ? '' : parsed.toISOString().slice(0, 10), a.reviewDate, `${a.slug}: reviewDate is a real date`);
  }
});

t.test('phones and links are well formed; links only point to the example domain', async (t) => {
  for (const a of articles) {
    t.ok(Array.isArray(a.phones), `${a.slug}: phones is a list`);
    for (const phone of a.phones) {
      t.same(Object.keys(phone).sort(), ['label', 'number'], `${a.slug}: phone fields`);
      t.ok(nonEmptyString(phone.label), `${a.slug}: phone label`);
      t.match(phone.number, /^(\d{3}|\d{3}-\d{3}-\d{4})$/, `${a.slug}: phone number ${phone.number}`);
    }
    t.ok(Array.isArray(a.links), `${a.slug}: links is a list`);
    for (const link of a.links) {
      t.same(Object.keys(link).sort(), ['label', 'url'], `${a.slug}: link fields`);
      t.ok(nonEmptyString(link.label), `${a.slug}: link label`);
      t.ok(link.url.startsWith(URL_PREFIX), `${a.slug}: ${link.url} is on ${URL_PREFIX}`);
      t.doesNotThrow(() => new URL(link.url), `${a.slug}: ${link.url} parses`);
    }
  }
});

t.test('related articles exist, are other articles, and public answers do not point to desk guidance', async (t) => {
  for (const a of articles) {
    t.ok(isStringArray(a.related), `${a.slug}: related is a list of slugs`);
    t.ok(a.related.length >= 1 && a.related.length <= 4, `${a.slug}: 1-4 related (${a.related.length})`);
    t.equal(new Set(a.related).size, a.related.length, `${a.slug}: no repeated related`);
    for (const slug of a.related) {
      t.not(slug, a.slug, `${a.slug}: does not relate to itself`);
      const other = bySlug.get(slug);
      t.ok(other, `${a.slug}: related ${slug} exists`);
      if (other && a.audience === 'public') t.equal(other.audience, 'public', `${a.slug}: related ${slug} is public`);
    }
  }
});

t.test('a translation <slug>-<language> and its English article point to each other', async (t) => {
  const translations = articles.filter((a) => a.language !== 'en' && a.slug.endsWith(`-${a.language}`));
  t.ok(translations.length >= 6, `${translations.length} translations`);
  for (const a of translations) {
    const base = bySlug.get(a.slug.slice(0, -(a.language.length + 1)));
    t.ok(base, `${a.slug}: the English article exists`);
    if (!base) continue;
    t.equal(base.language, 'en', `${a.slug}: ${base.slug} is in English`);
    t.equal(base.audience, a.audience, `${a.slug}: same audience as ${base.slug}`);
    t.ok(a.related.includes(base.slug), `${a.slug} → ${base.slug}`);
    t.ok(base.related.includes(a.slug), `${base.slug} → ${a.slug}`);
    t.same(a.problemCodes, base.problemCodes, `${a.slug}: filed under the same problem codes`);
    t.same(a.categories, base.categories, `${a.slug}: filed under the same categories`);
  }
});

t.test('categories and problem codes exist in the sample hierarchy, at the right level', async (t) => {
  for (const a of articles) {
    t.ok(isStringArray(a.categories), `${a.slug}: categories is a list`);
    t.ok(isStringArray(a.problemCodes), `${a.slug}: problemCodes is a list`);
    t.equal(new Set(a.categories).size, a.categories.length, `${a.slug}: no repeated categories`);
    t.equal(new Set(a.problemCodes).size, a.problemCodes.length, `${a.slug}: no repeated problem codes`);
    for (const code of a.categories) {
      t.ok(categoryCodes.has(code), `${a.slug}: ${code} is a category`);
    }
    for (const code of a.problemCodes) {
      const found = problemCodes.get(code);
      t.ok(found, `${a.slug}: ${code} is a problem code`);
      if (!found) continue;
      t.equal(found.status, 'active', `${a.slug}: ${code} is not retired`);
      t.ok(a.categories.includes(found.category), `${a.slug}: filed under ${code}'s category ${found.category} too`);
      if (a.audience === 'public') t.ok(found.public, `${a.slug}: ${code} is a public problem code`);
    }
  }
});
