import { randomBytes } from 'node:crypto';
import { SecretCipher, parseEncryptionKeys } from './secret-cipher';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

describe('SecretCipher (AES-256-GCM)', () => {
  it('round-trips and never repeats a ciphertext for the same secret', () => {
    const cipher = new SecretCipher(k1);
    const a = cipher.seal('s3cret');
    const b = cipher.seal('s3cret');
    expect(a.ciphertext).not.toEqual(b.ciphertext);
    expect(a.ciphertext).not.toContain('s3cret');
    expect(cipher.open(a)).toBe('s3cret');
  });

  it('reads secrets sealed under an older key after rotation', () => {
    const sealed = new SecretCipher(k1).seal('old');
    const rotated = new SecretCipher(k2, [k1]);
    expect(rotated.open(sealed)).toBe('old');
    expect(rotated.seal('new').keyId).toBe('k2');
  });

  it('refuses tampered ciphertext and unknown key ids', () => {
    const cipher = new SecretCipher(k1);
    const sealed = cipher.seal('value');
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => cipher.open({ keyId: 'k1', ciphertext: raw.toString('base64') })).toThrow();
    expect(() => cipher.open({ keyId: 'nope', ciphertext: sealed.ciphertext })).toThrow(/no encryption key with id nope/);
  });

  it('parses ENCRYPTION_KEYS with the first entry active', () => {
    const spec = `a:${k1.key.toString('base64')}, b:${k2.key.toString('base64')}`;
    const { active, older } = parseEncryptionKeys(spec);
    expect(active.id).toBe('a');
    expect(older.map((k) => k.id)).toEqual(['b']);
    expect(() => parseEncryptionKeys('nocolon')).toThrow(/id:base64key/);
    expect(() => new SecretCipher({ id: 'x', key: Buffer.alloc(16) })).toThrow(/32 bytes/);
  });
});
