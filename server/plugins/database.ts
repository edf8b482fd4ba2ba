// The database handle, opened (and migrated) once per app and closed with it.
import fp from 'fastify-plugin';
import { checkpointInBackground, type Checkpointer } from '../../db/checkpointer.ts';
import { closeDatabase, openDatabase, type Db } from '../../db/connection.ts';
import { commitTogether } from '../../db/group-commit.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
  interface FastifyRequest {
    /** The first commit group this request's writes can be part of (db/group-commit.ts). */
    commitMark: number;
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
    const group = commitTogether(db);
    app.decorate('db', db);
    app.decorateRequest('commitMark', 0);
    // Plain callbacks, not async hooks: every request passes here, most with nothing to wait for.
    app.addHook('onRequest', (request, _reply, done) => {
      request.commitMark = group.mark();
      done();
    });
    // No answer leaves before what it did is committed. A lost commit answers 500 (once: the error's own
    // answer passes here again).
    app.addHook('onSend', (request, _reply, payload, done) => {
      const settled = group.settled(request.commitMark);
      request.commitMark = Number.POSITIVE_INFINITY;
      if (!settled) return done(null, payload);
      settled.then(() => done(null, payload), done);
    });
    app.addHook('onClose', async () => {
      group.flush();
      await checkpointer?.stop();
      closeDatabase(db);
    });
  },
  { name: 'database' },
);
