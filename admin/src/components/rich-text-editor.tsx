import { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import Image from '@tiptap/extension-image';
import Link from '@tiptap/extension-link';
import StarterKit from '@tiptap/starter-kit';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Media } from '../types.js';
import { MediaPicker } from './media-picker.js';
import { mediaSrc } from '../format.js';
import { appDirection, t } from '../i18n.js';

interface Props {
  /** Initial HTML; a change of `resetKey` loads `html` again (restore, merge). */
  html: string;
  resetKey?: number | string;
  dir: 'ltr' | 'rtl';
  lang: string;
  label: string;
  onChange: (html: string) => void;
}

function attributes(label: string, dir: string, lang: string): Record<string, string> {
  return { 'aria-label': label, 'aria-multiline': 'true', role: 'textbox', dir, lang, class: 'prose-body' };
}

/**
 * The article body: TipTap (ProseMirror) with the marks and nodes the public site
 * renders. TipTap's own <style> injection is off (the CSP allows stylesheets from
 * 'self' only); its few rules live in styles.css.
 */
export function RichTextEditor({ html, resetKey, dir, lang, label, onChange }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<Editor | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const [, setTick] = useState(0);
  const [linkOpen, setLinkOpen] = useState(false);
  const [linkUrl, setLinkUrl] = useState('');
  const [pickImage, setPickImage] = useState(false);

  useEffect(() => {
    const editor = new Editor({
      element: host.current!,
      injectCSS: false,
      extensions: [
        StarterKit.configure({
          heading: { levels: [2, 3, 4] },
          code: false,
          codeBlock: false,
          horizontalRule: false,
          strike: false,
          underline: false,
          link: false,
        }),
        // Not inclusive: text typed right after a link (a full stop, a comma) is not part of it.
        // TipTap makes autolinking links inclusive by default.
        Link.extend({ inclusive: () => false }).configure({ openOnClick: false, autolink: true, protocols: ['http', 'https', 'mailto'], HTMLAttributes: { rel: null, target: null } }),
        Image.configure({ inline: false, allowBase64: false }),
      ],
      content: html,
      editorProps: { attributes: attributes(label, dir, lang) },
      onUpdate: ({ editor: e }) => onChangeRef.current(e.isEmpty ? '' : e.getHTML()),
      onTransaction: () => setTick((t) => t + 1),
    });
    editorRef.current = editor;
    return () => editor.destroy();
    // The editor is created once; later prop changes are applied by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const editor = editorRef.current;
    if (editor && resetKey !== undefined) editor.commands.setContent(html, { emitUpdate: false });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [resetKey]);

  useEffect(() => {
    editorRef.current?.setOptions({ editorProps: { attributes: attributes(label, dir, lang) } });
  }, [dir, lang, label]);

  const editor = editorRef.current;
  const active = (name: string, attrs?: Record<string, unknown>) => (editor?.isActive(name, attrs) ? 'true' : 'false');
  const run = (fn: (e: Editor) => void) => () => {
    if (editor) fn(editor);
  };

  const applyLink = (e: Event) => {
    e.preventDefault();
    if (!editor) return;
    const href = linkUrl.trim();
    const chain = editor.chain().focus();
    if (!href) chain.extendMarkRange('link').unsetLink().run();
    else if (editor.state.selection.empty && !editor.isActive('link')) {
      chain.insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] }).run();
    } else {
      // Writing goes on after the link: the caret lands at its end, not on a selection
      // the next keystroke would replace.
      chain.extendMarkRange('link').setLink({ href }).command(({ tr }) => {
        tr.setSelection(TextSelection.create(tr.doc, tr.selection.to));
        return true;
      }).run();
    }
    setLinkOpen(false);
  };

  const insertImage = (media: Media) => {
    setPickImage(false);
    editor?.chain().focus().setImage({ src: mediaSrc(media.url), alt: media.alt || '', title: media.caption || undefined }).run();
  };

  return (
    <div class="rte" dir={dir}>
      <div class="rte-toolbar" role="toolbar" aria-label={t('richTextEditor.formatting')} dir={appDirection()}>
        <button type="button" aria-pressed={active('heading', { level: 2 })} onClick={run((e) => e.chain().focus().toggleHeading({ level: 2 }).run())}>{t('richTextEditor.h2')}</button>
        <button type="button" aria-pressed={active('heading', { level: 3 })} onClick={run((e) => e.chain().focus().toggleHeading({ level: 3 }).run())}>{t('richTextEditor.h3')}</button>
        <button type="button" aria-pressed={active('bold')} aria-label={t('richTextEditor.bold')} onClick={run((e) => e.chain().focus().toggleBold().run())}><b>{t('richTextEditor.b')}</b></button>
        <button type="button" aria-pressed={active('italic')} aria-label={t('richTextEditor.italic')} onClick={run((e) => e.chain().focus().toggleItalic().run())}><i>{t('richTextEditor.i')}</i></button>
        <button
          type="button"
          aria-pressed={active('link')}
          aria-expanded={linkOpen}
          onClick={() => {
            setLinkUrl((editor?.getAttributes('link').href as string | undefined) ?? 'https://');
            setLinkOpen(!linkOpen);
          }}
        >
          {t('richTextEditor.link')}
        </button>
        <button type="button" aria-pressed={active('bulletList')} onClick={run((e) => e.chain().focus().toggleBulletList().run())}>{t('richTextEditor.bulletList')}</button>
        <button type="button" aria-pressed={active('orderedList')} onClick={run((e) => e.chain().focus().toggleOrderedList().run())}>{t('richTextEditor.numberedList')}</button>
        <button type="button" aria-pressed={active('blockquote')} onClick={run((e) => e.chain().focus().toggleBlockquote().run())}>{t('richTextEditor.quote')}</button>
        <button type="button" onClick={() => setPickImage(true)}>{t('richTextEditor.image')}</button>
        <button type="button" aria-label={t('richTextEditor.undo')} onClick={run((e) => e.chain().focus().undo().run())}><span class="flip-rtl" aria-hidden="true">↶</span></button>
        <button type="button" aria-label={t('richTextEditor.redo')} onClick={run((e) => e.chain().focus().redo().run())}><span class="flip-rtl" aria-hidden="true">↷</span></button>
      </div>
      {linkOpen && (
        <form class="rte-link" onSubmit={applyLink} dir={appDirection()}>
          <label>
            {t('richTextEditor.linkAddress')}
            <input type="url" name="link-url" dir="ltr" value={linkUrl} autoFocus onInput={(e) => setLinkUrl(e.currentTarget.value)} placeholder={t('richTextEditor.https')} />
          </label>
          <button type="submit">{t('richTextEditor.applyLink')}</button>
          <button type="button" class="secondary" onClick={() => setLinkOpen(false)}>{t('articleActions.cancel')}</button>
          <small>{t('richTextEditor.leaveEmptyAndApplyTo')}</small>
        </form>
      )}
      <div ref={host} class="rte-surface" />
      {pickImage && <MediaPicker title={t('richTextEditor.insertAnImage')} kind="image" onPick={insertImage} onClose={() => setPickImage(false)} />}
    </div>
  );
}
