// Every area's tables, for drizzle's relational queries and for drizzle-kit.
export * from './accounts.ts';
export * from './audit.ts';
export * from './sequences.ts';
export * from './hierarchy.ts';
export * from './kb.ts';
export * from './addresses.ts';
export * from './contacts.ts';
export * from './intake.ts';
export * from './work-orders.ts';
export * from './outbox.ts';
export * from './api-keys.ts';
