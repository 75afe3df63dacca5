import type { Transporter } from 'nodemailer';
import { lazyRequire } from '../lazy-require.js';

/** Loaded when SMTP is configured, not by every server start. */
const nodemailer = lazyRequire<typeof import('nodemailer')>('nodemailer');

/** One plain-text email. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends email, or says it cannot (no SMTP_URL): callers then show links to people instead. */
export interface Mailer {
  readonly enabled: boolean;
  send(message: MailMessage): Promise<void>;
  /** For start-up output: where mail goes, without the password. */
  describe(): string;
}

/** No SMTP configured: nothing is sent. */
export const disabledMailer: Mailer = {
  enabled: false,
  async send() {
    throw new Error('Email is not configured (SMTP_URL is not set).');
  },
  describe: () => 'off (set SMTP_URL to send invitations, password resets and review notices)',
};

/** SMTP through nodemailer: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. */
export class SmtpMailer implements Mailer {
  readonly enabled = true;
  private readonly transport: Transporter;

  constructor(
    private readonly smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer().createTransport(smtpUrl);
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text });
  }

  describe(): string {
    const u = new URL(this.smtpUrl);
    return `${u.protocol}//${u.host} as ${this.from}`;
  }

  close(): void {
    this.transport.close();
  }
}

export function createMailer(settings: { smtpUrl?: string; mailFrom?: string; siteName?: string }): Mailer {
  if (!settings.smtpUrl) return disabledMailer;
  const host = new URL(settings.smtpUrl).hostname || 'localhost';
  const from = settings.mailFrom || `${settings.siteName ?? 'Dateline'} <newsroom@${host}>`;
  return new SmtpMailer(settings.smtpUrl, from);
}
