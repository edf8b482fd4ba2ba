// Generated knowledge-base articles for the benchmarks (knowledge-base search, the city-scale run):
// written from the sample knowledge base (db/seed/knowledge-base/*.json, when there is one) and the sample
// city's hierarchy (each problem code's name, description, keywords, synonyms and questions, its
// category's and department's descriptions), varied by neighbourhood and title template, with bodies of
// 150–500 words assembled from those sentences and a desk's stock phrases; about a tenth are in
// Ukrainian, Polish, Spanish or Russian. Loaded the fast way: rows inserted straight into kb_articles in
// one transaction, each indexed with reindexArticle, the function the service uses.
import type { Db } from '../../../db/connection.ts';
import { hierarchyNodes } from '../../../db/schema/hierarchy.ts';
import { kbArticleNodes, kbArticles } from '../../../db/schema/kb.ts';
import type { CityHierarchy } from '../../../server/hierarchy/files.ts';
import { reindexArticle } from '../../../server/kb/search.ts';
import type { ArticleInput } from '../../../server/kb/service.ts';
import { neighbourhoods, type Rng } from '../lib.ts';

export const wordCount = (text: string) => text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
/** Without accents and with the letters fold() folds (ł → l, ё → е): what a clerk types on a plain keyboard. */
export const plain = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[łŁ]/g, (c) => (c === 'ł' ? 'l' : 'L'))
    .normalize('NFC');

// ---------------------------------------------------------------------------------------------------
// 1. The articles

export type Language = ArticleInput['language'];
export const otherLanguages = ['uk', 'pl', 'es', 'ru'] as const;

/** What articles are written about: a service, in one language, with the sentences to write them from. */
export interface Topic {
  language: Language;
  name: string;
  /** Name of the department (English topics), for titles like "Public Works Department: Pothole repair". */
  department?: string;
  category?: string;
  summary: string;
  sentences: string[];
  keywords: string[];
  categories: string[];
  problemCodes: string[];
  /** Articles of the sample knowledge base keep their own title and only get a neighbourhood added. */
  fromSample: boolean;
}

