// The address registry's importer (OpenAddresses CSV + aliases), its typeahead, and the
// scripts/import-addresses command, against fresh temporary databases and the real sample city.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import t from 'tap';
import { closeDatabase, openDatabase, type Db } from '../../db/connection.ts';
import { importAddressAliases, importAddresses, loadSampleAddresses, sampleAddressesFile, sampleAliasesFile } from '../../server/addresses/import.ts';
import { searchAddresses } from '../../server/addresses/search.ts';
import { addressRegistryIsEmpty, getAddress } from '../../server/addresses/service.ts';
import { DomainError } from '../../server/errors.ts';
import { freshDb, tempDir } from '../helper.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const fixtures = join(repoRoot, 'test', 'fixtures', 'addresses');
const badRows = join(fixtures, 'bad-rows.csv');

const counts = (db: Db) =>
  db.get<{ addresses: number; aliases: number; indexed: number }>(sql`
    SELECT (SELECT count(*) FROM addresses) AS addresses, (SELECT count(*) FROM address_aliases) AS aliases, (SELECT count(*) FROM address_search) AS indexed`)!;

const csv = (text: string) => Readable.from([Buffer.from(text)]);
const header = 'LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,POSTCODE,ID\n';
const labels = (db: Db, q: string, limit?: number) => searchAddresses(db, q, limit).map((h) => h.label);

t.test('the sample city loads 3,002 addresses and 12 aliases, and a second run changes nothing', async (t) => {
  const { db } = freshDb(t);
  t.ok(addressRegistryIsEmpty(db));
  const first = await importAddresses(db, sampleAddressesFile);
  t.match(first, { rows: 3002, created: 3002, updated: 0, unchanged: 0, rejected: 0, problems: [] });
  const aliases = await importAddressAliases(db, sampleAliasesFile);
  t.match(aliases, { rows: 12, created: 12, unchanged: 0, rejected: 0, problems: [] });
  t.same(counts(db), { addresses: 3002, aliases: 12, indexed: 3002 }, 'every address has its search row');
  t.notOk(addressRegistryIsEmpty(db));

  const stamps = db.get<{ latest: string }>(sql`SELECT max(updated_at) AS latest FROM addresses`)!.latest;
  const again = await loadSampleAddresses(db);
  t.match(again.addresses, { rows: 3002, created: 0, updated: 0, unchanged: 3002, rejected: 0 });
  t.match(again.aliases, { rows: 12, created: 0, unchanged: 12, rejected: 0 });
  t.same(counts(db), { addresses: 3002, aliases: 12, indexed: 3002 });
  t.equal(db.get<{ latest: string }>(sql`SELECT max(updated_at) AS latest FROM addresses`)!.latest, stamps, 'no row was rewritten');

  const cityHall = db.get<{ id: number }>(sql`SELECT id FROM addresses WHERE source_id = 'B00632'`)!;
  t.match(getAddress(db, cityHall.id), {
    label: '1 City Hall Plz, Downtown / Financial District, 02108',
    number: '1',
    street: 'City Hall Plz',
    postcode: '02108',
    region: 'MA',
    latitude: 42.3601,
    longitude: -71.0579,
    sourceId: 'B00632',
    aliases: ['Boston City Hall', 'City Hall'],
  });
  t.throws(() => getAddress(db, 999_999), { code: 'NOT_FOUND' });
});

t.test('bad rows are rejected with their line numbers and why; the good ones are loaded', async (t) => {
  const expected = [
    { line: 3, message: 'LAT "abc" is not a number' },
    { line: 4, message: 'LAT 95.5 is out of range (−90 to 90)' },
    { line: 5, message: 'STREET is empty' },
    { line: 6, message: 'has 8 fields, the header has 10' },
    { line: 10, message: 'repeats line 2 (the same NUMBER, STREET, UNIT and POSTCODE)' },
    { line: 11, message: 'LON -200 is out of range (−180 to 180)' },
    { line: 12, message: 'NUMBER is empty' },
    { line: 13, message: 'LON and LAT are 0, 0: a placeholder, not a place' },
    { line: 16, message: 'LAT "1e999" is not a number' },
  ];
  for (const [name, text] of [
    ['LF', readFileSync(badRows, 'utf8')],
    ['CRLF', readFileSync(badRows, 'utf8').replace(/\n/g, '\r\n')],
  ] as const) {
    const { db } = freshDb(t);
    const summary = await importAddresses(db, csv(text));
    t.same(summary.problems, expected, `${name}: each bad row by its line (a quoted line break counts, an empty line counts)`);
    t.match(summary, { rows: 14, created: 5, updated: 0, unchanged: 0, rejected: 9 }, name);
    const loaded = db.all<{ number: string; street: string; unit: string; city: string }>(sql`SELECT number, street, unit, city FROM addresses ORDER BY id`);
    t.same(
      loaded.map((a) => `${a.number}|${a.street}|${a.unit}|${a.city}`),
      ['12|Hereford St||Back Bay', '16|Hereford St||Back Bay', '17|Hereford St, Rear||Back Bay', '53|Hereford St||Back Bay', '21|Hérèford Śt|Apt 2|Back Bay'],
      `${name}: quoted fields read, a line break inside one taken as a space`,
    );
  }
});

