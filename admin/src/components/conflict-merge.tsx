import { useMemo, useState } from 'preact/hooks';
import { FIELD_LABELS, MERGE_FIELDS, fieldKey, type EditorForm, type MergeField } from '../editor-form.js';
import { directionOf, useTaxonomy } from '../taxonomy.js';
import { RichTextEditor } from './rich-text-editor.js';

interface Props {
  mine: EditorForm;
  theirs: EditorForm;
  theirRevision: number;
  theirAuthor: string;
  busy: boolean;
  onResolve: (merged: EditorForm) => void;
}

/**
 * A save met a newer revision (409). Shows the server's version beside the user's,
 * field by field; the user picks one side per field and edits the body freely. The
 * user's text is never dropped: "mine" is the default everywhere.
 */
export function ConflictMerge({ mine, theirs, theirRevision, theirAuthor, busy, onResolve }: Props) {
  const { sections, contentTypes } = useTaxonomy();
  const differing = useMemo(() => MERGE_FIELDS.filter((f) => f !== 'bodyHtml' && fieldKey(mine, f) !== fieldKey(theirs, f)), [mine, theirs]);
  const bodyDiffers = fieldKey(mine, 'bodyHtml') !== fieldKey(theirs, 'bodyHtml');
  const [choice, setChoice] = useState<Partial<Record<MergeField, 'mine' | 'theirs'>>>({});
  const [body, setBody] = useState(mine.bodyHtml);
  const [bodyReset, setBodyReset] = useState(0);

  const show = (f: EditorForm, field: MergeField): string => {
    if (field === 'sectionId') return sections.find((s) => s.id === f.sectionId)?.name ?? String(f.sectionId);
    if (field === 'contentTypeId') return contentTypes.find((c) => c.id === f.contentTypeId)?.label ?? contentTypes.find((c) => c.id === f.contentTypeId)?.name ?? String(f.contentTypeId);
    if (field === 'leadMedia') return f.leadMedia ? f.leadMedia.alt || f.leadMedia.key : '(none)';
    if (field === 'tags') return f.tags.map((t) => `${t.name} (${t.kind})`).join(', ') || '(none)';
    if (field === 'related') return f.related.map((r) => `${r.pinned ? '📌 ' : ''}${r.headline}`).join(' · ') || '(none)';
    return String(f[field]) || '(empty)';
  };

  const resolve = () => {
    const merged: EditorForm = { ...mine, bodyHtml: body };
    for (const field of differing) {
      if (choice[field] === 'theirs') (merged as unknown as Record<string, unknown>)[field] = theirs[field];
    }
    onResolve(merged);
  };

  const dir = directionOf(mine.language);
  return (
    <section class="conflict" aria-labelledby="conflict-title">
      <h2 id="conflict-title">Someone else saved this article first</h2>
      <p role="alert">
        {theirAuthor ? `${theirAuthor} saved` : 'A newer version was saved as'} revision {theirRevision} while you were editing. Your text is kept below.
        Choose, field by field, which version to keep, edit the body as needed, then save the merged version.
      </p>
      {differing.length > 0 && (
        <table class="merge-table">
          <thead>
            <tr><th scope="col">Field</th><th scope="col">Your version</th><th scope="col">Their version (revision {theirRevision})</th></tr>
          </thead>
          <tbody>
            {differing.map((field) => {
              const pick = choice[field] ?? 'mine';
              return (
                <tr key={field} data-field={field}>
                  <th scope="row">{FIELD_LABELS[field]}</th>
                  <td>
                    <label class="check">
                      <input type="radio" name={`merge-${field}`} checked={pick === 'mine'} onChange={() => setChoice({ ...choice, [field]: 'mine' })} />
                      <span><span class="visually-hidden">Take mine for {FIELD_LABELS[field]}: </span>{show(mine, field)}</span>
                    </label>
                  </td>
                  <td>
                    <label class="check">
                      <input type="radio" name={`merge-${field}`} checked={pick === 'theirs'} onChange={() => setChoice({ ...choice, [field]: 'theirs' })} />
                      <span><span class="visually-hidden">Take theirs for {FIELD_LABELS[field]}: </span>{show(theirs, field)}</span>
                    </label>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {bodyDiffers ? (
        <div class="merge-body">
          <div>
            <h3>Their body (revision {theirRevision})</h3>
            {/* Server-sanitized HTML, shown read-only for comparison. */}
            <div class="prose-body readonly" dir={directionOf(theirs.language)} dangerouslySetInnerHTML={{ __html: theirs.bodyHtml }} />
            <button type="button" onClick={() => { setBody(theirs.bodyHtml); setBodyReset((n) => n + 1); }}>Take their body</button>
          </div>
          <div>
            <h3>Merged body (starts as yours; edit freely)</h3>
            <RichTextEditor html={body} resetKey={bodyReset} dir={dir} lang={mine.language} label="Merged body" onChange={setBody} />
            <button type="button" onClick={() => { setBody(mine.bodyHtml); setBodyReset((n) => n + 1); }}>Take my body</button>
          </div>
        </div>
      ) : (
        <p class="muted">The bodies are the same.</p>
      )}
      <div class="actions-row">
        <button type="button" class="primary" disabled={busy} onClick={resolve}>{busy ? 'Saving…' : 'Save merged version'}</button>
      </div>
    </section>
  );
}
