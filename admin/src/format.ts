import { appLanguage, t } from './i18n.js';

/** Small display helpers shared by the screens. */

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(appLanguage(), { dateStyle: 'medium', timeStyle: 'short' });
}

export const STATUSES = ['draft', 'submitted', 'scheduled', 'published', 'unpublished', 'killed'] as const;

/** An article status in the interface language (an unknown status as it is). */
export function statusLabel(status: string): string {
  return (STATUSES as readonly string[]).includes(status) ? t(`common.status.${status as (typeof STATUSES)[number]}`) : status;
}

/** `<input type="datetime-local">` value (local time) from an ISO string, and back. */
export function toLocalInput(iso: string | null): string {
  const d = iso ? new Date(iso) : new Date(Date.now() + 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): string {
  return new Date(value).toISOString();
}

/**
 * Media URLs from the API are absolute on BASE_URL, which need not be the origin the
 * newsroom is open on (a proxy, a test host); the CSP allows images from 'self'
 * only. Stored media is served by this same server under /media/, so use the path.
 */
export function mediaSrc(url: string | null | undefined): string {
  if (!url) return '';
  try {
    const u = new URL(url, location.origin);
    return u.pathname.startsWith('/media/') ? u.pathname + u.search : url;
  } catch {
    return url;
  }
}