t.test('a file without the required columns is refused as a whole; extra columns and letter case do not matter', async (t) => {
  const { db } = freshDb(t);
  await t.rejects(importAddresses(db, join(fixtures, 'missing-columns.csv')), {
    constructor: DomainError,
    message: /missing-columns\.csv: the header has no LON, STREET columns; nothing was loaded/,
  });
  await t.rejects(importAddresses(db, csv('')), { message: /is empty: the first line must be the header/ });
  await t.rejects(importAddresses(db, csv(`${header.trim()},LAT\n`)), { message: /names LAT more than once/ });
  await t.rejects(importAddresses(db, join(fixtures, 'no-such-file.csv')), { message: /no-such-file\.csv cannot be read: there is no such file/ });
  t.equal(counts(db).addresses, 0, 'nothing was loaded');

  const loose = await importAddresses(db, csv('hash,Street, lat ,lon,number,postcode\nx1,Hereford St,42.3513,-71.0867,12,02115\n'));
  t.match(loose, { created: 1, rejected: 0 });
  t.match(searchAddresses(db, '12 hereford')[0], { street: 'Hereford St', unit: '', city: '', postcode: '02115', latitude: 42.3513, longitude: -71.0867 });
});

t.test('a changed row updates its address and its search row; an unchanged one is left alone', async (t) => {
  const { db } = freshDb(t);
  await importAddresses(db, csv(`${header}-71.0867,42.3513,12,Hereford St,,Back Bay,,MA,02115,T1\n-71.0870,42.3511,11,Hereford St,,Back Bay,,MA,02115,T2\n`));
  await importAddressAliases(db, csv('ADDRESS_ID,ALIAS\nT1,The Hereford House\n'));
  const summary = await importAddresses(db, csv(`${header}-71.0860,42.3500,12,Hereford St,,Kenmore,,MA,02115,T1\n-71.0870,42.3511,11,Hereford St,,Back Bay,,MA,02115,T2\n`));
  t.match(summary, { created: 0, updated: 1, unchanged: 1, rejected: 0 });
  t.match(searchAddresses(db, 'kenmore'), [{ number: '12', city: 'Kenmore', latitude: 42.35, longitude: -71.086 }], 'found by its new neighbourhood');
  t.same(labels(db, 'back bay'), ['11 Hereford St, Back Bay, 02115'], 'no longer by its old one');
  t.same(labels(db, 'hereford house'), ['12 Hereford St, Kenmore, 02115'], 'its alias is still indexed');
});

t.test('aliases: unknown or empty ids and empty aliases are reported by line; one already there is left alone', async (t) => {
  const { db } = freshDb(t);
  await importAddresses(db, badRows);
  const summary = await importAddressAliases(db, join(fixtures, 'aliases.csv'));
  t.same(summary.problems, [
    { line: 3, message: 'ADDRESS_ID "T99" is not in the registry' },
    { line: 4, message: 'ADDRESS_ID is empty' },
    { line: 5, message: 'ALIAS is empty' },
  ]);
  t.match(summary, { rows: 6, created: 2, unchanged: 1, rejected: 3 });
  t.match(searchAddresses(db, 'corner sh'), [{ number: '16', street: 'Hereford St', matchedAlias: 'Corner Shop' }], 'an alias is found as you type it');
  await t.rejects(importAddressAliases(db, csv('ID,NAME\nT1,x\n')), { message: /the header has no ADDRESS_ID, ALIAS columns/ });
});

