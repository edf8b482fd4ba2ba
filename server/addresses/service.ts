// The city's address registry: one address, its one-line label, and whether the registry is empty.
// Addresses are written by the importer (./import.ts); the typeahead is in ./search.ts.
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { addressAliases, addresses } from '../../db/schema/addresses.ts';
import { DomainError } from '../errors.ts';

type Reader = Pick<Db, 'select' | 'get'>;

/** What an address is made of, as the OpenAddresses columns name it (ID aside). */
export interface AddressParts {
  number: string;
  street: string;
  unit: string;
  city: string;
  district: string;
  region: string;
  postcode: string;
}

/** An address as the desk sees it: its parts, its one-line label and where it is. */
export interface AddressSummary extends AddressParts {
  id: number;
  label: string;
  latitude: number;
  longitude: number;
}

export interface AddressDetail extends AddressSummary {
  /** The source file's own id (OpenAddresses `ID`), null when the file had none. */
  sourceId: string | null;
  aliases: string[];
  createdAt: string;
  updatedAt: string;
}

/**
 * One line a clerk reads back to a caller: "29 Hereford St, Back Bay, 02115", "12 Elm St #3, …".
 * A unit that is only a number gets a "#"; one that says what it is ("Apt 3") is shown as it is.
 */
export function addressLabel(a: Pick<AddressParts, 'number' | 'street' | 'unit' | 'city' | 'postcode'>): string {
  const unit = a.unit === '' ? '' : /^\d/.test(a.unit) ? ` #${a.unit}` : ` ${a.unit}`;
  return [`${a.number} ${a.street}${unit}`, a.city, a.postcode].filter((part) => part !== '').join(', ');
}

export function getAddress(db: Reader, id: number): AddressDetail {
  const row = db.select().from(addresses).where(eq(addresses.id, id)).get();
  if (!row) throw new DomainError('NOT_FOUND', `There is no address ${id} in the registry.`);
  const aliases = db.select({ alias: addressAliases.alias }).from(addressAliases).where(eq(addressAliases.addressId, id)).orderBy(asc(addressAliases.alias)).all();
  return {
    id: row.id,
    label: addressLabel(row),
    number: row.number,
    street: row.street,
    unit: row.unit,
    city: row.city,
    district: row.district,
    region: row.region,
    postcode: row.postcode,
    latitude: row.latitude,
    longitude: row.longitude,
    sourceId: row.sourceId,
    aliases: aliases.map((a) => a.alias),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function addressRegistryIsEmpty(db: Pick<Db, 'get'>): boolean {
  return db.get<{ n: number } | undefined>(sql`SELECT EXISTS (SELECT 1 FROM addresses) AS n`)?.n === 0;
}
