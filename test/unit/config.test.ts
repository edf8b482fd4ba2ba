import t from 'tap';
import { ConfigError, loadConfig } from '../../server/config.ts';

const load = (env: Record<string, string>) => loadConfig(env, { dotenv: false });

t.test('defaults apply when nothing is set, and empty values count as unset', async (t) => {
  const config = load({ PORT: '' });
  t.equal(config.PORT, 3311);
  t.equal(config.HOST, 'localhost');
  t.equal(config.DATABASE_PATH, './data/onewindow.db');
  t.equal(config.NODE_ENV, 'development');
});

t.test('values are read from the environment and typed', async (t) => {
  const config = load({ PORT: '8080', HOST: '0.0.0.0', DATABASE_PATH: '/tmp/x.db', TRUST_PROXY: 'true' });
  t.equal(config.PORT, 8080);
  t.equal(config.HOST, '0.0.0.0');
  t.equal(config.DATABASE_PATH, '/tmp/x.db');
  t.equal(config.TRUST_PROXY, true);
});

t.test('every bad value is reported, naming the variable and what is allowed', async (t) => {
  const error = t.throws(() => load({ PORT: 'eighty', LOG_LEVEL: 'loud', NODE_ENV: 'staging' })) as ConfigError;
  t.type(error, ConfigError);
  t.equal(error.problems.length, 3);
  t.match(error.message, /PORT: a whole number from 0 to 65535 is required \(got "eighty"\)/);
  t.match(error.message, /LOG_LEVEL: one of fatal, error, warn, info, debug, trace, silent is required \(got "loud"\)/);
  t.match(error.message, /NODE_ENV: one of development, production, test is required \(got "staging"\)/);
  t.throws(() => load({ PORT: '70000' }), /PORT: a whole number from 0 to 65535/);
  t.throws(() => load({ TRUST_PROXY: 'maybe' }), /TRUST_PROXY: true or false is required/);
});
