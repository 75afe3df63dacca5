import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import i18next from 'i18next';

/**
 * The newsroom app's message catalogs (admin/src/locales/*.json): every language has every key,
 * every counted message has each plural form its language needs (Arabic six, English and Persian
 * two), placeholders survive translation, and i18next picks the right Arabic form for each count.
 */
const DIR = 'admin/src/locales';
type Catalog = { [key: string]: string | Catalog };
const PLURAL_FORMS = ['zero', 'one', 'two', 'few', 'many', 'other'];

const catalogs: Record<string, Catalog> = Object.fromEntries(
  readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(`${DIR}/${f}`, 'utf8')) as Catalog]),
);

function flatten(c: Catalog, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(c)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [fk, fv] of flatten(v, `${prefix}${k}.`)) out.set(fk, fv);
  }
  return out;
}

/** Messages by key, with plural forms grouped under their base key. */
function messages(c: Catalog): { plain: Map<string, string>; plural: Map<string, Map<string, string>> } {
  const plain = new Map<string, string>();
  const plural = new Map<string, Map<string, string>>();
  for (const [key, value] of flatten(c)) {
    const m = /^(.*)_(zero|one|two|few|many|other)$/.exec(key);
    if (m) {
      if (!plural.has(m[1]!)) plural.set(m[1]!, new Map());
      plural.get(m[1]!)!.set(m[2]!, value);
    } else plain.set(key, value);
  }
  return { plain, plural };
}

const placeholders = (s: string) => new Set([...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!));
const en = messages(catalogs.en!);

describe('admin message catalogs', () => {
  it('has English, Arabic and Persian', () => {
    assert.deepEqual(Object.keys(catalogs).sort(), ['ar', 'en', 'fa']);
    assert.ok(en.plain.size > 200, `only ${en.plain.size} English messages`);
  });

  for (const [language, catalog] of Object.entries(catalogs)) {
    const own = messages(catalog);
    const forms = new Intl.PluralRules(language).resolvedOptions().pluralCategories;

    it(`${language}: no key is missing and none is stray`, () => {
      assert.deepEqual([...en.plain.keys()].filter((k) => !own.plain.has(k)), [], 'missing keys');
      assert.deepEqual([...own.plain.keys()].filter((k) => !en.plain.has(k)), [], 'keys not in English');
      assert.deepEqual([...en.plural.keys()].filter((k) => !own.plural.has(k)), [], 'missing counted messages');
      assert.deepEqual([...own.plural.keys()].filter((k) => !en.plural.has(k)), [], 'counted messages not in English');
    });

    it(`${language}: every counted message has exactly the plural forms of ${language} (${forms.join(', ')})`, () => {
      for (const [key, present] of own.plural) {
        assert.deepEqual(PLURAL_FORMS.filter((f) => present.has(f)), PLURAL_FORMS.filter((f) => forms.includes(f as Intl.LDMLPluralRule)), key);
      }
    });

    it(`${language}: no empty message, and every placeholder is one English has`, () => {
      const englishPlaceholders = (key: string) => placeholders(en.plain.get(key) ?? [...(en.plural.get(key)?.values() ?? [])].join(' '));
      for (const [key, value] of own.plain) {
        assert.ok(value.trim(), `${key} is empty`);
        assert.deepEqual(placeholders(value), englishPlaceholders(key), `${key}: ${value}`);
      }
      for (const [key, values] of own.plural) {
        for (const [form, value] of values) {
          assert.ok(value.trim(), `${key}_${form} is empty`);
          // A form may spell its number out ("دقيقتين") and leave {{count}} out; nothing else may go.
          const expected = englishPlaceholders(key);
          const got = placeholders(value);
          for (const p of got) assert.ok(expected.has(p), `${key}_${form}: unknown {{${p}}}`);
          for (const p of expected) assert.ok(p === 'count' || got.has(p), `${key}_${form}: lost {{${p}}}`);
        }
      }
    });
  }

  it('i18next picks each of the six Arabic forms by count, and knows each language direction', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources: Object.fromEntries(Object.entries(catalogs).map(([l, c]) => [l, { translation: c }])), lng: 'ar', fallbackLng: 'en', interpolation: { escapeValue: false } });
    const ar = messages(catalogs.ar!).plural.get('conflictMerge.choicesLeft')!;
    // 102 is "other" in Arabic (the two-form is for exactly 2), 103 "few" again.
    const cases: Array<[number, string]> = [[0, 'zero'], [1, 'one'], [2, 'two'], [3, 'few'], [10, 'few'], [11, 'many'], [99, 'many'], [100, 'other'], [102, 'other'], [103, 'few']];
    for (const [count, form] of cases) {
      assert.equal(i18n.t('conflictMerge.choicesLeft', { count }), ar.get(form)!.replace('{{count}}', String(count)), `count ${count}`);
    }
    await i18n.changeLanguage('en');
    assert.equal(i18n.t('conflictMerge.choicesLeft', { count: 1 }), '1 choice left to make.');
    assert.equal(i18n.t('conflictMerge.choicesLeft', { count: 4 }), '4 choices left to make.');
    assert.equal(i18n.dir('ar'), 'rtl');
    assert.equal(i18n.dir('fa'), 'rtl');
    assert.equal(i18n.dir('en'), 'ltr');
  });
});
