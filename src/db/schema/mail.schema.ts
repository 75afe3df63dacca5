import type { Generated } from 'kysely';

/** Password resets by email (migration 012). */
export interface MailTables {
  password_resets: PasswordResetTable;
}

export interface PasswordResetTable {
  id: Generated<number>;
  /** SHA-256 of the link's token; the token itself is only in the email. */
  token_hash: string;
  user_id: number;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}
