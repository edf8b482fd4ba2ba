// The bare stack the city-scale benchmark compares OneWindow with: one Fastify route that inserts one
// row into better-sqlite3, with the same pragmas OneWindow opens its database with (WAL, synchronous
// NORMAL) and a JSON body validated by a schema, as every route here has. Started as its own process.
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const [path, port] = process.argv.slice(2);
if (!path || !port) throw new Error('usage: bare-stack.ts <database file> <port>');
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, text TEXT NOT NULL, at TEXT NOT NULL)');
const insert = db.prepare<[string, string], { id: number }>('INSERT INTO rows (text, at) VALUES (?, ?) RETURNING id');

const app = Fastify({ logger: false });
app.post<{ Body: { text: string } }>(
  '/rows',
  { schema: { body: { type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string', maxLength: 4000 } } } } },
  async (request, reply) => reply.code(201).send(insert.get(request.body.text, new Date().toISOString())),
);
app.get('/health', async () => ({ ok: true }));
await app.listen({ host: '127.0.0.1', port: Number(port) });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