// A desk's stock phrases; "{hood}" is replaced by the article's neighbourhood.
const stockSentences: Record<Language, string[]> = {
  en: [
    'Ask the caller for the exact address, or the nearest intersection if there is no house number.',
    'Read the service request number back to the caller and explain how to follow it online or in the 311 app.',
    'If anyone is in danger, transfer the call to 911 at once; this desk does not dispatch emergency services.',
    'Check for an open request at the same place before creating a new one, and add the caller to it instead of making a duplicate.',
    'Callers can also report this through the 311 app with a photo, which helps the crew find the spot.',
    'The crew closes the request when the work is done, and the caller is notified by text or email if they asked for it.',
    'If the caller wants to stay anonymous, leave the contact fields empty; the request is handled the same way.',
    'Do not promise a date: give the usual time and explain that weather and emergencies come first.',
    'Note anything that makes the location hard to find, such as a back alley, a parking lot or a shared driveway.',
    'Requests made after hours are queued and reviewed by the department the next business day.',
    'When a caller reports the same problem again, read the earlier request and its notes before opening a new one.',
    'For a request that is already closed, read the closing note to the caller, and reopen it only if the work was not done.',
    'Interpreters are available in more than 20 languages; conference one in before you take the details.',
    'Landlords and tenants get the same service; ask who owns the property only if the form asks for it.',
    'Photos sent with a request are kept with it and are not published on the open data portal.',
    'If the caller is unsure which service they need, describe the problem in their own words in the description.',
    'Crews in {hood} work from the district yard and usually start at 7 a.m.',
    'Residents of {hood} can also raise the question with the neighbourhood coordinator at the monthly community meeting.',
    'The open data portal publishes requests, without names, the day after they are opened.',
    'Businesses report through the same desk; take the business name as well as the address.',
    'Repeated requests from one address are flagged for a supervisor to review.',
    'When someone calls for a neighbour, take the neighbour’s address and the caller’s own phone number.',
    'Say in one sentence what happens next, then ask whether there is anything else you can help with.',
    'A problem that is not the city’s responsibility is referred, and the caller is told whom to contact.',
    'During storms the queue is triaged: hazards to people first, then blocked streets, then everything else.',
    'In {hood} the work is often scheduled together with other requests on the same street.',
  ],
  uk: [
    'Назвіть мешканцю номер звернення і поясніть, як перевірити його статус онлайн.',
    'Якщо є загроза життю, негайно переведіть дзвінок на 911.',
    'Уточніть точну адресу або найближче перехрестя.',
    'Звернення можна подати також через мобільний застосунок 311.',
    'Мешканець отримає повідомлення, коли роботу буде виконано.',
    'У районі {hood} працює окрема бригада.',
    'Перекладач доступний безкоштовно, якщо мешканцю так зручніше.',
    'Не обіцяйте точної дати: погода та аварії мають пріоритет.',
  ],
  pl: [
    'Podaj mieszkańcowi numer zgłoszenia i wyjaśnij, jak sprawdzić jego status w internecie.',
    'Jeśli zagrożone jest życie, natychmiast przełącz rozmowę na 911.',
    'Ustal dokładny adres lub najbliższe skrzyżowanie.',
    'Zgłoszenie można też złożyć w aplikacji 311.',
    'Mieszkaniec dostanie powiadomienie, gdy praca zostanie wykonana.',
    'Dzielnica {hood} ma własną ekipę.',
    'Osobom, które przyjechały z Łodzi, Krakowa czy Gdańska, udzielamy informacji po polsku.',
    'Nie obiecuj konkretnej daty: pogoda i awarie mają pierwszeństwo.',
  ],
  es: [
    'Dé al residente el número de solicitud y explique cómo consultar su estado en línea.',
    'Si hay peligro para la vida, transfiera la llamada al 911 de inmediato.',
    'Confirme la dirección exacta o la intersección más cercana.',
    'La solicitud también se puede presentar en la aplicación 311.',
    'El residente recibirá un aviso cuando el trabajo esté terminado.',
    'El barrio de {hood} tiene su propia cuadrilla.',
    'Hay intérpretes disponibles sin costo si el residente lo prefiere.',
    'No prometa una fecha: el clima y las emergencias tienen prioridad.',
  ],
  ru: [
    'Назовите жителю номер обращения и объясните, как проверить его статус онлайн.',
    'Если есть угроза жизни, немедленно переведите звонок на 911.',
    'Уточните точный адрес или ближайший перекрёсток.',
    'Обращение можно подать и через мобильное приложение 311.',
    'Житель получит уведомление, когда работа будет выполнена.',
    'В районе {hood} работает отдельная бригада.',
    'Переводчик доступен бесплатно, если жителю так удобнее.',
    'Не обещайте точную дату: погода и аварии в приоритете.',
  ],
};

