import { useMemo, useState } from 'preact/hooks';
import { resolveMerge, type Choice, type MergedField, type Resolution } from '../../../src/domain/article-merge.js';
import type { EditorForm } from '../editor-form.js';
import { directionOf, useTaxonomy } from '../taxonomy.js';
import type { AdminArticle, ArticleContent, MergeProposal, MediaInfo, RelatedLink } from '../types.js';
import { t } from '../i18n.js';

interface Props {
  mine: EditorForm;
  theirs: AdminArticle;
  proposal: MergeProposal;
  busy: boolean;
  onResolve: (merged: EditorForm) => void;
}

const FIELDS = ['headline', 'dek', 'sectionId', 'contentTypeId', 'language', 'byline', 'source', 'place', 'leadMediaId', 'tags', 'pins', 'bodyHtml'] as const;

/** A merged field's name in the interface language. */
function label(field: string): string {
  return (FIELDS as readonly string[]).includes(field) ? t(`common.fields.${field as (typeof FIELDS)[number]}`) : field;
}

/** The editor form for merged content: media and headlines come from either side. */
function formOf(c: ArticleContent, mine: EditorForm, theirs: AdminArticle): EditorForm {
  const media: (MediaInfo | null)[] = [mine.leadMedia, theirs.leadMedia];
  const known: RelatedLink[] = [...mine.related, ...theirs.related];
  return {
    headline: c.headline,
    dek: c.dek,
    bodyHtml: c.bodyHtml,
    sectionId: c.sectionId,
    contentTypeId: c.contentTypeId,
    language: c.language,
    byline: c.byline,
    source: c.source,
    place: c.place,
    leadMedia: c.leadMediaId === null ? null : (media.find((m) => m?.id === c.leadMediaId) ?? null),
    tags: c.tags,
    related: c.related.map((r) => ({ id: r.id, pinned: r.pinned, headline: known.find((k) => k.id === r.id)?.headline ?? `Article ${r.id}` })),
  };
}

/**
 * A save met a newer revision (409). The server's three-way merge (base, theirs,
 * mine) is applied: fields and paragraphs changed on one side only are taken without
 * asking; only what both sides changed differently is shown here for a decision.
 */
