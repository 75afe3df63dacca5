/** The `dateline help` text: its own module so `help` answers without loading the server. */
import { IMPORT_KINDS } from '../domain/import-draft.js';

export const IMPORT_USAGE = `  import <kind> <path…> [--dry-run] [--report FILE] [--section SLUG] [--language TAG]
                   [--content-type ID] [--media-dir DIR] [--batch N] [--quiet] [--pages]
                   kinds: ${IMPORT_KINDS.join(', ')}; re-runs skip what is done (resumable)`;

export const ARCHIVE_USAGE = `${IMPORT_USAGE}
  import dateline <dir>  restore a "dateline export" into an empty instance
  export <dir>     write a portable archive (manifest.json, tables/*.jsonl, media/)
  backup <dir>     consistent online backup of the database and media while the site serves
  restore <dir>    bring a backup back into an empty instance (no database yet)`;

export const HELP = `dateline — news publishing platform

Usage: dateline <command> [options]

Commands:
  serve [--workers N]  run the site, API and media server (default); with
                   --workers, N processes share the port (purges over Redis/DB)
  migrate          apply database migrations and exit
  demo [--reset [--yes]]  load the demo newsroom (--reset replaces all content
                   after asking; --yes skips the question)
  jobs             run every due background job (renditions, …) and exit
  worker           run background jobs only, no web server
  reindex [--search-only] [--threads N]  rebuild the search index and every
                   related list; text analysis on N worker threads (default: one
                   fewer than the cores, at most 4; 0: none)
  user create --email E --name N --role R
                   create a newsroom account (owner, editor, author, contributor);
                   the password is read from standard input
${ARCHIVE_USAGE}
  help             show this text

Configuration comes from environment variables (PORT, HOST, DATABASE_URL, DATA_DIR,
SITE_NAME, BASE_URL, SITE_TIMEZONE, DATELINE_FORMAT, SITE_LANGUAGES, …) and the
optional JSON file named by DATELINE_CONFIG (default ./dateline.config.json).
`;
