import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The city's address registry (OpenAddresses layout). An address is known by its number, street,
 * unit and postcode together: the same street name can exist in two neighbourhoods.
 */
export const addresses = sqliteTable(
  'addresses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The source file's own id (OpenAddresses `ID`), kept so a re-import updates instead of adding. */
    sourceId: text('source_id'),
    number: text('number').notNull(),
    street: text('street').notNull(),
    unit: text('unit').notNull().default(''),
    city: text('city').notNull().default(''),
    district: text('district').notNull().default(''),
    region: text('region').notNull().default(''),
    postcode: text('postcode').notNull().default(''),
    latitude: real('latitude').notNull(),
    longitude: real('longitude').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('addresses_natural_key').on(t.number, t.street, t.unit, t.postcode),
    index('addresses_source_idx').on(t.sourceId),
  ],
);

/** Other names for an address ("City Hall"), found by the same typeahead. */
export const addressAliases = sqliteTable(
  'address_aliases',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    addressId: integer('address_id')
      .notNull()
      .references(() => addresses.id),
    alias: text('alias').notNull(),
  },
  (t) => [uniqueIndex('address_aliases_unique').on(t.addressId, t.alias)],
);