export function ConflictMerge({ mine, theirs, proposal, busy, onResolve }: Props) {
  const { sections, contentTypes } = useTaxonomy();
  const { merge } = proposal;
  const [fields, setFields] = useState<Partial<Record<MergedField, 'theirs' | 'mine'>>>({});
  const bodyConflicts = merge.body.filter((c) => 'conflict' in c).length;
  const [body, setBody] = useState<(Choice | undefined)[]>(() => Array.from({ length: bodyConflicts }, () => undefined));
  const resolution: Resolution = { fields, body: body.map((c) => c ?? 'theirs') };
  const merged = useMemo(() => resolveMerge(merge, resolution, proposal.theirs), [merge, fields, body]);
  const open = merge.conflicts.filter((c) => !fields[c.field]).length + body.filter((c) => !c).length;

  const show = (field: MergedField, value: unknown): string => {
    if (value === null || value === undefined || value === '') return t('conflictMerge.empty');
    if (field === 'sectionId') return sections.find((s) => s.id === value)?.name ?? t('conflictMerge.sectionNumber', { id: String(value) });
    if (field === 'contentTypeId') {
      const type = contentTypes.find((c) => c.id === value);
      return type ? type.label || type.name : t('conflictMerge.typeNumber', { id: String(value) });
    }
    if (field === 'leadMediaId') {
      const m = [mine.leadMedia, theirs.leadMedia].find((x) => x?.id === value);
      return m ? m.alt || m.caption || m.key : t('conflictMerge.mediaNumber', { id: String(value) });
    }
    if (field === 'tags') return (value as { kind: string; name: string }[]).map((t) => `${t.name} (${t.kind})`).join(', ') || t('conflictMerge.none');
    if (field === 'pins') {
      const known = [...mine.related, ...theirs.related];
      return (value as number[]).map((id) => `📌 ${known.find((k) => k.id === id)?.headline ?? t('conflictMerge.articleNumber', { id })}`).join(' · ') || t('conflictMerge.none');
    }
    return String(value);
  };
  const names = (list: string[]) => list.map(label).join(', ');
  const dir = directionOf(mine.language);
  let n = -1;

  return (
    <section class="conflict" aria-labelledby="conflict-title">
      <h2 id="conflict-title">{t('conflictMerge.someoneElseSavedThisArticle')}</h2>
      <p role="alert">
        {t('conflictMerge.newerVersionSaved', { revision: proposal.revision })}{open > 0 ? t('conflictMerge.chooseWhereYouBothChanged') : ''}{t('conflictMerge.thenSaveTheMergedVersion')}
      </p>
      <ul class="merge-summary">
        {merge.fromTheirs.length > 0 && <li data-merge="theirs">{t('conflictMerge.takenFromTheirVersion')} {names(merge.fromTheirs)}</li>}
        {merge.fromMine.length > 0 && <li data-merge="mine">{t('conflictMerge.keptFromYourVersion')} {names(merge.fromMine)}</li>}
        {merge.conflicts.length === 0 && bodyConflicts === 0 && <li>{t('conflictMerge.noConflictsBothSetsOf')}</li>}
      </ul>
      {merge.conflicts.length > 0 && (
        <table class="merge-table">
          <caption>{t('conflictMerge.changedOnBothSidesChoose')}</caption>
          <thead>
            <tr><th scope="col">{t('conflictMerge.field')}</th><th scope="col">{t('conflictMerge.theirVersionRevisionNumber', { revision: proposal.revision })}</th><th scope="col">{t('conflictMerge.yourVersion')}</th></tr>
          </thead>
          <tbody>
            {merge.conflicts.map((c) => (
              <tr key={c.field} data-field={c.field}>
                <th scope="row">{label(c.field)}</th>
                {(['theirs', 'mine'] as const).map((side) => (
                  <td>
                    <label class="check">
                      <input type="radio" name={`merge-${c.field}`} checked={fields[c.field] === side} onChange={() => setFields({ ...fields, [c.field]: side })} />
                      <span><span class="visually-hidden">{t(side === 'theirs' ? 'conflictMerge.takeTheirsFor' : 'conflictMerge.takeMineFor', { field: label(c.field) })} </span>{show(c.field, c[side])}</span>
                    </label>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {bodyConflicts > 0 && <h3>{t('conflictMerge.bodyParagraphsYouBothChanged')}</h3>}
      {merge.body.map((chunk) => {
        if (!('conflict' in chunk)) return null;
        const i = ++n;
        const pick = (choice: Choice) => setBody(body.map((b, j) => (j === i ? choice : b)));
        return (
          <fieldset class="merge-block" key={i} data-conflict={i}>
            <legend>{t('conflictMerge.paragraphConflictOf', { n: i + 1, total: bodyConflicts })}</legend>
            <div class="merge-sides">
              {(['theirs', 'mine'] as const).map((side) => (
                <label class="merge-side">
                  <span class="check">
                    <input type="radio" name={`merge-body-${i}`} checked={body[i] === side} onChange={() => pick(side)} /> {side === 'theirs' ? t('conflictMerge.theirs') : t('conflictMerge.mine')}
                  </span>
                  {/* Server-sanitized HTML, shown read-only for comparison. */}
                  <div class="prose-body readonly" dir={dir} dangerouslySetInnerHTML={{ __html: chunk.conflict[side] || '<p><em>(deleted)</em></p>' }} />
                </label>
              ))}
            </div>
            <label class="check">
              <input type="radio" name={`merge-body-${i}`} checked={body[i] === 'both'} onChange={() => pick('both')} /> {t('conflictMerge.keepBothTheirsFirst')}
            </label>
          </fieldset>
        );
      })}
      <details class="merge-preview">
        <summary>{t('conflictMerge.previewTheMergedBody')}</summary>
        <div class="prose-body readonly" dir={dir} dangerouslySetInnerHTML={{ __html: merged.bodyHtml }} />
      </details>
      <div class="actions-row">
        {open > 0 && <p class="muted" role="status">{t('conflictMerge.choicesLeft', { count: open })}</p>}
        <button type="button" class="primary" disabled={busy || open > 0} onClick={() => onResolve(formOf(merged, mine, theirs))}>
          {busy ? t('resetPassword.saving') : t('conflictMerge.saveMergedVersion')}
        </button>
      </div>
    </section>
  );
}
