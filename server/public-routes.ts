// What the routes of the public — the portal and its knowledge base, no sign-in — share: open access and
// limits per address (the client's, or with TRUST_PROXY the one the reverse proxy saw), counted in each
// server process's memory: generous for reading, tighter for looking numbers up, tight for writing.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';

export const publicLimits = {
  reading: { max: 120, timeWindow: '1 minute' },
  lookingUp: { max: 30, timeWindow: '1 minute' },
  writing: { max: 10, timeWindow: '10 minutes' },
} as const;

/** A route anyone may call, `limit` times per address in its window. */
export const openTo = (limit: keyof typeof publicLimits) => ({ access: 'public', rateLimit: publicLimits[limit] }) as const;

/** Lets this scope's routes carry their own limits (and only its routes). */
export async function limitPerAddress(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, { global: false });
}