// A few services written up in the other languages, used when the sample knowledge base has few or none.
type Phrase = { code: string; name: string; keywords: string[]; sentences: string[] };
const phrasebook: Record<Exclude<Language, 'en'>, Phrase[]> = {
  uk: [
    { code: 'MISSED_TRASH', name: 'Вивезення сміття: пропущений вивіз', keywords: ['сміття', 'вивіз сміття', 'контейнер'], sentences: ['Сміття вивозять раз на тиждень у визначений для вулиці день.', 'Якщо сміття не забрали, попросіть мешканця залишити контейнер біля бордюру до вечора.', 'Мішки та контейнери треба виставити до 7:00 ранку в день вивозу.', 'Бригада повертається протягом одного робочого дня після звернення.'] },
    { code: 'S0301', name: 'Яма на дорозі: як повідомити', keywords: ['яма', 'вибоїна', 'дорога', 'асфальт'], sentences: ['Яму на дорозі зазвичай ремонтують протягом трьох робочих днів.', 'Запитайте, наскільки велика вибоїна і чи вона на смузі руху.', 'Якщо яма небезпечна для транспорту, позначте звернення як термінове.', 'Ремонт асфальту залежить від погоди.'] },
    { code: 'STREET_LIGHT_OUT', name: 'Не світить вуличний ліхтар', keywords: ['ліхтар', 'освітлення', 'світло'], sentences: ['Попросіть номер стовпа: він написаний на табличці на висоті очей.', 'Якщо не світить кілька ліхтарів поспіль, це може бути пошкодження кабелю.', 'Вуличне освітлення ремонтують протягом п’яти робочих днів.'] },
    { code: 'SNOW_PLOWING', name: 'Прибирання снігу на вулицях', keywords: ['сніг', 'снігоприбирання', 'ожеледиця'], sentences: ['Під час снігопаду спочатку розчищають головні вулиці, потім житлові.', 'Власники будинків мають розчистити тротуар протягом трьох годин після снігопаду.', 'Про ожеледицю на перехресті повідомляйте одразу.'] },
    { code: 'BULK_ITEM_PICKUP', name: 'Вивіз великогабаритних речей', keywords: ['меблі', 'матрац', 'диван'], sentences: ['Диван, матрац чи шафу забирають безкоштовно за попереднім записом.', 'Речі треба виставити напередодні ввечері, не блокуючи тротуар.', 'Матраци слід загорнути в поліетилен.'] },
    { code: 'GRAFFITI_REMOVAL', name: 'Видалення графіті', keywords: ['графіті', 'фарба', 'вандалізм'], sentences: ['Графіті на міському майні видаляють протягом десяти днів.', 'Власник приватного будинку може отримати безкоштовну фарбу.'] },
    { code: 'RODENT_ACTIVITY', name: 'Щури у дворі або на вулиці', keywords: ['щури', 'миші', 'гризуни'], sentences: ['Інспектор перевіряє ділянку і, якщо потрібно, розкладає принаду.', 'Попросіть мешканця описати, де саме бачили щурів і як часто.'] },
  ],
  pl: [
    { code: 'MISSED_TRASH', name: 'Odbiór śmieci: nieodebrane odpady', keywords: ['śmieci', 'odpady', 'kosz', 'odbiór śmieci'], sentences: ['Śmieci odbieramy raz w tygodniu, w dniu przypisanym do ulicy.', 'Worki i pojemniki należy wystawić do godziny 7:00 w dniu odbioru.', 'Jeśli odpady nie zostały odebrane, poproś mieszkańca o pozostawienie pojemnika przy krawężniku.', 'Ekipa wraca w ciągu jednego dnia roboczego od zgłoszenia.'] },
    { code: 'ABANDONED_VEHICLE', name: 'Porzucony samochód, przyczepa lub łódź', keywords: ['porzucony pojazd', 'łódź', 'przyczepa', 'wrak'], sentences: ['Porzucona łódź na przyczepie stojąca na ulicy jest traktowana jak porzucony pojazd.', 'Zapytaj o markę, kolor i numer rejestracyjny pojazdu albo łodzi.', 'Pojazd oznacza się naklejką i po 48 godzinach może zostać odholowany.', 'Łódź lub przyczepa na prywatnej posesji to inna procedura.'] },
    { code: 'S0301', name: 'Dziura w jezdni: jak zgłosić', keywords: ['dziura', 'wybój', 'jezdnia', 'asfalt'], sentences: ['Dziury w jezdni naprawiamy zwykle w ciągu trzech dni roboczych.', 'Zapytaj, jak duży jest wybój i czy znajduje się na pasie ruchu.', 'Naprawa asfaltu zależy od pogody.'] },
    { code: 'STREET_LIGHT_OUT', name: 'Nie świeci latarnia uliczna', keywords: ['latarnia', 'oświetlenie', 'światło', 'żarówka'], sentences: ['Poproś o numer słupa, który jest na tabliczce na wysokości wzroku.', 'Gdy nie świeci kilka latarni z rzędu, może to być uszkodzenie kabla.', 'Oświetlenie uliczne naprawiamy w ciągu pięciu dni roboczych.'] },
    { code: 'SNOW_PLOWING', name: 'Odśnieżanie ulic', keywords: ['śnieg', 'odśnieżanie', 'gołoledź', 'lód'], sentences: ['Podczas śnieżycy najpierw odśnieżane są główne ulice, potem osiedlowe.', 'Właściciele budynków muszą odśnieżyć chodnik w ciągu trzech godzin po opadach.', 'Gołoledź na skrzyżowaniu zgłaszaj od razu.'] },
    { code: 'BULK_ITEM_PICKUP', name: 'Wywóz mebli i gabarytów', keywords: ['meble', 'gabaryty', 'materac', 'kanapa'], sentences: ['Kanapę, materac lub szafę odbieramy bezpłatnie po wcześniejszym umówieniu.', 'Materace trzeba zapakować w folię.'] },
    { code: 'GRAFFITI_REMOVAL', name: 'Usuwanie graffiti', keywords: ['graffiti', 'farba', 'wandalizm'], sentences: ['Graffiti z mienia miejskiego usuwamy w ciągu dziesięciu dni.', 'Właściciel domu może dostać bezpłatną farbę do zamalowania napisów.'] },
  ],
  es: [
    { code: 'MISSED_TRASH', name: 'Recolección de basura: recogida no realizada', keywords: ['basura', 'recolección', 'contenedor'], sentences: ['La basura se recoge una vez por semana, el día asignado a cada calle.', 'Las bolsas y los contenedores deben estar en la acera antes de las 7:00 de la mañana.', 'Si no se recogió la basura, pida al residente que deje el contenedor junto a la acera.', 'El camión vuelve en un día hábil después de la solicitud.'] },
    { code: 'S0301', name: 'Bache en la calle: cómo reportarlo', keywords: ['bache', 'hoyo', 'calle', 'asfalto'], sentences: ['Los baches se reparan normalmente en tres días hábiles.', 'Pregunte qué tamaño tiene el bache y si está en el carril de circulación.', 'La reparación del asfalto depende del tiempo.'] },
    { code: 'STREET_LIGHT_OUT', name: 'Farola apagada: alumbrado público', keywords: ['farola', 'alumbrado público', 'luz'], sentences: ['Pida el número del poste, que está en una placa a la altura de los ojos.', 'Si varias farolas seguidas están apagadas, puede ser una avería del cable.', 'El alumbrado público se repara en cinco días hábiles.'] },
    { code: 'SNOW_PLOWING', name: 'Remoción de nieve en las calles', keywords: ['nieve', 'quitanieves', 'hielo'], sentences: ['Durante una nevada se limpian primero las calles principales y luego las residenciales.', 'Los propietarios deben limpiar la acera en las tres horas siguientes a la nevada.'] },
    { code: 'BULK_ITEM_PICKUP', name: 'Recogida de muebles y objetos grandes', keywords: ['muebles', 'colchón', 'sofá'], sentences: ['El sofá, el colchón o el armario se recogen gratis con cita previa.', 'Los colchones deben ir envueltos en plástico.'] },
    { code: 'GRAFFITI_REMOVAL', name: 'Eliminación de grafitis', keywords: ['grafiti', 'pintura', 'vandalismo'], sentences: ['Los grafitis en propiedad de la ciudad se eliminan en diez días.', 'El dueño de una casa puede pedir pintura gratis para cubrir las pintadas.'] },
  ],
  ru: [
    { code: 'MISSED_TRASH', name: 'Вывоз мусора: мусор не забрали', keywords: ['мусор', 'вывоз мусора', 'контейнер'], sentences: ['Мусор вывозят раз в неделю, в день, назначенный для улицы.', 'Мешки и контейнеры нужно выставить до 7:00 утра в день вывоза.', 'Если мусор не забрали, попросите жителя оставить контейнер у бордюра.', 'Бригада возвращается в течение одного рабочего дня после обращения.'] },
    { code: 'YARD_WASTE', name: 'Вывоз новогодних ёлок', keywords: ['ёлка', 'ель', 'новогодняя ёлка', 'садовые отходы'], sentences: ['Новогодние ёлки забирают в первые две недели января в обычный день вывоза мусора.', 'С ёлки нужно снять все игрушки, гирлянды и подставку.', 'Ёлку не кладите в пакет: её оставляют у бордюра целиком.'] },
    { code: 'S0301', name: 'Яма на дороге: как сообщить', keywords: ['яма', 'выбоина', 'дорога', 'асфальт'], sentences: ['Яму на дороге обычно ремонтируют в течение трёх рабочих дней.', 'Спросите, насколько велика выбоина и находится ли она на полосе движения.'] },
    { code: 'STREET_LIGHT_OUT', name: 'Не горит уличный фонарь', keywords: ['фонарь', 'освещение', 'свет'], sentences: ['Попросите номер столба: он указан на табличке на уровне глаз.', 'Если не горят несколько фонарей подряд, возможно, повреждён кабель.'] },
    { code: 'SNOW_PLOWING', name: 'Уборка снега на улицах', keywords: ['снег', 'уборка снега', 'гололёд'], sentences: ['Во время снегопада сначала расчищают главные улицы, потом жилые.', 'Владельцы домов должны расчистить тротуар в течение трёх часов после снегопада.', 'О гололёде на перекрёстке сообщайте сразу.'] },
    { code: 'BULK_ITEM_PICKUP', name: 'Вывоз мебели и крупногабаритных вещей', keywords: ['мебель', 'матрас', 'диван'], sentences: ['Диван, матрас или шкаф забирают бесплатно по предварительной записи.', 'Вещи нужно выставить накануне вечером, не загораживая тротуар.'] },
  ],
};

