import { useRef, useState } from 'preact/hooks';
import { errorMessage, upload } from '../api.js';
import type { Media } from '../types.js';
import { t } from '../i18n.js';

interface Upload {
  id: number;
  name: string;
  progress: number;
  state: 'uploading' | 'done' | 'failed';
  message?: string;
  abort?: () => void;
}

let nextId = 1;

/** Drag-and-drop (or choose) files; each upload shows its own progress bar. */
export function MediaUploader({ onUploaded }: { onUploaded: (m: Media) => void }) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const patch = (id: number, change: Partial<Upload>) => setUploads((list) => list.map((u) => (u.id === id ? { ...u, ...change } : u)));

  const start = (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const id = nextId++;
      const form = new FormData();
      form.append('file', file, file.name);
      const job = upload<Media>('/api/admin/media', form, (fraction) => patch(id, { progress: fraction }));
      setUploads((list) => [{ id, name: file.name, progress: 0, state: 'uploading', abort: job.abort }, ...list]);
      job.promise.then(
        (media) => {
          patch(id, { state: 'done', progress: 1, message: media.warnings?.length ? media.warnings.join(' ') : undefined });
          onUploaded(media);
        },
        (err: unknown) => patch(id, { state: 'failed', message: errorMessage(err) }),
      );
    }
  };

  return (
    <div class="uploader">
      <div
        class={over ? 'drop-zone over' : 'drop-zone'}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          if (e.dataTransfer?.files.length) start(e.dataTransfer.files);
        }}
      >
        <p>{t('mediaUploader.dropPhotosOrVideosHere')}</p>
        <label class="button">
          {t('mediaUploader.chooseFiles')}
          <input
            ref={input}
            class="visually-hidden"
            type="file"
            name="file"
            multiple
            accept="image/*,video/*"
            onChange={(e) => {
              if (e.currentTarget.files?.length) start(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
          />
        </label>
      </div>
      {uploads.length > 0 && (
        <ul class="uploads" aria-label={t('mediaUploader.uploads')}>
          {uploads.map((u) => (
            <li key={u.id} data-state={u.state}>
              <span class="grow">{u.name}</span>
              {u.state !== 'failed' && <progress max={1} value={u.progress} aria-label={t('mediaUploader.uploadOf', { name: u.name })}>{Math.round(u.progress * 100)}%</progress>}
              <span class="upload-state" role={u.state === 'failed' ? 'alert' : 'status'}>
                {u.state === 'uploading' ? `${Math.round(u.progress * 100)}%` : u.state === 'done' ? t('mediaUploader.uploaded') : t('mediaUploader.failed')}
                {u.message ? `: ${u.message}` : ''}
              </span>
              {u.state === 'uploading' && <button type="button" class="secondary" onClick={() => u.abort?.()}>{t('articleActions.cancel')}</button>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
