import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A 256-bit key with the id stored beside every ciphertext it produced (for rotation). */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** Ciphertext as stored: `base64(nonce ‖ authTag ‖ ciphertext)` plus the id of the key used. */
export interface SealedSecret {
  keyId: string;
  ciphertext: string;
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for exchange API secrets at rest (node:crypto). A fresh random 96-bit nonce per
 * encryption; the key id travels with the ciphertext so old rows stay readable after the active
 * key changes. Decrypt only just before an exchange call; never log the result.
 */
export class SecretCipher {
  private readonly keys: Map<string, Buffer>;

  /**
   * @param active the key new secrets are sealed with
   * @param older keys still accepted for decryption
   * @throws Error when a key is not exactly 32 bytes
   */
  constructor(
    private readonly active: EncryptionKey,
    older: EncryptionKey[] = [],
  ) {
    this.keys = new Map([...older, active].map((k) => [k.id, k.key]));
    for (const [id, key] of this.keys) {
      if (key.length !== 32) throw new Error(`encryption key ${id} must be 32 bytes, got ${key.length}`);
    }
  }

  /** Id of the key new secrets are sealed with. */
  get activeKeyId(): string {
    return this.active.id;
  }

  seal(plaintext: string): SealedSecret {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.active.key, nonce);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.active.id, ciphertext: Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64') };
  }

  /** @throws Error for an unknown key id or a ciphertext that fails authentication. */
  open(sealed: SealedSecret): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`no encryption key with id ${sealed.keyId} is configured`);
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES));
    decipher.setAuthTag(raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/**
 * Parses `ENCRYPTION_KEYS`: comma-separated `id:base64key` entries, the first being the active key.
 * @throws Error naming the malformed entry.
 */
export function parseEncryptionKeys(spec: string): { active: EncryptionKey; older: EncryptionKey[] } {
  const keys = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const sep = entry.indexOf(':');
      if (sep <= 0) throw new Error(`ENCRYPTION_KEYS entry must be id:base64key (entry ${entry.slice(0, 8)}…)`);
      return { id: entry.slice(0, sep), key: Buffer.from(entry.slice(sep + 1), 'base64') };
    });
  const [active, ...older] = keys;
  if (!active) throw new Error('ENCRYPTION_KEYS is empty');
  return { active, older };
}
