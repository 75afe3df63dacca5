import fc from 'fast-check';
import type { RouteEntry } from '../../src/http/route-table.js';

/** Values hostile clients send: NUL, lone surrogates, RTL overrides, huge and non-finite numbers, long strings. */
export const NASTY = [
  '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83d', '\u202e\u202dgnp.exe', '\u2028\u2029', '\ufeff', '\uffff',
  'Infinity', '-Infinity', 'NaN', '-1', '0', '1e400', '-0', '1.5', '0x10', '2147483648', '4294967296', '9007199254740993',
  '99999999999999999999999', '', ' ', '%', '%00', '%ZZ', '../../etc/passwd', "' or 1=1 --", '"', '\\', '<script>alert(1)</script>',
  'javascript:alert(1)', '{"$gt":""}', '[]', '{}', 'null', 'true', 'a'.repeat(300), 'ش'.repeat(5000), '🙂'.repeat(1000),
] as const;

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }).map((n) => String(n)) },
  { weight: 1, arbitrary: fc.nat({ max: 20_000 }).map((n) => 'x'.repeat(n)) },
);

const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -1, 1, 2147483647, 2147483648, Number.MAX_SAFE_INTEGER, 1e300, -1e300, 0.5, 1e-300),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A JSON leaf or a small tree of them, sometimes nested very deep. */
export const nastyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(nastyString, nastyNumber, fc.boolean(), fc.constant(null)),
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.dictionary(nastyString, tie('tree'), { maxKeys: 4 }),
  ),
})).tree;

const deep = fc.integer({ min: 20, max: 3000 }).map((depth) => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
});

/** Percent-encodes any JS string, lone surrogates included (as the bytes a hostile client would send). */
export function encodeLoose(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    out += code >= 0xd800 && code <= 0xdfff ? '%ED%A0%80' : encodeURIComponent(ch);
  }
  return out;
}

function propertiesOf(schema: unknown): string[] {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props) : [];
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  signedIn: boolean;
}

const headerValue = fc.oneof(
  fc.constantFrom('', 'Infinity', '*/*', 'x'.repeat(4000), 'W/"1"', '"abc", W/"def"', 'Thu, 01 Jan 1970 00:00:00 GMT', 'not a date', 'ar;q=Infinity, en;q=-1'),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => s.replace(/[\u0000-\u001f\u007f]/g, '')),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'multipart/form-data',
  `multipart/form-data; boundary=${'b'.repeat(300)}`,
  'multipart/form-data; boundary=x',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=latin1',
);

/**
 * Requests for one route: its path parameters, its known query parameters (plus unknown
 * ones), headers and a JSON (or deliberately malformed) body, all from the hostile values.
 */
export function requestFor(route: RouteEntry): fc.Arbitrary<FuzzRequest> {
  const params = [...route.url.matchAll(/:(\w+)|\*/g)].map((m) => m[1] ?? '*');
  const queryKeys = [...propertiesOf(route.schema?.querystring), 'page', 'limit', 'q', 'x\u0000'];
  const bodyKeys = propertiesOf(route.schema?.body);
  const hasBody = !['GET', 'HEAD', 'OPTIONS'].includes(route.method);
  const body: fc.Arbitrary<string | undefined> = hasBody
    ? fc.oneof(
        { weight: 4, arbitrary: fc.record(Object.fromEntries(bodyKeys.map((k) => [k, nastyJson])), { requiredKeys: [] }).map((o) => JSON.stringify(o)) },
        { weight: 1, arbitrary: nastyJson.map((v) => JSON.stringify(v) ?? 'null') },
        { weight: 1, arbitrary: deep.map((v) => JSON.stringify({ [bodyKeys[0] ?? 'a']: v })) },
        { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '\u0000', '--x\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nabc', '[' .repeat(5000)) },
        { weight: 1, arbitrary: fc.constant(undefined) },
      )
    : fc.constant(undefined);
  return fc
    .record({
      params: fc.tuple(...params.map(() => nastyString)),
      query: fc.array(fc.tuple(fc.constantFrom(...queryKeys), nastyString), { maxLength: 4 }),
      accept: fc.constantFrom('text/html', 'application/json', '*/*', 'application/problem+json'),
      language: headerValue,
      ifNoneMatch: fc.option(headerValue),
      ifModifiedSince: fc.option(headerValue),
      contentType,
      body,
      signedIn: fc.boolean(),
    })
    .map((r) => {
      let i = 0;
      const path = route.url.replace(/:(\w+)|\*/g, () => encodeLoose(r.params[i++] ?? ''));
      const qs = r.query.map(([k, v]) => `${encodeLoose(k)}=${encodeLoose(v)}`).join('&');
      const headers: Record<string, string> = { accept: r.accept, 'accept-language': r.language };
      if (r.ifNoneMatch !== null) headers['if-none-match'] = r.ifNoneMatch;
      if (r.ifModifiedSince !== null) headers['if-modified-since'] = r.ifModifiedSince;
      if (r.body !== undefined) headers['content-type'] = r.contentType;
      return { method: route.method, url: qs ? `${path}?${qs}` : path, headers, payload: r.body, signedIn: r.signedIn };
    });
}
