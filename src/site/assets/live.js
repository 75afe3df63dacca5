// Dateline live client: one Server-Sent Events connection per page for the breaking
// banner (every page) and, on a live blog, its entries. Served as a static file
// (script-src 'self'); pages work fully without it.
(function () {
  'use strict';
  if (!('EventSource' in window)) return;
  var body = document.body;
  var language = document.documentElement.getAttribute('lang') || '';
  var blog = document.querySelector('[data-live-blog]');
  var params = new URLSearchParams();
  params.set('language', language);
  if (blog) params.set('blog', blog.getAttribute('data-live-blog'));
  var since = body.getAttribute('data-live-since');
  if (since) params.set('since', since);
  var source = new EventSource('/live/events?' + params.toString());
  var banner = document.getElementById('breaking');
  // The server cannot replay that far back: a fresh copy of the page resumes from now.
  source.addEventListener('reset', function () {
    source.close();
    window.location.reload();
  });

  function fragment(html) {
    var t = document.createElement('template');
    t.innerHTML = html;
    return t.content.firstElementChild;
  }
  /** The key points' copy of an entry: the same markup without its id, which the timeline's entry keeps (one #entry-N per page). */
  function pinnedCopy(html) {
    var el = fragment(html);
    if (el) el.removeAttribute('id');
    return el;
  }
  function data(e) {
    try {
      return JSON.parse(e.data);
    } catch (_) {
      return null;
    }
  }

  source.addEventListener('breaking', function (e) {
    var item = data(e);
    if (!item || !banner) return;
    var p = document.createElement('p');
    var label = document.createElement('strong');
    label.textContent = banner.getAttribute('data-label') || 'Breaking';
    var link = document.createElement('a');
    link.href = item.url;
    link.textContent = item.headline;
    link.dir = 'auto';
    p.append(label, ' ', link);
    banner.replaceChildren(p);
    banner.hidden = false;
  });
  source.addEventListener('breaking-cleared', function () {
    if (!banner) return;
    banner.replaceChildren();
    banner.hidden = true;
  });

  if (!blog) return;
  var list = blog.querySelector('.live-entries');
  var pinnedBox = blog.querySelector('.live-key-points');
  var pinned = blog.querySelector('.live-pinned');
  var firstPage = blog.getAttribute('data-live-page') === '1';

  function removeEntry(id) {
    blog.querySelectorAll('[data-entry-id="' + id + '"]').forEach(function (el) {
      el.remove();
    });
    if (pinnedBox) pinnedBox.hidden = !pinned.children.length;
  }
  function place(d, isNew) {
    var id = d.entry.id;
    var existing = list.querySelector('[data-entry-id="' + id + '"]');
    if (existing) existing.replaceWith(fragment(d.html));
    else if (isNew && firstPage) list.prepend(fragment(d.html));
    var old = pinned && pinned.querySelector('[data-entry-id="' + id + '"]');
    if (d.entry.pinned && pinned && firstPage) {
      if (old) old.replaceWith(pinnedCopy(d.html));
      else pinned.prepend(pinnedCopy(d.html));
    } else if (old) old.remove();
    if (pinnedBox) pinnedBox.hidden = !pinned.children.length;
  }
  source.addEventListener('entry', function (e) {
    var d = data(e);
    if (d && d.entry) place(d, true);
  });
  source.addEventListener('entry-updated', function (e) {
    var d = data(e);
    if (d && d.entry) place(d, false);
  });
  source.addEventListener('entry-deleted', function (e) {
    var d = data(e);
    if (d) removeEntry(d.entryId);
  });
  function ended(isEnded) {
    var note = blog.querySelector('.live-ended');
    var badge = blog.querySelector('.live-badge');
    if (note) note.hidden = !isEnded;
    if (badge) badge.hidden = isEnded;
  }
  source.addEventListener('ended', function () {
    ended(true);
  });
  source.addEventListener('reopened', function () {
    ended(false);
  });
})();

// Web Push opt-in ("Get alerts"): only when the site has VAPID keys (the button carries the
// public key) and the browser supports push. Subscribes with the page's language.
(function () {
  'use strict';
  var button = document.querySelector('button.get-alerts[data-push-key]');
  if (!button || !('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return;
  var language = document.documentElement.getAttribute('lang') || '';
  function on() {
    button.textContent = button.getAttribute('data-push-on');
    button.disabled = true;
  }
  button.hidden = false;
  // Scope '/' (the server allows it with Service-Worker-Allowed): `ready` below only resolves
  // for a worker whose scope covers this page; the worker has no fetch handler.
  navigator.serviceWorker.register('/push/sw.js', { scope: '/' }).then(function (reg) {
    return reg.pushManager.getSubscription();
  }).then(function (existing) {
    if (existing) on();
  }).catch(function () {});
  button.addEventListener('click', function () {
    button.disabled = true;
    Notification.requestPermission().then(function (permission) {
      if (permission !== 'granted') throw new Error('denied');
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      var key = button.getAttribute('data-push-key').replace(/-/g, '+').replace(/_/g, '/');
      var raw = atob(key + '==='.slice((key.length + 3) % 4));
      var bytes = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
      return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytes });
    }).then(function (sub) {
      var json = sub.toJSON();
      return fetch('/push/subscriptions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ language: language, endpoint: json.endpoint, keys: json.keys }),
      });
    }).then(function (res) {
      if (!res.ok) throw new Error('refused');
      on();
    }).catch(function () {
      button.disabled = false;
    });
  });
})();
