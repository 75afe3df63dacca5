import { useState } from 'preact/hooks';
import type { ArticleTag, TagKind } from '../types.js';
import { t } from '../i18n.js';

const KINDS: TagKind[] = ['topic', 'person', 'organisation', 'place'];

/** Tags with their kind; new names become tags on save. */
export function TagsEditor({ tags, onChange }: { tags: ArticleTag[]; onChange: (t: ArticleTag[]) => void }) {
  const [kind, setKind] = useState<TagKind>('topic');
  const [name, setName] = useState('');
  const add = () => {
    const n = name.trim();
    if (!n || tags.some((t) => t.kind === kind && t.name.toLowerCase() === n.toLowerCase())) return;
    onChange([...tags, { kind, name: n }]);
    setName('');
  };
  return (
    <fieldset class="tags">
      <legend>{t('app.tags')}</legend>
      <ul class="chips">
        {tags.map((tag, i) => (
          <li key={`${tag.kind}:${tag.name}`}>
            <span class="chip-kind">{t(`common.tagKinds.${tag.kind}`)}</span> {tag.name}
            <button type="button" class="chip-remove" aria-label={t('tagsEditor.removeTag', { name: tag.name })} onClick={() => onChange(tags.filter((_, j) => j !== i))}>×</button>
          </li>
        ))}
      </ul>
      <div class="inline-form">
        <label>
          {t('tagsEditor.kind')}
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as TagKind)}>
            {KINDS.map((k) => <option value={k}>{t(`common.tagKinds.${k}`)}</option>)}
          </select>
        </label>
        <label class="grow">
          {t('tagsEditor.tagName')}
          <input
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
          />
        </label>
        <button type="button" onClick={add}>{t('tagsEditor.addTag')}</button>
      </div>
    </fieldset>
  );
}
