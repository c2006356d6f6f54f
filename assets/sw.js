// sw.js: the service worker (served as /sw.js, scope /): keeps the offline
// story form of each link a resident opened, and its styles and scripts, so
// the form opens without a connection.
//
// - Kept: /v/{token}/offline (a page with nobody's answers) and the /static/
//   files it names (their addresses carry their hash, so they never change).
//   Nothing else: no step of the server-side form, no answers, no API reply.
//   The answers wait in IndexedDB (assets/offline.js), not here.
// - A page asks to keep its link's form with postMessage({type: "keep", url}).
// - Pages under /v/{token}: the network first; without a connection the kept
//   /v/{token}/offline. A link that is gone (404, 410) is dropped from the cache.
// - /static/ files: the cache first, then the network.
// - Everything else (the API, POST requests, staff pages) is left alone.
'use strict';

var CACHE = 'vertelpunt-offline-1';

function offlinePath(pathname) {
	var m = /^\/v\/([A-Za-z0-9_-]+)(?:\/.*)?$/.exec(pathname);
	return m ? '/v/' + m[1] + '/offline' : null;
}

// The /static/ addresses a page names in href="" and src="".
function assetsOf(html) {
	var out = [];
	var re = /(?:href|src)="(\/static\/[^"]+)"/g;
	var m;
	while ((m = re.exec(html)))
		out.push(m[1].replace(/&amp;/g, '&'));
	return out;
}

// Fetches the offline form at path and keeps it with its assets; a
// version of an asset that is no longer named is dropped.
function keep(path) {
	return caches.open(CACHE).then(function (cache) {
		return fetch(path, { credentials: 'same-origin', cache: 'no-store' }).then(function (res) {
			if (res.status === 404 || res.status === 410)
				return cache.delete(path);
			if (!res.ok)
				return null;
			return store(cache, path, res);
		});
	});
}

function store(cache, path, res) {
	return res
		.clone()
		.text()
		.then(function (html) {
			var assets = assetsOf(html);
			return cache.put(path, res).then(function () {
				return Promise.all(
					assets.map(function (a) {
						return cache.match(a).then(function (hit) {
							return hit || cache.add(a);
						});
					}),
				);
			}).then(function () {
				return prune(cache, assets);
			});
		});
}

// Drops kept /static/ files whose name is in assets with another version.
function prune(cache, assets) {
	var names = {};
	assets.forEach(function (a) {
		names[a.split('?')[0]] = a;
	});
	return cache.keys().then(function (reqs) {
		return Promise.all(
			reqs.map(function (req) {
				var u = new URL(req.url);
				var want = names[u.pathname];
				if (want && u.pathname + u.search !== want)
					return cache.delete(req);
				return null;
			}),
		);
	});
}

self.addEventListener('install', function () {
	self.skipWaiting();
});

self.addEventListener('activate', function (event) {
	event.waitUntil(
		caches
			.keys()
			.then(function (names) {
				return Promise.all(
					names.map(function (n) {
						return n !== CACHE && n.indexOf('vertelpunt-offline-') === 0 ? caches.delete(n) : null;
					}),
				);
			})
			.then(function () {
				return self.clients.claim();
			}),
	);
});

self.addEventListener('message', function (event) {
	var d = event.data || {};
	if (d.type !== 'keep' || typeof d.url !== 'string')
		return;
	var u = new URL(d.url, self.location.origin);
	var path = offlinePath(u.pathname);
	if (u.origin !== self.location.origin || !path)
		return;
	event.waitUntil(keep(path).catch(function () {}));
});

self.addEventListener('fetch', function (event) {
	var req = event.request;
	if (req.method !== 'GET')
		return;
	var u = new URL(req.url);
	if (u.origin !== self.location.origin)
		return;
	if (u.pathname.indexOf('/static/') === 0) {
		event.respondWith(
			caches.match(req).then(function (hit) {
				return hit || fetch(req);
			}),
		);
		return;
	}
	var path = offlinePath(u.pathname);
	if (req.mode !== 'navigate' || !path)
		return;
	event.respondWith(
		fetch(req).then(
			function (res) {
				if (u.pathname === path) {
					// The form itself: keep the newest copy (or drop a gone link).
					var done =
						res.status === 404 || res.status === 410
							? caches.open(CACHE).then(function (c) {
									return c.delete(path);
								})
							: res.ok
								? caches.open(CACHE).then(function (c) {
										return store(c, path, res.clone());
									})
								: null;
					if (done)
						event.waitUntil(done.catch(function () {}));
				}
				return res;
			},
			function () {
				// No connection: the kept form of this link, if there is one.
				return caches.match(path).then(function (hit) {
					return hit || Response.error();
				});
			},
		),
	);
});
