import type { MailMessage } from './mailer.js';

/**
 * The newsroom's emails, in plain text (every client shows them and links stay
 * clickable). Links are absolute, built from BASE_URL.
 */
export const mailMessages = {
  invitation(p: { to: string; name: string; inviter: string; role: string; site: string; url: string; days: number }): MailMessage {
    return {
      to: p.to,
      subject: `${p.inviter} invited you to the ${p.site} newsroom`,
      text: [
        `Hello ${p.name},`,
        '',
        `${p.inviter} invited you to join the ${p.site} newsroom as ${/^[aeiou]/.test(p.role) ? 'an' : 'a'} ${p.role}.`,
        `Open this link to choose your password (it works once and expires in ${p.days} days):`,
        '',
        p.url,
        '',
        'If you did not expect this, ignore this message.',
      ].join('\n'),
    };
  },

  passwordReset(p: { to: string; name: string; site: string; url: string; minutes: number }): MailMessage {
    return {
      to: p.to,
      subject: `Reset your ${p.site} newsroom password`,
      text: [
        `Hello ${p.name},`,
        '',
        'Someone (we hope you) asked to reset the password of your newsroom account.',
        `Open this link to choose a new one (it works once and expires in ${p.minutes} minutes):`,
        '',
        p.url,
        '',
        'If you did not ask, ignore this message: your password stays as it is.',
      ].join('\n'),
    };
  },

  submittedForReview(p: { to: string; name: string; site: string; headline: string; by: string; url: string }): MailMessage {
    return {
      to: p.to,
      subject: `For review: ${p.headline}`,
      text: [
        `Hello ${p.name},`,
        '',
        `${p.by} submitted an article for review in the ${p.site} newsroom:`,
        '',
        `  ${p.headline}`,
        '',
        `Open it: ${p.url}`,
      ].join('\n'),
    };
  },
};