const headings: Record<Language, string[]> = {
  en: ['What to ask', 'What happens next', 'Good to know', 'Before you create the request', 'When the caller calls again'],
  uk: ['Що запитати', 'Що буде далі', 'Корисно знати'],
  pl: ['O co zapytać', 'Co dalej', 'Warto wiedzieć'],
  es: ['Qué preguntar', 'Qué pasa después', 'Bueno saber'],
  ru: ['Что спросить', 'Что будет дальше', 'Полезно знать'],
};

// Title templates: {name} the service, {hood} the neighbourhood, {dept} and {cat} where known.
const titleTemplates: Record<Language, string[]> = {
  en: [
    '{name}', '{name} in {hood}', 'How to report: {name}', '{name}: what to tell the caller', '{cat}: {name}', '{name} — {hood}', '{name} FAQ ({hood})',
    '{dept}: {name}', '{name} during the winter', '{name} for tenants and landlords', 'Why was my {lname} request closed?', '{name} — service times in {hood}',
  ],
  uk: ['{name}', '{name} — {hood}', '{name} (район {hood})', 'Як повідомити: {name}'],
  pl: ['{name}', '{name} — {hood}', '{name} (dzielnica {hood})', 'Jak zgłosić: {name}'],
  es: ['{name}', '{name} — {hood}', '{name} (barrio {hood})', 'Cómo reportar: {name}'],
  ru: ['{name}', '{name} — {hood}', '{name} (район {hood})', 'Как сообщить: {name}'],
};
const sampleTitleTemplates = ['{name}', '{name} — {hood}', '{name} ({hood})'];

