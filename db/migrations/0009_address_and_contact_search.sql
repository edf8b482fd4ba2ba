-- Hand-written: drizzle-kit does not model FTS5. Typeahead indexes for the desk, filled by the
-- address and contact services (text folded by server/search/fold.ts), rowid = the record's id.
-- Addresses: number, street, unit, neighbourhood, postcode and every alias ("City Hall").
CREATE VIRTUAL TABLE `address_search` USING fts5(
	`text`,
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '1 2 3'
);
--> statement-breakpoint
-- Contacts: name and organisation, e-mails, the digits of each phone (whole, and without the
-- country code), and the postal address.
CREATE VIRTUAL TABLE `contact_search` USING fts5(
	`name`,
	`reach`,
	`address`,
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '1 2 3'
);
