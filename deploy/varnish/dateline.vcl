vcl 4.1;

# Varnish in front of Dateline. The app names what each response shows in its
# Surrogate-Key header; xkey (Debian's varnish-modules) indexes cached objects by those
# keys, and the app purges exactly the keys a publish touches with
#   PURGE /   xkey-purge: article-12 section-3 latest …
# Set VARNISH_PURGE_URL=http://<this varnish>/ on the app.
#
# The backend address is replaced at deploy time (the integration test writes its own port).

import std;
import xkey;

backend dateline {
    .host = "127.0.0.1";
    .port = "3000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# Who may purge: the app's hosts. Add them here.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from " + client.ip));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Send the keys to purge in an xkey-purge header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }
    # The newsroom, its API and operators' endpoints are never cached.
    if (req.url ~ "^/(admin|api/admin/|healthz|readyz|metrics)") {
        return (pass);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Public pages do not depend on cookies; the newsroom's session cookie must not split the cache.
    if (req.url !~ "^/(admin|api/admin/)") {
        unset req.http.Cookie;
    }
    return (hash);
}

sub vcl_backend_response {
    # xkey reads the keys from the xkey header.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Serve stale while refreshing, and for a day when the app is down.
    set beresp.grace = 1d;
    if (beresp.status >= 500) {
        set beresp.ttl = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    if (!beresp.http.Surrogate-Key) {
        # Unkeyed responses could not be purged: keep them briefly only.
        if (beresp.ttl > 60s) {
            set beresp.ttl = 60s;
        }
    }
}

sub vcl_deliver {
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "HIT";
    } else {
        set resp.http.X-Varnish-Cache = "MISS";
    }
}