const sentencesOf = (text: string) =>
  text
    .split('\n')
    .map((line) => line.replace(/^\s*(#+|[-*+]|\d+[.)]|>)\s*/, '').trim())
    .flatMap((line) => line.split(/(?<=[.!?])\s+(?=\p{Lu})/u))
    .map((s) => s.trim())
    .filter((s) => s.split(/\s+/).length >= 3);

export function topicsFrom(hierarchy: CityHierarchy, samples: (ArticleInput & { status?: string })[], knownCodes: Set<string>): Topic[] {
  const topics: Topic[] = [];
  for (const d of hierarchy.departments.map((x) => x.data)) {
    for (const p of d.providers) {
      for (const c of p.categories) {
        for (const pc of c.problemCodes) {
          const questions = (pc.questions ?? []).map((q) => q.description.trim()).filter((q) => q.length > 8 && q.length < 300);
          const phrases = [...(pc.keywords ?? []), ...(pc.synonyms ?? [])];
          const sentences = [
            ...sentencesOf(pc.description),
            ...questions.map((q) => (q.endsWith('?') ? `Ask the caller: “${q}”` : q.replace(/\s*$/, q.endsWith('.') ? '' : '.'))),
            ...(phrases.length ? [`Callers may also say ${phrases.slice(0, 5).map((k) => `“${k}”`).join(', ')}.`] : []),
            ...sentencesOf(c.description ?? ''),
            ...sentencesOf(p.description ?? ''),
            ...sentencesOf(d.description ?? ''),
          ];
          topics.push({
            language: 'en',
            name: pc.name,
            department: d.name,
            category: c.name,
            summary: sentencesOf(pc.description)[0] ?? pc.description,
            sentences,
            keywords: phrases,
            categories: [c.code],
            problemCodes: [pc.code],
            fromSample: false,
          });
        }
      }
    }
  }
  for (const [language, phrases] of Object.entries(phrasebook) as [Exclude<Language, 'en'>, Phrase[]][]) {
    for (const p of phrases) {
      topics.push({ language, name: p.name, summary: p.sentences[0]!, sentences: p.sentences, keywords: p.keywords, categories: [], problemCodes: knownCodes.has(p.code) ? [p.code] : [], fromSample: false });
    }
  }
  for (const a of samples) {
    topics.push({
      language: a.language,
      name: a.title,
      summary: a.summary,
      sentences: [...sentencesOf(a.body), ...sentencesOf(a.summary)],
      keywords: a.keywords,
      categories: a.categories.filter((code) => knownCodes.has(code)),
      problemCodes: a.problemCodes.filter((code) => knownCodes.has(code)),
      fromSample: true,
    });
  }
  return topics.filter((t) => t.sentences.length > 0);
}

export interface GeneratedArticle {
  slug: string;
  title: string;
  summary: string;
  body: string;
  keywords: string[];
  language: Language;
  audience: 'desk' | 'public';
  status: 'draft' | 'published' | 'archived';
  owner: string;
  categories: string[];
  problemCodes: string[];
}

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
const slugify = (text: string) =>
  plain(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');

export function generateArticles(rng: Rng, topics: Topic[], n: number): GeneratedArticle[] {
  const { random, int, pick, shuffle } = rng;
  const byLanguage = new Map<Language, Topic[]>();
  for (const t of topics) byLanguage.set(t.language, [...(byLanguage.get(t.language) ?? []), t]);
  const others = otherLanguages.filter((l) => byLanguage.has(l));
  const articles: GeneratedArticle[] = [];
  for (let i = 0; i < n; i++) {
    const language: Language = others.length > 0 && random() < 0.1 ? pick(others) : 'en';
    const pool = byLanguage.get(language)!;
    const topic = pick(pool);
    const hood = pick(neighbourhoods);
    const values = { name: topic.name, lname: topic.name.toLowerCase(), hood, dept: topic.department ?? topic.name, cat: topic.category ?? topic.name };
    const templates = topic.fromSample ? sampleTitleTemplates : titleTemplates[language].filter((t) => (!t.includes('{dept}') || topic.department) && (!t.includes('{cat}') || topic.category));
    const title = fill(pick(templates), values);

    // The body: the topic's own sentences most, a related topic's some, the desk's stock phrases the rest.
    const related = [pick(pool), pick(pool)];
    const stock = stockSentences[language];
    const target = 150 + int(351);
    const paragraphs: string[] = [];
    let paragraph: string[] = [];
    let count = 0;
    let last = '';
    while (count < target) {
      const r = random();
      const source = r < 0.5 ? topic.sentences : r < 0.7 ? pick(related).sentences : stock;
      const sentence = fill(pick(source), { hood });
      if (sentence === last) continue;
      last = sentence;
      const w = wordCount(sentence);
      if (count >= 150 && count + w > 500) break;
      paragraph.push(sentence);
      count += w;
      if (paragraph.length >= 3 + int(3)) {
        paragraphs.push(paragraph.join(' '));
        paragraph = [];
        if (random() < 0.35) paragraphs.push(`## ${pick(headings[language])}`);
      }
    }
    if (paragraph.length) paragraphs.push(paragraph.join(' '));
    if (topic.keywords.length >= 2 && random() < 0.3) {
      const listed = shuffle([...topic.keywords]).slice(0, 3);
      paragraphs.splice(1 + int(paragraphs.length - 1), 0, listed.map((k) => `- ${k}`).join('\n'));
    }

    const keywords = [...new Set([...shuffle([...topic.keywords]).slice(0, 2 + int(4)), ...(random() < 0.5 ? [hood] : [])])];
    const s = random();
    articles.push({
      slug: `${slugify(title) || 'article'}-${i + 1}`,
      title,
      summary: random() < 0.3 ? `${topic.summary} ${fill(pick(stock), { hood })}` : topic.summary,
      body: paragraphs.join('\n\n'),
      keywords,
      language,
      audience: random() < 0.5 ? 'public' : 'desk',
      status: s < 0.8 ? 'published' : s < 0.9 ? 'draft' : 'archived',
      owner: topic.department ?? '',
      categories: topic.categories,
      problemCodes: topic.problemCodes,
    });
  }
  return articles;
}

/** The bulk path: rows straight into kb_articles (and their classification), each indexed with reindexArticle. */
export function loadArticles(db: Db, articles: GeneratedArticle[]): void {
  const nodeIds = new Map(
    db
      .select({ id: hierarchyNodes.id, code: hierarchyNodes.code })
      .from(hierarchyNodes)
      .all()
      .map((r) => [r.code, r.id]),
  );
  const at = '2026-01-15T09:00:00.000Z';
  db.transaction((tx) => {
    for (const a of articles) {
      const row = tx
        .insert(kbArticles)
        .values({
          slug: a.slug,
          title: a.title,
          summary: a.summary,
          body: a.body,
          callScript: '',
          phones: [{ label: '311', number: '311' }],
          links: [],
          keywords: a.keywords,
          language: a.language,
          audience: a.audience,
          status: a.status,
          owner: a.owner,
          reviewDate: null,
          createdAt: at,
          updatedAt: at,
        })
        .returning({ id: kbArticles.id })
        .get();
      for (const code of [...a.categories, ...a.problemCodes]) {
        const nodeId = nodeIds.get(code);
        if (nodeId !== undefined) tx.insert(kbArticleNodes).values({ articleId: row.id, nodeId }).onConflictDoNothing().run();
      }
      reindexArticle(tx, row.id);
    }
  });
}
