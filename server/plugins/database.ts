// The database handle, opened (and migrated) once per app and closed with it.
import { Readable } from 'node:stream';
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
  /** Commit the transactions of one event-loop turn together (db/group-commit.ts); on unless false. */
  groupCommit?: boolean;
}

/** Headers of the answer that was held which must not stay on the error that replaces it. */
const notForTheError = ['cache-control', 'etag', 'last-modified', 'location', 'set-cookie'];

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
    const group = options.groupCommit === false ? null : commitTogether(db, { onLost: (error) => app.log.error({ err: error }, 'a commit group was lost') });
    app.decorate('db', db);
    if (group) {
      app.decorateRequest('commitMark', 0);
      // Plain callbacks, not async hooks: every request passes here, most with nothing to wait for.
      app.addHook('onRequest', (request, _reply, done) => {
        request.commitMark = group.mark();
        done();
      });
      // No answer leaves before what it did is committed. When its group was lost the answer becomes the
      // 500 of an internal error, which passes here again and only waits (the mark is then infinite).
      app.addHook('onSend', (request, reply, payload, done) => {
        const settled = group.settled(request.commitMark);
        request.commitMark = Number.POSITIVE_INFINITY;
        if (!settled) return done(null, payload);
        settled.then(
          () => done(null, payload),
          (error: Error) => {
            for (const header of notForTheError) reply.removeHeader(header);
            if (payload instanceof Readable) payload.destroy();
            done(error);
          },
        );
      });
    }
    app.addHook('onClose', async () => {
      group?.flush();
      await checkpointer?.stop();
      // Whatever began while the thread stopped.
      group?.flush();
      closeDatabase(db);
    });
  },
  { name: 'database' },
);
