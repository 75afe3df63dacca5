/**
 * Web Push rules. A subscription's endpoint is a URL on the browser's push service; the
 * big browsers use a handful of services, each holding any number of a site's readers.
 * Any other origin is someone's own server, so it gets a cap (a flood of made-up
 * endpoints would otherwise turn every alert into traffic towards it).
 */

/** Hosts (and their subdomains) of the push services of Chrome, Firefox, Edge and Safari. */
export const BROWSER_PUSH_HOSTS = ['fcm.googleapis.com', 'android.googleapis.com', 'push.services.mozilla.com', 'notify.windows.com', 'push.apple.com'] as const;

/** `scheme://host[:port]` of an endpoint, lower case; '' when it is not a URL. */
export function pushOrigin(endpoint: string): string {
  try {
    return new URL(endpoint).origin.toLowerCase();
  } catch {
    return '';
  }
}

/** Whether an origin belongs to a browser vendor's push service (no cap per origin). */
export function isBrowserPushService(origin: string): boolean {
  let host: string;
  try {
    const url = new URL(origin);
    if (url.protocol !== 'https:') return false;
    host = url.hostname;
  } catch {
    return false;
  }
  return BROWSER_PUSH_HOSTS.some((h) => host === h || host.endsWith(`.${h}`));
}
