// Human-readable numbers (customer request 2026-004217, work order W2026-000031): a per-year series,
// counted in the city's own time zone, bumped inside the transaction that uses the number.
import { eq } from 'drizzle-orm';
import { perConnection, type Db } from '../db/connection.ts';
import { cityProfile } from '../db/schema/hierarchy.ts';

type Tx = Pick<Db, 'select' | '$client'>;

const queries = perConnection((db: Tx) => ({
  city: db.select().from(cityProfile).where(eq(cityProfile.key, 'city')).prepare(),
  bump: db.$client.prepare<[string, number], { value: number }>(`
    INSERT INTO sequences (series, year, value) VALUES (?, ?, 1)
    ON CONFLICT (series, year) DO UPDATE SET value = value + 1
    RETURNING value`),
}));

/** The city's time zone (city.json `timezone`), or UTC before a hierarchy is loaded. */
export function cityTimeZone(db: Tx): string {
  const city = queries(db).city.get()?.value as { timezone?: string } | undefined;
  return city?.timezone ?? 'UTC';
}

/** A formatter costs far more to make than to use: one per time zone. */
const yearFormats = new Map<string, Intl.DateTimeFormat>();

export function yearIn(timeZone: string, at: Date): number {
  let format = yearFormats.get(timeZone);
  if (!format) yearFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' })));
  return Number(format.format(at));
}

/** The next number of `series` for the year `at` falls in, e.g. `2026-004217` (prefix `W` → `W2026-…`). */
export function nextNumber(db: Tx, series: string, at: Date, prefix = ''): string {
  const year = yearIn(cityTimeZone(db), at);
  const row = queries(db).bump.get(series, year)!;
  return `${prefix}${year}-${String(row.value).padStart(6, '0')}`;
}