t.test('search: house number first, either word order, aliases, postcodes, case and accents, prefixes', async (t) => {
  const { db } = freshDb(t);
  await loadSampleAddresses(db);
  t.equal(labels(db, '12 Hereford')[0], '12 Hereford St, Back Bay, 02115');
  t.equal(labels(db, 'hereford 12')[0], '12 Hereford St, Back Bay, 02115', 'the number after the street');
  t.same(labels(db, 'hereford 1'), ['11 Hereford St, Back Bay, 02115', '12 Hereford St, Back Bay, 02115'], 'the last word is a prefix, numbers too');
  t.equal(labels(db, 'HEREFORD')[0], '11 Hereford St, Back Bay, 02115', 'case');
  t.equal(labels(db, 'hérèförd')[0], '11 Hereford St, Back Bay, 02115', 'accents');
  t.equal(labels(db, 'herefo st')[0], '11 Hereford St, Back Bay, 02115', 'prefixes');
  t.equal(labels(db, 'hereford street')[0], '11 Hereford St, Back Bay, 02115', 'a street type written out finds its abbreviation');

  const cityHall = searchAddresses(db, 'city hall');
  t.match(cityHall[0], { label: '1 City Hall Plz, Downtown / Financial District, 02108', matchedAlias: 'City Hall', latitude: 42.3601, longitude: -71.0579 });
  t.equal(cityHall[1]?.label, '100 City Hall Plz, Downtown / Financial District, 02108');
  t.equal(cityHall[1]?.matchedAlias, null, 'an address without aliases matched none');
  t.match(searchAddresses(db, 'boston common')[0], { label: '139 Tremont St, Beacon Hill, 02108', matchedAlias: 'Boston Common' }, 'whole words above prefixes (Commonwealth)');
  t.match(searchAddresses(db, 'Fenway Park')[0], { label: '4 Yawkey Way, Boston, 02215', matchedAlias: 'Fenway Park' });
  t.match(searchAddresses(db, 'franklin park zoo'), [{ street: 'Franklin Park Rd', matchedAlias: 'Franklin Park Zoo' }]);

  const postcode = searchAddresses(db, '02115', 25);
  t.equal(postcode.length, 25);
  t.ok(postcode.every((h) => h.postcode === '02115'), 'a postcode finds its addresses');
  t.equal(searchAddresses(db, 'st').length, 8, 'eight by default');
  t.equal(searchAddresses(db, 'st', 1000).length, 25, 'never more than 25');
  t.same(searchAddresses(db, '   '), [], 'blank text finds nothing');
  t.equal(labels(db, 'hereford" * (')[0], '11 Hereford St, Back Bay, 02115', 'FTS syntax in the text is just text');
  t.same(searchAddresses(db, 'qqqzzz'), []);
  t.same(Object.keys(cityHall[0]!).sort(), ['city', 'district', 'id', 'label', 'latitude', 'longitude', 'matchedAlias', 'number', 'postcode', 'region', 'street', 'unit']);
});

function runScript(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/import-addresses.ts', ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', ...env },
    encoding: 'utf8',
  });
}

t.test('scripts/import-addresses loads a file, lists rejected rows, says when nothing changed, and exits 0, 1 or 2', async (t) => {
  const dir = tempDir(t);
  const database = join(dir, 'registry.db');
  const aliases = join(dir, 'aliases.csv');
  writeFileSync(aliases, 'ADDRESS_ID,ALIAS\nT1,The Hereford House\nT404,Lost\n');

  const first = runScript([badRows, '--aliases', aliases, '--database', database]);
  t.equal(first.status, 0, first.stderr);
  t.match(first.stdout, 'bad-rows.csv: 14 rows: 5 created, 0 updated, 0 unchanged, 9 rejected');
  t.match(first.stdout, 'aliases.csv: 2 rows: 1 created, 0 unchanged, 1 rejected');
  t.match(first.stdout, `The registry in ${database} has 5 addresses and 1 aliases.`);
  t.match(first.stderr, 'Rejected in bad-rows.csv:\n  line 3: LAT "abc" is not a number\n  line 4: LAT 95.5 is out of range');
  t.match(first.stderr, 'Rejected in aliases.csv:\n  line 3: ADDRESS_ID "T404" is not in the registry');
  t.notMatch(first.stdout, /Nothing changed/);

  const second = runScript([badRows, '--database', database]);
  t.equal(second.status, 0, second.stderr);
  t.match(second.stdout, 'bad-rows.csv: 14 rows: 0 created, 0 updated, 5 unchanged, 9 rejected\nNothing changed');

  // DATABASE_PATH is the default, as for npm start.
  const fromEnv = runScript([sampleAddressesFile], { DATABASE_PATH: join(dir, 'env.db') });
  t.equal(fromEnv.status, 0, fromEnv.stderr);
  t.match(fromEnv.stdout, 'sample-city-addresses.csv: 3,002 rows: 3,002 created');
  const db = openDatabase(join(dir, 'env.db'));
  t.equal(counts(db).addresses, 3002);
  closeDatabase(db);

  const badHeader = runScript([join(fixtures, 'missing-columns.csv'), '--database', join(dir, 'bad.db')]);
  t.equal(badHeader.status, 1);
  t.match(badHeader.stderr, 'the header has no LON, STREET columns');
  const badAliasHeader = runScript([badRows, '--aliases', join(fixtures, 'missing-columns.csv'), '--database', join(dir, 'bad.db')]);
  t.equal(badAliasHeader.status, 1, 'a bad alias file stops the run before the addresses are loaded');
  t.match(badAliasHeader.stderr, 'the header has no ADDRESS_ID, ALIAS columns');
  const missing = runScript([join(dir, 'nope.csv'), '--database', join(dir, 'bad.db')]);
  t.equal(missing.status, 1);
  t.match(missing.stderr, 'nope.csv cannot be read: there is no such file');
  t.notOk(existsSync(join(dir, 'bad.db')), 'no database was made for files that cannot be used');

  for (const args of [[], ['a.csv', 'b.csv'], ['a.csv', '--frobnicate'], ['a.csv', '--aliases']]) {
    const wrong = runScript(args);
    t.equal(wrong.status, 2, `usage error: ${JSON.stringify(args)}`);
    t.match(wrong.stderr, 'usage: npm run import-addresses -- <addresses.csv>');
  }
});
