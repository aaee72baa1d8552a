import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { PositionMode } from '@legwork/domain';
import { ApiTokenRecord, ExchangeAccountRecord, ExchangeEnv, UserRecord } from '../records/identity.records';
import { SecretCipher } from '../crypto/secret-cipher';
import { isUniqueViolation, PersistenceError } from '../persistence-error';
import { OutboxMessage, writeOutbox } from '@legwork/outbox';

/** The caller behind a bearer token. */
export interface Principal {
  userId: string;
  role: 'user' | 'operator';
}

/** SHA-256 hex of a bearer token: the only form in which tokens are stored. */
export function tokenSha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Users, their bearer tokens and their exchange accounts. */
export class IdentityRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: SecretCipher,
  ) {}

  /**
   * Creates a user and a bearer token (`lw_` + 32 random bytes, base64url). The token is returned
   * once and stored only as its SHA-256.
   * @throws PersistenceError `USER.EMAIL_TAKEN`
   */
  async createUser(email: string, role: 'user' | 'operator' = 'user'): Promise<{ user: UserRecord; token: string; tokenId: string }> {
    const id = randomUUID();
    try {
      const { token, tokenId } = await this.dataSource.transaction(async (m) => {
        await m.insert(UserRecord, { id, email });
        return this.issueToken(m, id, role);
      });
      return { user: await this.dataSource.getRepository(UserRecord).findOneByOrFail({ id }), token, tokenId };
    } catch (error) {
      if (isUniqueViolation(error)) throw new PersistenceError('USER.EMAIL_TAKEN', `a user with email ${email} exists`);
      throw error;
    }
  }

  /** A new bearer token for an existing user (shown once). @throws PersistenceError `USER.NOT_FOUND` */
  async createToken(userId: string, role: 'user' | 'operator' = 'user'): Promise<{ token: string; tokenId: string }> {
    if (!(await this.findUser(userId))) throw new PersistenceError('USER.NOT_FOUND', `user ${userId} does not exist`);
    return this.dataSource.transaction((m) => this.issueToken(m, userId, role));
  }

  /** Revokes a token: from now on it authenticates nobody. @throws PersistenceError `TOKEN.NOT_FOUND` */
  async revokeToken(tokenId: string): Promise<void> {
    const result = await this.dataSource
      .getRepository(ApiTokenRecord)
      .update({ id: tokenId, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) throw new PersistenceError('TOKEN.NOT_FOUND', `no active token ${tokenId}`);
  }

  private async issueToken(m: EntityManager, userId: string, role: 'user' | 'operator'): Promise<{ token: string; tokenId: string }> {
    const token = `lw_${randomBytes(32).toString('base64url')}`;
    const tokenId = randomUUID();
    await m.insert(ApiTokenRecord, { id: tokenId, userId, tokenSha256: tokenSha256(token), role });
    return { token, tokenId };
  }

  /**
   * The principal of a valid, unrevoked token, or null. The lookup is by the token's SHA-256 (the
   * token itself is never stored); the stored digest is then compared in constant time, so
   * response timing says nothing about how much of a guess matched.
   */
  async authenticate(token: string): Promise<Principal | null> {
    const digest = tokenSha256(token);
    // Plain SQL: this runs on every API request.
    const [row] = (await this.dataSource.query(
      'SELECT user_id, role, token_sha256 FROM api_tokens WHERE token_sha256 = $1 AND revoked_at IS NULL',
      [digest],
    )) as {
      user_id: string;
      role: Principal['role'];
      token_sha256: string;
    }[];
    if (!row || !timingSafeEqual(Buffer.from(row.token_sha256, 'hex'), Buffer.from(digest, 'hex'))) return null;
    return { userId: row.user_id, role: row.role };
  }

  findUser(id: string): Promise<UserRecord | null> {
    return this.dataSource.getRepository(UserRecord).findOneBy({ id });
  }

  /**
   * Stores an exchange API key for a user, the secret sealed with AES-256-GCM.
   * @throws PersistenceError `ACCOUNT.DUPLICATE_KEY`, `USER.NOT_FOUND`
   */
  async addAccount(input: {
    userId: string;
    exchangeEnv: ExchangeEnv;
    apiKey: string;
    apiSecret: string;
    positionMode?: PositionMode;
  }): Promise<ExchangeAccountRecord> {
    if (!(await this.findUser(input.userId))) throw new PersistenceError('USER.NOT_FOUND', `user ${input.userId} does not exist`);
    const sealed = this.cipher.seal(input.apiSecret);
    const id = randomUUID();
    try {
      await this.dataSource.getRepository(ExchangeAccountRecord).insert({
        id,
        userId: input.userId,
        exchangeEnv: input.exchangeEnv,
        apiKey: input.apiKey,
        apiSecretCiphertext: sealed.ciphertext,
        encryptionKeyId: sealed.keyId,
        positionMode: input.positionMode ?? 'one_way',
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new PersistenceError('ACCOUNT.DUPLICATE_KEY', 'this API key is already registered for that environment');
      }
      throw error;
    }
    return this.dataSource.getRepository(ExchangeAccountRecord).findOneByOrFail({ id });
  }

  /** Ids of a user's exchange accounts, oldest first (plain SQL: on the accept path). */
  async accountIds(userId: string): Promise<string[]> {
    return (await this.accountModes(userId)).map((r) => r.id);
  }

  /** A user's exchange accounts with their position mode, oldest first (plain SQL: on the accept path). */
  async accountModes(userId: string): Promise<{ id: string; positionMode: PositionMode }[]> {
    return (await this.dataSource.query(
      'SELECT id, position_mode AS "positionMode" FROM exchange_accounts WHERE user_id = $1 ORDER BY created_at',
      [userId],
    )) as { id: string; positionMode: PositionMode }[];
  }

  listAccounts(userId: string): Promise<ExchangeAccountRecord[]> {
    return this.dataSource.getRepository(ExchangeAccountRecord).find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  /** Every exchange account, or one user's, oldest first (for operators). */
  listAllAccounts(userId?: string): Promise<ExchangeAccountRecord[]> {
    return this.dataSource.getRepository(ExchangeAccountRecord).find({ where: userId ? { userId } : {}, order: { createdAt: 'ASC' } });
  }

  /**
   * Marks an account's API key refused by the exchange at `refusedAt`, once: only an account still
   * `ok` changes, and only then is `alert` written to the outbox, in the same transaction — so
   * however many scans or replicas see the refusal, its owner is alerted once per refusal.
   * @returns true when this call marked it (false: already refused, or no such account)
   */
  async markKeyRefused(
    accountId: string,
    refusal: { code: string; reason: string },
    refusedAt: Date,
    alert: OutboxMessage,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      // In a CTE so that the driver answers rows (a bare UPDATE … RETURNING answers [rows, count]).
      const [row] = (await m.query(
        `WITH marked AS (
           UPDATE exchange_accounts SET key_status = 'refused', key_refused_at = $4, key_refused_code = $2, key_refused_reason = $3
           WHERE id = $1 AND key_status = 'ok' RETURNING id)
         SELECT * FROM marked`,
        [accountId, refusal.code, refusal.reason.slice(0, 500), refusedAt],
      )) as { id: string }[];
      if (!row) return false;
      await writeOutbox(m, alert);
      return true;
    });
  }

  /** How many accounts have a key the exchange refused (for the `exchange_accounts_key_refused` gauge). */
  async countKeyRefused(): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM exchange_accounts WHERE key_status = 'refused'`)) as {
      n: number;
    }[];
    return row?.n ?? 0;
  }

  /** One exchange account, or null. Plain SQL: read for every basket and every scan. */
  async findAccount(id: string): Promise<ExchangeAccountRecord | null> {
    const rows = (await this.dataSource.query(
      `SELECT id, user_id AS "userId", exchange_env AS "exchangeEnv", api_key AS "apiKey",
              api_secret_ciphertext AS "apiSecretCiphertext", encryption_key_id AS "encryptionKeyId",
              position_mode AS "positionMode", created_at AS "createdAt", key_status AS "keyStatus",
              key_refused_at AS "keyRefusedAt", key_refused_code AS "keyRefusedCode", key_refused_reason AS "keyRefusedReason"
         FROM exchange_accounts WHERE id = $1`,
      [id],
    )) as ExchangeAccountRecord[];
    return rows[0] ?? null;
  }

  /**
   * Replaces an account's API key and secret (a key rotation on Bybit): the account, and every
   * position on it, stays the same, and a key marked refused is `ok` again (the caller checked
   * the new key on the exchange first). @throws PersistenceError `ACCOUNT.NOT_FOUND`, `ACCOUNT.DUPLICATE_KEY`
   */
  async replaceApiKey(accountId: string, apiKey: string, apiSecret: string): Promise<ExchangeAccountRecord> {
    const sealed = this.cipher.seal(apiSecret);
    try {
      const result = await this.dataSource.getRepository(ExchangeAccountRecord).update(
        { id: accountId },
        {
          apiKey,
          apiSecretCiphertext: sealed.ciphertext,
          encryptionKeyId: sealed.keyId,
          keyStatus: 'ok',
          keyRefusedAt: null,
          keyRefusedCode: null,
          keyRefusedReason: null,
        },
      );
      if (!result.affected) throw new PersistenceError('ACCOUNT.NOT_FOUND', `exchange account ${accountId} does not exist`);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new PersistenceError('ACCOUNT.DUPLICATE_KEY', 'this API key is already registered for that environment');
      throw error;
    }
    return this.dataSource.getRepository(ExchangeAccountRecord).findOneByOrFail({ id: accountId });
  }

  /**
   * Re-seals every stored secret that is not under the active encryption key (key rotation).
   * Each row is updated only if it still holds the ciphertext read, so a concurrent change wins.
   * @returns how many secrets were re-sealed; safe to run again.
   * @throws Error when a secret is sealed under a key that is not configured any more
   */
  async resealAll(): Promise<number> {
    const accounts = await this.dataSource.getRepository(ExchangeAccountRecord).find();
    let resealed = 0;
    for (const account of accounts) {
      if (account.encryptionKeyId === this.cipher.activeKeyId) continue;
      const sealed = this.cipher.seal(this.revealSecret(account));
      const result = await this.dataSource
        .getRepository(ExchangeAccountRecord)
        .update(
          { id: account.id, apiSecretCiphertext: account.apiSecretCiphertext },
          { apiSecretCiphertext: sealed.ciphertext, encryptionKeyId: sealed.keyId },
        );
      resealed += result.affected ?? 0;
    }
    return resealed;
  }

  /** Decrypts an account's API secret. Call only just before an exchange request; never log it. */
  revealSecret(account: ExchangeAccountRecord): string {
    return this.cipher.open({ keyId: account.encryptionKeyId, ciphertext: account.apiSecretCiphertext });
  }
}
