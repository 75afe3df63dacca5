import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Services } from '../services/index.js';

/** The password from standard input: typed without echo on a terminal, else the first line piped in. */
export async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let data = '';
    for await (const chunk of stdin) data += String(chunk);
    return (data.split(/\r?\n/)[0] ?? '').trimEnd();
  }
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: stdin, output, terminal: true });
  process.stdout.write(prompt);
  muted = true;
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stdout.write('\n');
  return answer;
}

/** `dateline user create --email E --name N --role R` (password on standard input). */
export async function createUserCommand(services: Services, options: { email?: string; name?: string; role?: string }, say: (m: string) => void): Promise<void> {
  const { email, name, role } = options;
  if (!email || !name || !role) {
    throw new Error('usage: dateline user create --email E --name N --role owner|editor|author|contributor  (password on standard input)');
  }
  const password = await readPassword('Password (at least 10 characters): ');
  const user = await services.newsroom.auth.createUserWithPassword({ email, name, role, password });
  say(`Created ${user.role} ${user.name} <${user.email}> (id ${user.id}).`);
}
