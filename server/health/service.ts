import type { Db } from '../../db/connection.ts';

export interface Health {
  status: 'ok' | 'unavailable';
  database: 'ok' | 'unavailable';
  version: string;
}

/** Whether the process can answer and its database can be read. */
export function checkHealth(db: Db, version: string): Health {
  try {
    db.$client.prepare('SELECT 1').get();
    return { status: 'ok', database: 'ok', version };
  } catch {
    return { status: 'unavailable', database: 'unavailable', version };
  }
}
