import { api, query } from './api.ts';

/** What an address is made of, in the OpenAddresses column names' terms. */
export interface AddressParts {
  number: string;
  street: string;
  unit: string;
  city: string;
  district: string;
  region: string;
  postcode: string;
}

/** One typeahead hit: an address of the registry, its one-line label, where it is. */
export interface AddressHit extends AddressParts {
  id: number;
  /** "29 Hereford St, Back Bay, 02115" */
  label: string;
  latitude: number;
  longitude: number;
  /** The alias the words typed matched ("City Hall"), if any. */
  matchedAlias: string | null;
}

export interface Address extends Omit<AddressHit, 'matchedAlias'> {
  sourceId: string | null;
  aliases: string[];
  createdAt: string;
  updatedAt: string;
}

export const searchAddresses = (q: string, signal?: AbortSignal, limit = 8) => api<{ hits: AddressHit[] }>('GET', `/addresses${query({ q, limit })}`, undefined, signal);
export const getAddress = (id: number, signal?: AbortSignal) => api<Address>('GET', `/addresses/${id}`, undefined, signal);
