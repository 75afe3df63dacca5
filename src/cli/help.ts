/** The `dateline help` text: its own module so `help` answers without loading the server. */
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
  reindex [--search-only]  rebuild the search index and every related list
  user create --email E --name N --role R
                   create a newsroom account (owner, editor, author, contributor);
                   the password is read from standard input
  help             show this text

Configuration comes from environment variables (PORT, HOST, DATABASE_URL, DATA_DIR,
SITE_NAME, BASE_URL, SITE_TIMEZONE, DATELINE_FORMAT, SITE_LANGUAGES, …) and the
optional JSON file named by DATELINE_CONFIG (default ./dateline.config.json).
`;
