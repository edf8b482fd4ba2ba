// Every area's tables, for drizzle's relational queries and for drizzle-kit.
export * from './sequences.ts';
