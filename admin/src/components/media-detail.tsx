import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, errorMessage } from '../api.js';
import { formatTime, mediaSrc, statusLabel } from '../format.js';
import type { LibraryMedia } from '../newsroom-types.js';
import type { ArticleStatus, Media } from '../types.js';
import { t } from '../i18n.js';

interface Props {
  media: Media;
  onChange: (m: Media) => void;
  onDeleted: (id: number) => void;
  onClose: () => void;
}

type Usage = { id: number; headline: string; status: ArticleStatus }[];

/** One media item: metadata, focal point (click the picture or type it), usage, delete. */
export function MediaDetail({ media, onChange, onDeleted, onClose }: Props) {
  const [meta, setMeta] = useState({ alt: media.alt ?? '', caption: media.caption ?? '', credit: media.credit ?? '', licence: media.licence ?? '' });
  const [focal, setFocal] = useState({ x: media.focalX ?? 0.5, y: media.focalY ?? 0.5 });
  const [usage, setUsage] = useState<Usage | null>(null);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.get<{ items: Usage }>(`/api/admin/media/${media.id}/usage`).then((r) => setUsage(r.items), () => setUsage(null));
  }, [media.id]);

  const save = async (e?: Event) => {
    e?.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const updated = await api.patch<Media>(`/api/admin/media/${media.id}`, { ...meta, focalX: focal.x, focalY: focal.y });
      onChange(updated);
      setMessage({ text: 'Saved.' });
    } catch (err) {
      setMessage({ text: errorMessage(err), error: true });
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      await api.del(`/api/admin/media/${media.id}`);
      onDeleted(media.id);
    } catch (err) {
      setMessage({ text: err instanceof ApiError && err.status === 409 ? t('mediaDetail.inUse') : errorMessage(err), error: true });
      setBusy(false);
    }
  };

  const pickFocal = (e: MouseEvent) => {
    const img = e.currentTarget as HTMLElement;
    const r = img.getBoundingClientRect();
    const clamp = (v: number) => Math.min(1, Math.max(0, Math.round(v * 1000) / 1000));
    setFocal({ x: clamp((e.clientX - r.left) / r.width), y: clamp((e.clientY - r.top) / r.height) });
  };

  const used = (usage?.length ?? media.usedBy) > 0;
  const pct = (v: number) => Math.round(v * 100);
  return (
    <aside class="panel media-detail" aria-label={t('mediaDetail.mediaItem')}>
      <div class="modal-head">
        <h2 class="panel-title">{media.kind === 'video' ? t('mediaDetail.video') : t('richTextEditor.image')} #{media.id}</h2>
        <button type="button" class="secondary" onClick={onClose}>{t('modal.close')}</button>
      </div>
      <div class="focal-wrap">
        {media.kind === 'video' ? (
          <video src={mediaSrc(media.url)} poster={mediaSrc(media.posterUrl) || undefined} controls preload="metadata" />
        ) : (
          <>
            <img src={mediaSrc(media.url)} alt={meta.alt} onClick={pickFocal} class="focal-image" title={t('mediaDetail.clickToSetTheFocal')} />
            <svg class="focal-marker" viewBox="0 0 100 100" preserveAspectRatio="none" aria-hidden="true">
              <circle cx={pct(focal.x)} cy={pct(focal.y)} r="3" vector-effect="non-scaling-stroke" />
            </svg>
          </>
        )}
      </div>
      <p class="muted">
        {media.mime} · {media.width ?? '?'}×{media.height ?? '?'} {t('mediaDetail.addedOn', { time: formatTime(media.createdAt) })}
      </p>
      {(media as LibraryMedia).originalName && <p class="original-name-line">{t('mediaDetail.originalFile')} <strong>{(media as LibraryMedia).originalName}</strong></p>}
      {(media as LibraryMedia).state === 'failed' && <p class="error" role="alert">{t('mediaDetail.processingFailedPagesShowThe')}</p>}
      {media.warnings?.length > 0 && <p class="notice">{media.warnings.join(' ')}</p>}
      <form class="stack" onSubmit={save}>
        {media.kind === 'image' && (
          <fieldset class="inline-form">
            <legend>{t('mediaDetail.focalPointClickThePicture')}</legend>
            <label>
              {t('mediaDetail.across')}
              <input type="number" min={0} max={100} value={pct(focal.x)} onInput={(e) => setFocal({ ...focal, x: Number(e.currentTarget.value) / 100 })} />
            </label>
            <label>
              {t('mediaDetail.down')}
              <input type="number" min={0} max={100} value={pct(focal.y)} onInput={(e) => setFocal({ ...focal, y: Number(e.currentTarget.value) / 100 })} />
            </label>
          </fieldset>
        )}
        <label>
          {t('mediaDetail.altTextDescribeThePicture')}
          <textarea name="alt" dir="auto" rows={2} value={meta.alt} onInput={(e) => setMeta({ ...meta, alt: e.currentTarget.value })} />
        </label>
        <label>
          {t('mediaDetail.caption')}
          <textarea name="caption" dir="auto" rows={2} value={meta.caption} onInput={(e) => setMeta({ ...meta, caption: e.currentTarget.value })} />
        </label>
        <label>
          {t('mediaDetail.credit')}
          <input name="credit" dir="auto" value={meta.credit} onInput={(e) => setMeta({ ...meta, credit: e.currentTarget.value })} />
        </label>
        <label>
          {t('mediaDetail.licence')}
          <input name="licence" value={meta.licence} onInput={(e) => setMeta({ ...meta, licence: e.currentTarget.value })} />
        </label>
        <div class="button-row">
          <button type="submit" class="primary" disabled={busy}>{t('mediaDetail.saveDetails')}</button>
          <button type="button" class="danger" disabled={busy || used} onClick={() => void remove()}>{t('mediaDetail.delete')}</button>
        </div>
        {message && <p class={message.error ? 'error' : 'notice'} role={message.error ? 'alert' : 'status'}>{message.text}</p>}
      </form>
      <h3>{t('mediaDetail.usedBy')}</h3>
      {usage === null ? (
        <p class="muted">{media.usedBy > 0 ? t('mediaDetail.usedByArticles', { count: media.usedBy }) : t('mediaDetail.notUsed')}</p>
      ) : usage.length === 0 ? (
        <p class="muted">{t('mediaDetail.notUsedByAnyArticle')}</p>
      ) : (
        <ul>
          {usage.map((a) => (
            <li key={a.id}><a href={`/admin/articles/${a.id}`}>{a.headline}</a> <small>({statusLabel(a.status)})</small></li>
          ))}
        </ul>
      )}
    </aside>
  );
}
