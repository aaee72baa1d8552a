import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PositionMode } from '@legwork/domain';

/** A person using Legwork through a frontend. */
@Entity('users')
export class UserRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') email!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** A bearer token, stored only as its SHA-256 (the token itself is shown once, at creation). */
@Entity('api_tokens')
export class ApiTokenRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  @Column({ name: 'token_sha256', type: 'char', length: 64 }) tokenSha256!: string;
  @Column('text') role!: 'user' | 'operator';
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
}

export type ExchangeEnv = 'sim' | 'testnet' | 'mainnet';

export type AccountKeyStatus = 'ok' | 'refused';

/** A user's Bybit API key; the secret is AES-256-GCM ciphertext, decrypted only just before a call. */
@Entity('exchange_accounts')
export class ExchangeAccountRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  @Column({ name: 'exchange_env', type: 'text' }) exchangeEnv!: ExchangeEnv;
  @Column({ name: 'api_key', type: 'text' }) apiKey!: string;
  @Column({ name: 'api_secret_ciphertext', type: 'text' }) apiSecretCiphertext!: string;
  @Column({ name: 'encryption_key_id', type: 'text' }) encryptionKeyId!: string;
  /** Bybit position mode for USDT linear, as read (or switched) when the account was added. */
  @Column({ name: 'position_mode', type: 'text' }) positionMode!: PositionMode;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  /** `refused` once the exchange refused the key (auth error); `ok` again after a key rotation. */
  @Column({ name: 'key_status', type: 'text' }) keyStatus!: AccountKeyStatus;
  @Column({ name: 'key_refused_at', type: 'timestamptz', nullable: true }) keyRefusedAt!: Date | null;
  @Column({ name: 'key_refused_code', type: 'text', nullable: true }) keyRefusedCode!: string | null;
  @Column({ name: 'key_refused_reason', type: 'text', nullable: true }) keyRefusedReason!: string | null;
}
