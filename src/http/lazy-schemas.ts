import type AjvCompilerModule from '@fastify/ajv-compiler';
import type SerializerModule from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';
import { lazyRequire } from '../services/lazy-require.js';

// Loaded with the first schema compiled: Ajv and fast-json-stringify are ~130 modules.
const ajvCompiler = lazyRequire<typeof AjvCompilerModule>('@fastify/ajv-compiler');
const serializerSelector = lazyRequire<typeof SerializerModule>('@fastify/fast-json-stringify-compiler');

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's route schemas, compiled on first use (see LazySchemas). */
    lazySchemas: LazySchemas;
  }
}

type Factories = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type ValidatorFactory = NonNullable<Factories['buildValidator']>;
type SerializerFactory = NonNullable<Factories['buildSerializer']>;
/** A compiler pool: (shared schemas, options) → (route schema) → compiled function. */
type Pool<F> = (external: unknown, options: unknown) => (route: unknown) => F;
type Validate = ((data: unknown, context?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown };

/**
 * Route schemas compiled on a route's first request instead of at start-up (issue 14: a
 * process serves in < 2 s; compiling every route's validators and serializers was ~350 ms
 * of each start, mostly for newsroom and API routes a public process may never see).
 * The compilers are Fastify's own (Ajv with the app's options, fast-json-stringify), with
 * the same shared schemas; only the moment changes. A schema that does not compile fails
 * its route's first request with a 500 instead of the start: `compileAll()` compiles every
 * one, and a test calls it so a broken schema still fails CI.
 */
export class LazySchemas {
  private readonly pending = new Set<() => void>();
  private validators?: Pool<Validate>;
  private serializers?: Pool<(data: unknown) => string>;
  /** Schemas compiled so far (validators and serializers). */
  compiled = 0;

  readonly factories: { buildValidator: ValidatorFactory; buildSerializer: SerializerFactory } = {
    buildValidator: ((externalSchemas: unknown, options: unknown) => {
      let compiler: ReturnType<Pool<Validate>> | undefined;
      return (route: { schema: unknown; method: string; url: string; httpPart?: string }) => {
        // Fastify lower-cases header schemas only for its built-in compiler; none of ours has one.
        if (route.httpPart === 'headers') throw new Error(`${route.method} ${route.url}: header schemas are not supported (LazySchemas would not lower-case their names)`);
        // One pool for the app, as Fastify's default: contexts with the same shared schemas share one Ajv.
        const compile = this.once(() => (compiler ??= (this.validators ??= ajvCompiler()() as unknown as Pool<Validate>)(externalSchemas, options))(route));
        const validate: Validate = (data, context) => {
          const real = compile();
          const ok = real(data, context);
          validate.errors = real.errors;
          return ok;
        };
        // Fastify passes the parent object (so Ajv may coerce a root value) when the function has a schemaEnv.
        Object.defineProperty(validate, 'schemaEnv', { get: () => compile().schemaEnv });
        return validate;
      };
    }) as unknown as ValidatorFactory,
    buildSerializer: ((externalSchemas: unknown, options: unknown) => {
      let compiler: ReturnType<Pool<(data: unknown) => string>> | undefined;
      return (route: unknown) => {
        const compile = this.once(() => (compiler ??= (this.serializers ??= serializerSelector()() as unknown as Pool<(data: unknown) => string>)(externalSchemas, options))(route));
        return (data: unknown) => compile()(data);
      };
    }) as unknown as SerializerFactory,
  };

  /** Compiles every schema not compiled yet; throws the first compilation error. */
  compileAll(): void {
    for (const compile of [...this.pending]) compile();
  }

  private once<T>(compile: () => T): () => T {
    let done: { value: T } | null = null;
    const run = () => {
      if (!done) {
        done = { value: compile() };
        this.pending.delete(run);
        this.compiled++;
      }
      return done.value;
    };
    this.pending.add(run);
    return run;
  }
}
