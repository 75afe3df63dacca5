import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS package loaded on its first use instead of at start-up: jsdom alone is
 * ~480 files that every `serve` read and compiled though only an import of saved pages
 * uses it (`npm run bench:boot`). Type it with `typeof import('name')`.
 */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}

/** The same for an ES module (or any async load): `lazyImport(() => import('feed'))`, loaded once, on first call. */
export function lazyImport<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => (loading ??= load());
}
