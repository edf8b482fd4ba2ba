// Password hashing with scrypt (memory-hard; in Node's standard library), compared in constant time.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// N = 2^15, r = 8: 32 MiB of memory per hash, about 60 ms here; the OWASP-recommended floor or above.
const params = { N: 2 ** 15, r: 8, p: 1 };
const keyLength = 32;

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, keyLength, { ...options, maxmem: 128 * options.N! * options.r! * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash`, base64url parts: the parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of nothing anyone knows: verified against when a username does not exist, so both take as long. */
export const dummyHashPromise = hashPassword(randomBytes(18).toString('base64url'));

export const passwordRules = { minLength: 10, maxLength: 200 };

// The most used passwords of public breach lists that pass the length rule.
const commonPasswords = new Set([
  '1234567890', '12345678910', 'qwertyuiop', '1q2w3e4r5t', 'password12', 'password123', 'password1234',
  'iloveyou12', 'qwerty1234', 'qwerty12345', '0123456789', '1111111111', 'abcdefghij', 'passw0rd12',
  'administrator', 'welcome123', 'letmein123', 'changeme123', 'onewindow311',
]);

/** Why a new password is not acceptable, or null. Length over composition rules (NIST SP 800-63B). */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < passwordRules.minLength) return `must be at least ${passwordRules.minLength} characters long`;
  if (password.length > passwordRules.maxLength) return `must be at most ${passwordRules.maxLength} characters long`;
  const lower = password.toLowerCase();
  // Short usernames ("jo") occur inside ordinary words by chance; only longer ones give a password away.
  if (username.length >= 4 && lower.includes(username.toLowerCase())) return 'must not contain the username';
  if (commonPasswords.has(lower) || /^(.)\1+$/.test(password)) return 'is too common or too easy to guess';
  return null;
}
