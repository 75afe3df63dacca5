import { sharp } from '../sharp.js';
import type { DistributionSettings } from './distribution-settings.js';

/** Icon files the site serves itself, so no page's `/favicon.ico` or manifest icon is a 404. */
export interface SiteIcons {
  svg: string;
  ico: Buffer;
  png: Map<number, Buffer>;
}

export const ICON_SIZES = [32, 64, 180, 192, 512] as const;

const escapeXml = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The site's mark: the first letter of its name on the masthead colour. */
export function iconSvg(siteName: string): string {
  const letter = escapeXml([...siteName.trim()][0]?.toUpperCase() ?? 'D');
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">' +
    '<rect width="64" height="64" rx="12" fill="#b3261e"/>' +
    `<text x="32" y="46" font-family="Georgia, 'DejaVu Serif', serif" font-size="40" font-weight="700" text-anchor="middle" fill="#ffffff">${letter}</text>` +
    '</svg>'
  );
}

/** An ICO file holding PNG images (supported by every browser since 2007). */
export function pngIco(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  const entries: Buffer[] = [];
  let offset = 6 + 16 * images.length;
  for (const { size, png } of images) {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0);
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt8(0, 2); // no palette
    e.writeUInt8(0, 3);
    e.writeUInt16LE(1, 4); // colour planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(e);
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

/** Renders the icon set once (a few milliseconds with libvips). */
export async function renderSiteIcons(siteName: string): Promise<SiteIcons> {
  const svg = iconSvg(siteName);
  const png = new Map<number, Buffer>();
  for (const size of [...ICON_SIZES, 16, 48]) {
    png.set(size, await sharp(Buffer.from(svg), { density: Math.ceil((72 * size) / 64) }).resize(size, size).png().toBuffer());
  }
  const ico = pngIco([16, 32, 48].map((size) => ({ size, png: png.get(size)! })));
  return { svg, ico, png };
}

/** The web app manifest (W3C Web Application Manifest). */
export function webManifest(settings: DistributionSettings): Record<string, unknown> {
  return {
    name: settings.siteName,
    short_name: settings.siteName.slice(0, 12),
    description: settings.siteDescription,
    lang: settings.languages[0] ?? 'en',
    start_url: '/',
    scope: '/',
    display: 'browser',
    background_color: '#ffffff',
    theme_color: '#b3261e',
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml' },
    ],
  };
}
