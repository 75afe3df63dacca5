import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { NewsroomRepositories } from '../../db/repositories/newsroom-repositories.js';
import type { PasswordResetRepository } from '../../db/repositories/password-reset.repository.js';
import type { Database } from '../../db/schema.js';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import type { Principal } from '../../domain/roles.js';
import { normalizeEmail } from '../../domain/user.js';
import type { AuditService } from '../audit.service.js';
import { validatePassword, principalOfUser } from '../auth.service.js';
import type { Clock } from '../clock.js';
import { hashPassword } from '../passwords.js';
import { mailMessages } from './mail-messages.js';
import type { Mailer } from './mailer.js';

const MINUTE = 60_000;

export interface NewsroomMailPolicy {
  /** A reset link expires this long after it was made. */
  resetTokenMs: number;
  /** At most this many reset links per account and hour (no mail-bombing a colleague). */
  resetsPerHour: number;
  /** Invitation links' lifetime, for the wording of the email. */
  inviteTokenMs: number;
}

export const DEFAULT_MAIL_POLICY: NewsroomMailPolicy = { resetTokenMs: 60 * MINUTE, resetsPerHour: 3, inviteTokenMs: 7 * 24 * 60 * MINUTE };

/** What became of an email the app tried to send on someone's behalf. */
export interface Delivery {
  emailed: boolean;
  /** Why it was not sent, for the person who asked (the link is then shown to them). */
  error: string | null;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The newsroom's email: invitations, password resets (one-time links that expire) and
 * "submitted for review" notices to editors. Without SMTP nothing is sent and callers
 * show links to the owner instead.
 */
export class NewsroomMailService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly mailer: Mailer,
    private readonly repos: Pick<NewsroomRepositories, 'users' | 'sessions' | 'revisions' | 'adminArticles'>,
    private readonly resets: PasswordResetRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly site: { baseUrl: string; siteName: string },
    private readonly log: (message: string, err?: unknown) => void = () => undefined,
    readonly policy: NewsroomMailPolicy = DEFAULT_MAIL_POLICY,
    /** Lifts an account's sign-in lock wherever it is kept (database or Redis). */
    private readonly liftLockout: (email: string) => Promise<void> = (email) => repos.sessions.clearThrottle(`account:${email}`),
  ) {}

  get enabled(): boolean {
    return this.mailer.enabled;
  }

  private link(path: string): string {
    return `${this.site.baseUrl}${path}`;
  }

  resetUrl(token: string): string {
    return this.link(`/admin/reset-password?token=${encodeURIComponent(token)}`);
  }

  /** Emails an invitation link; never throws (the owner is shown the link when it fails). */
  async sendInvitation(invitee: { email: string; name: string; role: string }, inviteUrl: string, inviter: Principal): Promise<Delivery> {
    if (!this.mailer.enabled) return { emailed: false, error: null };
    try {
      await this.mailer.send(
        mailMessages.invitation({
          to: invitee.email,
          name: invitee.name,
          role: invitee.role,
          inviter: inviter.name,
          site: this.site.siteName,
          url: inviteUrl,
          days: Math.round(this.policy.inviteTokenMs / (24 * 60 * MINUTE)),
        }),
      );
      return { emailed: true, error: null };
    } catch (err) {
      this.log(`invitation email to ${invitee.email} failed`, err);
      return { emailed: false, error: `The email could not be sent (${(err as Error).message}); send the link yourself.` };
    }
  }

  private async createResetToken(userId: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock();
    await this.resets.insert({ hash: sha256(token), userId, expiresAt: now + this.policy.resetTokenMs }, now);
    return token;
  }

  private async mailReset(user: { email: string; name: string }, token: string): Promise<void> {
    await this.mailer.send(
      mailMessages.passwordReset({ to: user.email, name: user.name, site: this.site.siteName, url: this.resetUrl(token), minutes: Math.round(this.policy.resetTokenMs / MINUTE) }),
    );
  }

  /**
   * "Forgot password" on the sign-in screen. The answer is the same whether or not the
   * address has an account, so it tells nobody who works here.
   */
  async requestPasswordReset(emailInput: string): Promise<void> {
    if (!this.mailer.enabled) {
      throw new DomainError('MAIL_NOT_CONFIGURED', text('mailOff'));
    }
    const user = await this.repos.users.findByEmail(normalizeEmail(emailInput));
    if (!user || user.disabled) return;
    const now = this.clock();
    if ((await this.resets.countSince(user.id, now - 60 * MINUTE)) >= this.policy.resetsPerHour) return;
    const token = await this.createResetToken(user.id);
    await this.audit.record(null, 'user.password-reset-requested', `user:${user.id}`, `Reset link emailed to ${user.email}`);
    try {
      await this.mailReset(user, token);
    } catch (err) {
      this.log(`password reset email to ${user.email} failed`, err);
    }
  }

  /** An owner resets someone's password: emailed to them, or (no SMTP, or it failed) a link for the owner to pass on. */
  async ownerPasswordReset(actor: Principal, userId: number): Promise<Delivery & { resetUrl: string | null }> {
    const user = await this.repos.users.findById(userId);
    if (!user) throw new DomainError('USER_NOT_FOUND', text('userNotFound', { id: String(userId) }));
    if (user.disabled) throw new DomainError('VALIDATION_FAILED', text('userDisabled', { name: user.name }));
    const token = await this.createResetToken(user.id);
    await this.audit.record(actor, 'user.password-reset', `user:${user.id}`, `Reset link for ${user.email}`);
    if (this.mailer.enabled) {
      try {
        await this.mailReset(user, token);
        return { emailed: true, error: null, resetUrl: null };
      } catch (err) {
        this.log(`password reset email to ${user.email} failed`, err);
        return { emailed: false, error: `The email could not be sent (${(err as Error).message}); send the link yourself.`, resetUrl: this.resetUrl(token) };
      }
    }
    return { emailed: false, error: null, resetUrl: this.resetUrl(token) };
  }

  /**
   * Sets a new password with a reset link: the link and every other open link of the
   * account stop working, every session of the account ends and a sign-in lockout is lifted.
   */
  async completePasswordReset(token: string, password: string): Promise<{ email: string }> {
    validatePassword(password);
    const passwordHash = await hashPassword(password);
    const now = this.clock();
    const user = await this.db.transaction().execute(async (trx) => {
      const userId = await this.resets.consume(sha256(token), now, trx);
      const user = userId === null ? null : await this.repos.users.findById(userId, trx);
      if (!user || user.disabled) {
        throw new DomainError('INVALID_TOKEN', text('resetLinkInvalid'));
      }
      await this.repos.users.update(user.id, { passwordHash }, now, trx);
      await this.repos.sessions.revokeAllOf(user.id, now, trx);
      await this.audit.record(principalOfUser(user), 'user.password-changed', `user:${user.id}`, `${user.email} set a new password with a reset link (sessions ended)`, trx);
      return user;
    });
    await this.liftLockout(user.email);
    return { email: user.email };
  }

  /**
   * Tells every active editor and owner (but the one who submitted) that an article
   * waits for review. Never throws: a failed notice must not fail a committed submit.
   */
  async notifySubmitted(articleId: number): Promise<number> {
    if (!this.mailer.enabled) return 0;
    try {
      const article = await this.repos.adminArticles.find(articleId);
      if (!article || article.status !== 'submitted') return 0;
      const submit = await this.repos.revisions.findPrevious(articleId, 2_147_483_647);
      const submitterId = submit?.action === 'submit' ? submit.user_id : null;
      const by = submit?.actor_name ?? article.authorName ?? 'Someone';
      const recipients = (await this.repos.users.list()).filter(
        (u) => (u.role === 'editor' || u.role === 'owner') && !u.disabled && u.password_hash !== null && u.id !== submitterId,
      );
      let sent = 0;
      for (const u of recipients) {
        try {
          await this.mailer.send(
            mailMessages.submittedForReview({ to: u.email, name: u.name, site: this.site.siteName, headline: article.headline, by, url: this.link(`/admin/articles/${articleId}`) }),
          );
          sent++;
        } catch (err) {
          this.log(`review notice to ${u.email} failed`, err);
        }
      }
      return sent;
    } catch (err) {
      this.log(`review notices for article ${articleId} failed`, err);
      return 0;
    }
  }
}
