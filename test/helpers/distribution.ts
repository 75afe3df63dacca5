import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/distribution/', import.meta.url));

/** The XSD a sitemap document is checked against: the index schema, or the urlset schema with extensions. */
export function schemaFor(xml: string): string {
  return join(FIXTURES, /<sitemapindex[\s>]/.test(xml) ? 'siteindex.xsd' : 'all.xsd');
}

/** Validates with `xmllint --schema` (libxml2-utils); resolves to xmllint's output, rejects with it on failure. */
export async function xmllintValidate(xml: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dateline-xmllint-'));
  const file = join(dir, 'doc.xml');
  try {
    await writeFile(file, xml);
    return await new Promise<string>((resolve, reject) => {
      execFile('xmllint', ['--noout', '--nonet', '--schema', schemaFor(xml), file], (err, stdout, stderr) => {
        if (err) reject(new Error(`xmllint rejected the document:\n${stderr}\n${xml.slice(0, 2000)}`));
        else resolve(stdout + stderr);
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const JSON_FEED_SCHEMA = join(FIXTURES, 'jsonfeed-schema-v1.1.json');

/** Checks that a document is well-formed XML with `xmllint --noout`. */
export async function xmllintWellFormed(xml: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'dateline-xmllint-'));
  const file = join(dir, 'doc.xml');
  try {
    await writeFile(file, xml);
    await new Promise<void>((resolve, reject) => {
      execFile('xmllint', ['--noout', '--nonet', file], (err, _stdout, stderr) => (err ? reject(new Error(`not well-formed XML:\n${stderr}`)) : resolve()));
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
