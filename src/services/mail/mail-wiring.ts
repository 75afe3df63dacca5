import type { Kysely } from 'kysely';
import type { Config } from '../../config/config.js';
import { PasswordResetRepository } from '../../db/repositories/password-reset.repository.js';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../clock.js';
import type { Newsroom } from '../newsroom.js';
import { createMailer, type Mailer } from './mailer.js';
import { DEFAULT_MAIL_POLICY, NewsroomMailService } from './newsroom-mail.service.js';

/**
 * The mail service over the configured SMTP server (or none), subscribed to the
 * workflow so a submit tells the editors.
 */
export function createNewsroomMail(
  db: Kysely<Database>,
  newsroom: Newsroom,
  config: Partial<Pick<Config, 'smtpUrl' | 'mailFrom' | 'baseUrl' | 'siteName'>>,
  clock: Clock,
  warn?: (message: string) => void,
  mailer: Mailer = createMailer(config),
): NewsroomMailService {
  const log = (message: string, err?: unknown) => warn?.(err ? `${message}: ${(err as Error).message ?? String(err)}` : message);
  const mail = new NewsroomMailService(
    db,
    mailer,
    newsroom.repos,
    new PasswordResetRepository(db),
    newsroom.audit,
    clock,
    { baseUrl: config.baseUrl ?? 'http://127.0.0.1:3000', siteName: config.siteName ?? 'Dateline' },
    log,
    { ...DEFAULT_MAIL_POLICY, inviteTokenMs: newsroom.auth.policy.inviteTokenMs },
    (email) => newsroom.auth.liftLockout(email),
  );
  // Notices go out after the submit is committed and answered: the editor does not wait for SMTP.
  newsroom.workflow.onArticleChanged((articleId, change) => {
    if (change === 'submit') void mail.notifySubmitted(articleId);
  });
  return mail;
}
