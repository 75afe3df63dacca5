/**
 * WordPress stores classic-editor posts as text with blank lines between paragraphs
 * and shortcodes; block-editor posts as HTML with `<!-- wp:… -->` comments. This
 * turns either into plain HTML for the sanitizer (a small `wpautop`).
 */
const BLOCK = /^<(?:p|div|h[1-6]|ul|ol|li|blockquote|table|figure|pre|hr|dl|address|section|article|aside|header|footer|form|!--)/i;
const DROPPED_SHORTCODES = /\[(gallery|embed|audio|video|playlist|wpvideo|youtube|vimeo|soundcloud|contact-form(?:-7)?|googlemaps)\b[^\]]*\](?:[\s\S]*?\[\/\1\])?/gi;

export function wpAutoP(content: string, repairs: string[]): string {
  let html = content.replace(/\r\n?/g, '\n').replace(/<!--\s*\/?wp:[\s\S]*?-->/g, '');
  html = html.replace(/\[caption\b[^\]]*\]([\s\S]*?)\[\/caption\]/gi, (_, inner: string) => {
    const m = /^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?)([\s\S]*)$/i.exec(inner);
    return m ? `<figure>${m[1]}<figcaption>${m[2]!.trim()}</figcaption></figure>` : inner;
  });
  html = html.replace(DROPPED_SHORTCODES, (found: string, name: string) => {
    repairs.push(`dropped the [${name.toLowerCase()}] shortcode (WordPress-only)`);
    return '';
  });
  if (/<p[\s>]/i.test(html)) return html.trim();
  return html
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => (BLOCK.test(block) ? block : `<p>${block.replace(/\n/g, '<br>')}</p>`))
    .join('\n');
}
