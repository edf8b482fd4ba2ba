// The database handle, opened (and migrated) once per app and closed with it.
import fp from 'fastify-plugin';
import { checkpointInBackground, type Checkpointer } from '../../db/checkpointer.ts';
import { closeDatabase, openDatabase, type Db } from '../../db/connection.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

export interface DatabasePluginOptions {
  path: string;
}

export default fp<DatabasePluginOptions>(
  async (app, options) => {
    const db = openDatabase(options.path);
    let checkpointer: Checkpointer | null = null;
    try {
      if (options.path !== ':memory:') checkpointer = checkpointInBackground(db, (message) => app.log.error({ message }, 'background checkpoint failed'));
    } catch (error) {
      closeDatabase(db);
      throw error;
    }
    app.decorate('db', db);
    app.addHook('onClose', async () => {
      await checkpointer?.stop();
      closeDatabase(db);
    });
  },
  { name: 'database' },
);
