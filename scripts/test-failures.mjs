// A node:test reporter that writes one short entry per failed test: file, the test's full name
// and the first lines of its error. scripts/test.mjs prints that list after the TAP, so the last
// lines of a long run (all a CI log may keep) say what failed.
// The message and the stack frames in our own code; node's internal frames say nothing here.
const firstLines = (text, n) =>
  String(text).split('\n').filter((line) => !/^\s*at .*(node:|node_modules|\(<anonymous>\)|Promise\.all)/.test(line) && line.trim() !== '').slice(0, n).join('\n    ');

export default async function* failures(source) {
  const names = new Map(); // file -> names of the tests open at each nesting level
  for await (const event of source) {
    if (event.type !== 'test:start' && event.type !== 'test:fail') continue;
    const { file = '?', name, nesting = 0 } = event.data;
    const path = names.get(file) ?? [];
    names.set(file, path);
    path.length = nesting;
    path[nesting] = name;
    if (event.type === 'test:start') continue;
    const error = event.data.details?.error;
    // A suite or test that failed only because a subtest did is named by that subtest's entry.
    if (error?.failureType === 'subtestsFailed') continue;
    const cause = error?.cause ?? error;
    const message = cause?.stack ?? cause?.message ?? String(cause);
    yield `not ok: ${file}\n  ${path.join(' › ')}\n    ${firstLines(message, 12)}\n`;
  }
}
