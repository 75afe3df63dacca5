import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { createMailer, disabledMailer } from '../src/services/mail/mailer.js';

const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: '/tmp/dateline-mail-config', ...env }, '/tmp');

test('SMTP_URL and MAIL_FROM: off by default, checked when set, with messages that say what is expected', () => {
  const plain = load({});
  assert.equal(plain.smtpUrl, '');
  assert.equal(createMailer(plain), disabledMailer);

  const on = load({ SMTP_URL: 'smtp://user:secret@mail.example.org:587', MAIL_FROM: 'Newsroom <newsroom@example.org>' });
  assert.equal(on.smtpUrl, 'smtp://user:secret@mail.example.org:587');
  const mailer = createMailer(on);
  assert.equal(mailer.enabled, true);
  assert.equal(mailer.describe(), 'smtp://mail.example.org:587 as Newsroom <newsroom@example.org>', 'no password in what is printed');
  assert.match(createMailer({ smtpUrl: 'smtps://mail.example.org', siteName: 'Daily' }).describe(), /as Daily <newsroom@mail\.example\.org>/);

  const problems = (env: Record<string, string>) => {
    try {
      load(env);
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      return err.problems.join('\n');
    }
    return '';
  };
  assert.match(problems({ SMTP_URL: 'mail.example.org' }), /SMTP_URL: must be a URL such as smtp:\/\/user:password@mail\.example\.org:587/);
  assert.match(problems({ SMTP_URL: 'http://mail.example.org' }), /SMTP_URL: must start with smtp:\/\/ or smtps:\/\//);
  assert.match(problems({ MAIL_FROM: 'newsroom' }), /MAIL_FROM: must be an address such as newsroom@example\.org/);
  assert.equal(problems({ MAIL_FROM: 'desk@example.org' }), '');
});
