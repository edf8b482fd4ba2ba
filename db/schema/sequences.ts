import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Counters behind the human-readable numbers (customer request 2026-004217, work order numbers):
 * one row per series and year, bumped inside the transaction that uses the number.
 */
export const sequences = sqliteTable(
  'sequences',
  {
    series: text('series').notNull(),
    year: integer('year').notNull(),
    value: integer('value').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.series, t.year] })],
);
