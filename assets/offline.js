// offline.js: the story form that works without a connection
// (src/web/page_story_offline.c) and the queue of stories on this device.
//
// - The service worker (/sw.js) is registered from the start page and the
//   offline form, and asked to keep the offline form of this link.
// - A story is turned into the JSON of POST /api/v1/collections/{token}/stories
//   with the conversions of question_form_parse (src/web/question_form.c),
//   given an id made here (a UUID), and put in IndexedDB before it is sent.
// - The queue is sent at every start, when the browser is online again, and
//   after a failure with exponential backoff and jitter (Retry-After counts).
//   A story leaves the device only when the server answered 201 or 200 with
//   its receipt. A story the server refuses (4xx other than 429) stays, with
//   the server's message: in the form when it is on screen, else in a list
//   on its link's offline page, to put back in the form or delete.
// - Nothing else is kept: no answers in the service worker's cache, and the
//   queue's entry is deleted with the receipt.
'use strict';

(function () {
	if (!window.Promise || !document.querySelector)
		return;

	var DB_NAME = 'vertelpunt';
	var STORE = 'stories';
	var BACKOFF_MIN = 1000; // ms: 1, 2, 4 ... seconds, at most 5 minutes
	var BACKOFF_MAX = 5 * 60 * 1000;

	// ---- the queue in IndexedDB ------------------------------------------
	//
	// One record per story: {id, token, url, body, fields, state: "waiting"
	// or "refused", message, question, attempts, next_at, created}.

	var dbPromise = null;

	function openDb() {
		if (!window.indexedDB)
			return Promise.reject(new Error('no IndexedDB'));
		dbPromise = dbPromise || new Promise(function (resolve, reject) {
			var req = indexedDB.open(DB_NAME, 1);
			req.onupgradeneeded = function () {
				req.result.createObjectStore(STORE, { keyPath: 'id' });
			};
			req.onsuccess = function () {
				resolve(req.result);
			};
			req.onerror = function () {
				reject(req.error);
			};
		});
		return dbPromise;
	}

	// Runs fn(store) in a transaction; resolves with the request's result
	// once the transaction has completed (so a put is on disk).
	function withStore(mode, fn) {
		return openDb().then(function (db) {
			return new Promise(function (resolve, reject) {
				var t = db.transaction(STORE, mode);
				var req = fn(t.objectStore(STORE));
				t.oncomplete = function () {
					resolve(req ? req.result : undefined);
				};
				t.onerror = t.onabort = function () {
					reject(t.error);
				};
			});
		});
	}

	function putStory(rec) {
		return withStore('readwrite', function (s) {
			return s.put(rec);
		});
	}

	function allStories() {
		return withStore('readonly', function (s) {
			return s.getAll();
		});
	}

	function deleteStory(id) {
		return withStore('readwrite', function (s) {
			return s.delete(id);
		});
	}

	// ---- ids ---------------------------------------------------------------

	function uuid() {
		if (window.crypto && typeof crypto.randomUUID === 'function')
			return crypto.randomUUID();
		var b = new Uint8Array(16);
		crypto.getRandomValues(b);
		b[6] = (b[6] & 0x0f) | 0x40; // version 4
		b[8] = (b[8] & 0x3f) | 0x80; // variant 10
		var h = Array.prototype.map.call(b, function (x) {
			return (x + 0x100).toString(16).slice(1);
		}).join('');
		return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
	}

	// ---- texts ---------------------------------------------------------------

	var root = document.querySelector('[data-vp-offline]');
	var messages = {};
	try {
		messages = JSON.parse((root && root.getAttribute('data-vp-messages')) || '{}');
	} catch (e) {
		messages = {};
	}

	function t(msgid, n, m) {
		var s = messages[msgid] || msgid;
		return s.replace('{n}', n).replace('{m}', m);
	}

	// ---- sending ---------------------------------------------------------------

	var listeners = []; // called with (record, outcome) after every attempt
	var flushing = null;
	var timer = null;
	var everWaited = false;

	function backoff(attempts) {
		var base = Math.min(BACKOFF_MAX, BACKOFF_MIN * Math.pow(2, Math.min(attempts, 20)));
		return base / 2 + Math.random() * base / 2; // "equal jitter"
	}

	// One attempt: resolves with {sent, receipt} | {retry} | {refused, problem}.
	function sendOne(rec) {
		return fetch(rec.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: JSON.stringify(rec.body),
			credentials: 'same-origin',
			cache: 'no-store',
		}).then(
			function (res) {
				return res.text().then(function (text) {
					var j = null;
					try {
						j = JSON.parse(text);
					} catch (e) {
						j = null;
					}
					if ((res.status === 201 || res.status === 200) && j && j.receipt)
						return { sent: true, receipt: j.receipt };
					if (res.status === 429 || res.status >= 500 || res.status === 200 || res.status === 201) {
						var after = Number(res.headers.get('Retry-After'));
						return { retry: true, after: isFinite(after) && after > 0 ? after * 1000 : 0 };
					}
					return { refused: true, problem: j || { status: res.status, title: String(res.status) } };
				});
			},
			function () {
				return { retry: true, after: 0 }; // no connection
			},
		);
	}

	// Sends one record and keeps the queue right; resolves with the outcome.
	function attempt(rec) {
		return sendOne(rec).then(function (out) {
			var done;
			if (out.sent) {
				done = deleteStory(rec.id);
			} else if (out.retry) {
				rec.attempts = (rec.attempts || 0) + 1;
				rec.next_at = Date.now() + Math.max(backoff(rec.attempts), out.after);
				done = putStory(rec);
			} else {
				rec.state = 'refused';
				rec.message = out.problem.detail || out.problem.title || '';
				rec.question = out.problem.question || null;
				done = putStory(rec);
			}
			return done.then(function () {
				listeners.forEach(function (fn) {
					fn(rec, out);
				});
				return out;
			});
		});
	}

	// Sends every waiting story that is due (all of them when now is set).
	function flush(now) {
		if (flushing)
			return flushing.then(function () {
				return now ? flush(false) : null;
			});
		flushing = allStories()
			.then(function (all) {
				var due = all.filter(function (r) {
					return r.state === 'waiting' && (now || !r.next_at || r.next_at <= Date.now());
				});
				// One after the other: a burst is what the rate limit refuses.
				return due.reduce(function (p, rec) {
					return p.then(function () {
						return attempt(rec);
					});
				}, Promise.resolve());
			})
			.catch(function (err) {
				console.warn('queue not sent:', err);
			})
			.then(function () {
				flushing = null;
				return schedule();
			});
		return flushing;
	}

	// The next attempt at the earliest next_at; the status line.
	function schedule() {
		return allStories()
			.then(function (all) {
				var waiting = all.filter(function (r) {
					return r.state === 'waiting';
				});
				clearTimeout(timer);
				timer = null;
				if (waiting.length) {
					var next = Math.min.apply(null, waiting.map(function (r) {
						return r.next_at || 0;
					}));
					timer = setTimeout(function () {
						flush(false);
					}, Math.max(0, next - Date.now()));
				}
				showStatus(waiting.length);
				return all;
			})
			.catch(function () {
				return [];
			});
	}

	function showStatus(n) {
		var el = document.querySelector('[data-vp-queue-status]');
		if (!el || !root)
			return;
		if (n > 0)
			everWaited = true;
		var text = '';
		if (n === 1)
			text = t('1 story is waiting for a connection.');
		else if (n > 1)
			text = t('{n} stories are waiting for a connection.', n);
		else if (everWaited)
			text = t('All stories have been sent.');
		if (el.textContent !== text)
			el.textContent = text;
	}

	// ---- the service worker ------------------------------------------------

	function registerWorker(offlineUrl) {
		if (!('serviceWorker' in navigator) || !offlineUrl)
			return;
		navigator.serviceWorker
			.register('/sw.js')
			.then(function () {
				return navigator.serviceWorker.ready;
			})
			.then(function (reg) {
				if (reg.active)
					reg.active.postMessage({ type: 'keep', url: offlineUrl });
			})
			.catch(function (err) {
				console.warn('service worker not registered:', err);
			});
	}

	// ---- reading the answers (question_form_parse, in JavaScript) -----------

	var SPACE = ' \t\n\r\f\v';

	function isBlank(s) {
		if (s == null)
			return true;
		for (var i = 0; i < s.length; i++)
			if (SPACE.indexOf(s[i]) < 0)
				return false;
		return true;
	}

	function trimSpace(s) {
		var a = 0, b = s.length;
		while (a < b && SPACE.indexOf(s[a]) >= 0)
			a++;
		while (b > a && SPACE.indexOf(s[b - 1]) >= 0)
			b--;
		return s.slice(a, b);
	}

	// clean_string: white space off the ends, CR LF and CR as LF; null when
	// nothing is left.
	function clean(s) {
		if (s == null)
			return null;
		s = trimSpace(String(s));
		return s === '' ? null : s.replace(/\r\n?/g, '\n');
	}

	// read_number: undefined for a blank field, NaN when not a number.
	function readNumber(s) {
		if (isBlank(s))
			return undefined;
		s = trimSpace(s);
		if (s.length > 62 || !/^[+-]?[0-9]*(?:[.,][0-9]*)?$/.test(s) || !/[0-9]/.test(s))
			return NaN;
		var v = Number(s.replace(',', '.'));
		if (!isFinite(v))
			return NaN;
		return v === 0 ? 0 : v;
	}

	function readPct(s) {
		var v = readNumber(s);
		return v !== undefined && !isNaN(v) && (v < 0 || v > 100) ? NaN : v;
	}

	function daysIn(y, m) {
		if (m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0))
			return 29;
		return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
	}

	function pad(v, n) {
		var s = String(v);
		while (s.length < n)
			s = '0' + s;
		return s;
	}

	// read_date: YYYY-MM-DD, or D-M-YYYY with '-', '/' or '.'; null if neither.
	function readDate(s) {
		var ws = '[ \\t\\n\\r\\f\\v]*';
		var m = new RegExp('^' + ws + '([0-9]{4})-([0-9]{2})-([0-9]{2})' + ws + '$').exec(s);
		var y, mo, d;
		if (m) {
			y = +m[1];
			mo = +m[2];
			d = +m[3];
		} else {
			m = new RegExp('^' + ws + '([0-9]{1,2})([-/.])([0-9]{1,2})\\2([0-9]{4})' + ws + '$').exec(s);
			if (!m)
				return null;
			y = +m[4];
			mo = +m[3];
			d = +m[1];
		}
		if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo))
			return null;
		return pad(y, 4) + '-' + pad(mo, 2) + '-' + pad(d, 2);
	}

	// Reads question element q from the form's data fd. Returns {value}
	// (undefined: not answered; null: not applicable) or {error: msgid}.
	function readAnswer(q, fd, form) {
		var id = q.getAttribute('data-vp-id');
		var type = q.getAttribute('data-vp-type');
		var name = 'a-' + id;
		function get(sfx) {
			var v = fd.get(name + (sfx || ''));
			return typeof v === 'string' ? v : null;
		}
		function has(sfx) {
			return !!form.querySelector('[name="' + CSS.escape(name + (sfx || '')) + '"]');
		}
		function optionIds(fieldName) {
			return Array.prototype.filter
				.call(form.querySelectorAll('input[name="' + CSS.escape(fieldName) + '"]'), function (el) {
					return el.value !== ':other';
				})
				.map(function (el) {
					return el.value;
				});
		}
		if (has(':na') && !isBlank(get(':na')))
			return { value: null };
		var v, x, y, rx, ry;
		switch (type) {
		case 'story': {
			var text = clean(get());
			var title = has(':title') ? clean(get(':title')) : null;
			if (text === null && title === null)
				return { value: undefined };
			var prompt = q.getAttribute('data-vp-prompt');
			if (!prompt) {
				var p = get(':prompt');
				if (optionIds(name + ':prompt').indexOf(p) >= 0)
					prompt = p;
				else if (!isBlank(p))
					return { error: 'Choose one of the questions for your story.' };
			}
			var o = {};
			if (prompt)
				o.prompt = prompt;
			if (title !== null)
				o.title = title;
			o.text = text === null ? '' : text;
			return { value: o };
		}
		case 'text':
			v = clean(get());
			return { value: v === null ? undefined : v };
		case 'choice': {
			v = get();
			var other = has(':other') ? clean(get(':other')) : null;
			if (isBlank(v))
				return { value: other !== null ? { other: other } : undefined };
			if (has(':other') && v === ':other')
				return other !== null ? { value: { other: other } } : { error: 'Write your other answer in the box.' };
			if (optionIds(name).indexOf(v) < 0)
				return { error: 'Choose one of the answers.' };
			return { value: v };
		}
		case 'multi': {
			var ids = optionIds(name);
			var on = {}, otherOn = false, bad = false;
			fd.getAll(name).forEach(function (s) {
				if (typeof s !== 'string' || isBlank(s))
					return;
				if (has(':other') && s === ':other')
					otherOn = true;
				else if (ids.indexOf(s) >= 0)
					on[s] = true;
				else
					bad = true;
			});
			var oth = has(':other') ? clean(get(':other')) : null;
			var a = ids.filter(function (k) {
				return on[k];
			});
			if (otherOn || oth !== null)
				a.push({ other: oth === null ? '' : oth });
			if (bad)
				return { error: 'Choose from the answers that are given.' };
			if (otherOn && oth === null)
				return { error: 'Write your other answer in the box.' };
			return { value: a.length ? a : undefined };
		}
		case 'scale': {
			var points = form.querySelectorAll('input[name="' + CSS.escape(name) + '"]').length;
			v = readNumber(get());
			if (v === undefined)
				return { value: undefined };
			if (isNaN(v) || v !== Math.floor(v) || v < 1 || v > points)
				return { error: 'Choose one of the numbers of the scale.' };
			return { value: v };
		}
		case 'dyad':
			v = readPct(get());
			if (v === undefined)
				return { value: undefined };
			return isNaN(v) ? { error: 'Give a number from 0 to 100.' } : { value: v };
		case 'triad': {
			var pc = [], blank = 0;
			for (var i = 0; i < 3; i++) {
				var c = readPct(get(':' + i));
				if (c !== undefined && isNaN(c))
					return { error: 'Give each corner a percentage from 0 to 100.' };
				if (c === undefined) {
					c = 0;
					blank++;
				}
				pc.push(c);
			}
			if (blank === 3)
				return { value: undefined };
			var sum = pc[0] + pc[1] + pc[2];
			if (sum < 99 || sum > 101)
				return { error: 'The three percentages must add up to 100.' };
			return { value: [pc[0] / sum, pc[1] / sum, pc[2] / sum] };
		}
		case 'stones': {
			var out = {}, answered = false, err = null;
			var prefix = name + ':';
			Array.prototype.forEach.call(form.querySelectorAll('input[type=checkbox][name$=":off"]'), function (off) {
				if (off.name.indexOf(prefix) !== 0)
					return;
				var sid = off.name.slice(prefix.length, -':off'.length);
				var sfx = ':' + sid;
				if (!isBlank(get(sfx + ':off'))) {
					answered = true;
					return;
				}
				var sx = readPct(get(sfx + ':x')), sy = readPct(get(sfx + ':y'));
				if (sx === undefined && sy === undefined)
					return;
				if ((sx !== undefined && isNaN(sx)) || (sy !== undefined && isNaN(sy))) {
					err = 'Give numbers from 0 to 100 for the stones.';
					return;
				}
				if (sx === undefined || sy === undefined) {
					err = 'Give both numbers for each stone you place, or tick Not placed.';
					return;
				}
				out[sid] = [sx, sy];
				answered = true;
			});
			if (err)
				return { error: err };
			return { value: answered ? out : undefined };
		}
		case 'pin': {
			rx = readPct(get(':x'));
			ry = readPct(get(':y'));
			var note = has(':note') ? clean(get(':note')) : null;
			var pin = {};
			x = rx !== undefined && !isNaN(rx);
			y = ry !== undefined && !isNaN(ry);
			if (x && y) {
				pin.x = rx;
				pin.y = ry;
			}
			if (note !== null)
				pin.note = note;
			if (rx === undefined && ry === undefined && note === null)
				return { value: undefined };
			if ((rx !== undefined && isNaN(rx)) || (ry !== undefined && isNaN(ry)))
				return { error: 'Give numbers from 0 to 100 for the place on the picture.' };
			if (rx === undefined || ry === undefined)
				return { error: 'Put the pin on the picture.' };
			return { value: pin };
		}
		case 'date':
			v = get();
			if (isBlank(v))
				return { value: undefined };
			v = readDate(v);
			return v === null ? { error: 'Give a date, for example 17-03-2024.' } : { value: v };
		case 'number':
			v = readNumber(get());
			if (v === undefined)
				return { value: undefined };
			if (isNaN(v))
				return { error: 'Give a number, for example 12 or 2.5.' };
			if (q.hasAttribute('data-vp-integer') && v !== Math.floor(v))
				return { error: 'Give a whole number, without decimals.' };
			return { value: v };
		default:
			return { error: 'This answer cannot be read.' };
		}
	}

	// ---- the form ------------------------------------------------------------

	function initForm() {
		var form = root.querySelector('[data-vp-offline-form]');
		if (!form)
			return;
		var token = root.getAttribute('data-vp-token');
		var steps = Array.prototype.slice.call(form.querySelectorAll('[data-vp-step]'));
		var summary = form.querySelector('[data-vp-error-summary]');
		var progress = form.querySelector('[data-vp-progress]');
		var next = form.querySelector('[data-vp-next]');
		var back = form.querySelector('[data-vp-back]');
		var send = form.querySelector('[data-vp-send]');
		var receipt = root.querySelector('[data-vp-receipt]');
		var queued = root.querySelector('[data-vp-queued]');
		var again = root.querySelector('[data-vp-again]');
		var refusedList = root.querySelector('[data-vp-rejected]');
		var consent = form.querySelector('#consent');
		var consentAt = 0;
		var current = 0;
		var storyId = null; // the id of the story on screen, once it was sent

		consent.addEventListener('change', function () {
			consentAt = consent.checked ? Math.floor(Date.now() / 1000) : 0;
		});

		function questions(step) {
			return Array.prototype.filter.call(step.querySelectorAll('[data-vp-question]'), function (q) {
				return !q.hidden;
			});
		}

		// A step is shown when it asks something (the consent step always).
		function stepAsks(i) {
			return i === 0 || questions(steps[i]).length > 0;
		}

		function move(from, dir) {
			for (var i = from + dir; i >= 0 && i < steps.length; i += dir)
				if (stepAsks(i))
					return i;
			return -1;
		}

		function show(i, focus) {
			current = i;
			steps.forEach(function (s, k) {
				s.hidden = k !== i;
			});
			var shown = 0, total = 0;
			for (var k = 0; k < steps.length; k++) {
				if (!stepAsks(k))
					continue;
				total++;
				if (k <= i)
					shown = total;
			}
			progress.hidden = false;
			progress.querySelector('p').textContent = t('Step {n} of {m}', shown, total);
			var bar = progress.querySelector('progress');
			bar.max = total;
			bar.value = shown;
			var last = move(i, 1) < 0;
			next.hidden = last;
			send.hidden = !last;
			back.hidden = move(i, -1) < 0;
			if (focus) {
				var h = steps[i].querySelector('h2');
				if (h)
					h.focus();
				else
					steps[i].scrollIntoView();
			}
		}

		// ---- errors ----

		function clearErrors() {
			summary.hidden = true;
			summary.querySelector('ul').textContent = '';
			Array.prototype.forEach.call(form.querySelectorAll('[data-vp-js-error]'), function (p) {
				var q = p.closest('[data-vp-question]');
				if (q)
					markInvalid(q, null);
				p.remove();
			});
			var ce = form.querySelector('#consent-error');
			ce.hidden = true;
			ce.textContent = '';
			consent.removeAttribute('aria-invalid');
			consent.removeAttribute('aria-describedby');
			consent.closest('.utrecht-form-field').classList.remove('utrecht-form-field--invalid');
		}

		// The field(s) that describe question q: its fieldset, else its input.
		function describedTarget(q) {
			return q.querySelector('fieldset') || q.querySelector('input, textarea, select');
		}

		function markInvalid(q, errId) {
			var el = describedTarget(q);
			if (!el)
				return;
			var ids = (el.getAttribute('aria-describedby') || '').split(' ').filter(function (x) {
				return x && x !== q.getAttribute('data-vp-js-error-id');
			});
			if (errId) {
				ids.push(errId);
				q.setAttribute('data-vp-js-error-id', errId);
				q.classList.add('vp-question--invalid');
			} else {
				q.removeAttribute('data-vp-js-error-id');
				q.classList.remove('vp-question--invalid');
			}
			if (ids.length)
				el.setAttribute('aria-describedby', ids.join(' '));
			else
				el.removeAttribute('aria-describedby');
			var inputs = q.querySelectorAll('input:not([type=checkbox]):not([type=radio]), textarea');
			Array.prototype.forEach.call(inputs, function (i) {
				if (errId)
					i.setAttribute('aria-invalid', 'true');
				else
					i.removeAttribute('aria-invalid');
			});
		}

		function labelOf(q) {
			var l = q.querySelector('[id$=":label"]');
			if (!l)
				return '';
			var c = l.cloneNode(true);
			Array.prototype.forEach.call(c.querySelectorAll('.vp-question__required'), function (r) {
				r.remove();
			});
			return c.textContent.trim();
		}

		// errors: [{q (element) or null for consent, text}]
		function showErrors(errors) {
			var ul = summary.querySelector('ul');
			errors.forEach(function (e) {
				var li = document.createElement('li');
				var a = document.createElement('a');
				a.className = 'utrecht-link';
				if (e.q) {
					var id = e.q.getAttribute('data-vp-id');
					a.href = '#q-' + id;
					var label = labelOf(e.q);
					a.textContent = label ? label + (/[?.!:]$/.test(label) ? ' ' : ': ') + e.text : e.text;
					var p = document.createElement('p');
					p.className = 'utrecht-form-field-error-message vp-question__error';
					p.id = 'a-' + id + ':jserror';
					p.setAttribute('data-vp-js-error', '');
					p.textContent = e.text;
					var first = e.q.querySelector('legend, .utrecht-form-field__label');
					if (first && first.parentNode)
						first.parentNode.insertBefore(p, first.nextSibling);
					else
						e.q.insertBefore(p, e.q.firstChild);
					markInvalid(e.q, p.id);
				} else {
					a.href = '#consent';
					a.textContent = e.text;
					var ce = form.querySelector('#consent-error');
					ce.textContent = e.text;
					ce.hidden = false;
					consent.setAttribute('aria-invalid', 'true');
					consent.setAttribute('aria-describedby', 'consent-error');
					consent.closest('.utrecht-form-field').classList.add('utrecht-form-field--invalid');
				}
				a.addEventListener('click', function (ev) {
					ev.preventDefault();
					var target = e.q || consent;
					var step = target.closest('[data-vp-step]');
					var k = steps.indexOf(step);
					if (k >= 0 && k !== current)
						show(k, false);
					var f = e.q ? e.q.querySelector('input:not([type=hidden]), textarea') : consent;
					if (f && f.offsetParent === null)
						f = e.q.querySelector('input:not([type=hidden]):not([hidden]), textarea');
					(f || target).focus();
					target.scrollIntoView({ block: 'center' });
				});
				li.appendChild(a);
				ul.appendChild(li);
			});
			summary.hidden = false;
			summary.focus();
		}

		// Checks steps from..to; returns the errors, and the answers read.
		function check(from, to, answers) {
			var errors = [];
			var fd = new FormData(form);
			for (var i = from; i <= to; i++) {
				if (i === 0) {
					if (!consent.checked)
						errors.push({ q: null, text: t('Tick the box to take part.') });
					continue;
				}
				questions(steps[i]).forEach(function (q) {
					var r = readAnswer(q, fd, form);
					if (r.error)
						errors.push({ q: q, text: t(r.error) });
					else if (r.value === undefined && q.hasAttribute('data-vp-required'))
						errors.push({ q: q, text: t('This question needs an answer.') });
					else if (r.value !== undefined && answers)
						answers[q.getAttribute('data-vp-id')] = r.value;
				});
			}
			return errors;
		}

		function firstStepOf(errors) {
			var e = errors[0];
			return e.q ? steps.indexOf(e.q.closest('[data-vp-step]')) : 0;
		}

		next.addEventListener('click', function () {
			clearErrors();
			var errors = check(current, current, null);
			if (errors.length) {
				showErrors(errors);
				return;
			}
			var to = move(current, 1);
			if (to >= 0)
				show(to, true);
		});
		back.addEventListener('click', function () {
			clearErrors();
			var to = move(current, -1);
			if (to >= 0)
				show(to, true);
		});
		// A condition may hide or show a step: buttons and progress follow.
		form.addEventListener('change', function () {
			setTimeout(function () {
				show(current, false);
			}, 0);
		});

		// What the teller typed, to put back in the form later.
		function fieldsOf() {
			var out = [];
			new FormData(form).forEach(function (v, k) {
				if (typeof v === 'string')
					out.push([k, v]);
			});
			return out;
		}

		function restore(fields) {
			form.reset();
			fields.forEach(function (kv) {
				Array.prototype.forEach.call(form.querySelectorAll('[name="' + CSS.escape(kv[0]) + '"]'), function (el) {
					if (el.type === 'checkbox' || el.type === 'radio') {
						if (el.value === kv[1])
							el.checked = true;
					} else {
						el.value = kv[1];
					}
				});
			});
			// Widgets and conditions read the fields again.
			Array.prototype.forEach.call(form.querySelectorAll('input, textarea'), function (el) {
				el.dispatchEvent(new Event('input', { bubbles: true }));
			});
			form.dispatchEvent(new Event('change', { bubbles: true }));
			consentAt = consent.checked ? consentAt || Math.floor(Date.now() / 1000) : 0;
		}

		function finished(out) {
			form.hidden = true;
			summary.hidden = true;
			if (out.sent) {
				receipt.querySelector('#ontvangstcode').textContent = out.receipt;
				queued.hidden = true;
				receipt.hidden = false;
				receipt.querySelector('h2').focus();
			} else {
				queued.hidden = false;
				queued.querySelector('h2').focus();
			}
			again.hidden = false;
		}

		// The server refused the story on screen: its message, the form as it was.
		function refused(rec) {
			form.hidden = false;
			queued.hidden = true;
			clearErrors();
			var q = rec.question ? form.querySelector('[data-vp-id="' + CSS.escape(rec.question) + '"]') : null;
			var text = t('The server did not take this story:') + ' ' + rec.message;
			if (q && !q.hidden) {
				show(steps.indexOf(q.closest('[data-vp-step]')), false);
				showErrors([{ q: q, text: rec.message }]);
			} else {
				showErrors([{ q: null, text: text }]);
				var ce = form.querySelector('#consent-error');
				ce.hidden = true;
				consent.removeAttribute('aria-invalid');
				consent.removeAttribute('aria-describedby');
				consent.closest('.utrecht-form-field').classList.remove('utrecht-form-field--invalid');
			}
		}

		listeners.push(function (rec, out) {
			if (rec.id !== storyId)
				return;
			if (out.sent) {
				finished(out);
			} else if (out.refused) {
				refused(rec);
			}
		});

		form.addEventListener('submit', function (ev) {
			ev.preventDefault();
			// Enter in a field before the last step goes on, as Next.
			if (move(current, 1) >= 0) {
				next.click();
				return;
			}
			clearErrors();
			var answers = {};
			var errors = check(0, steps.length - 1, answers);
			if (errors.length) {
				show(firstStepOf(errors), false);
				showErrors(errors);
				return;
			}
			send.disabled = true;
			var rec = {
				id: storyId || uuid(),
				token: token,
				url: '/api/v1/collections/' + encodeURIComponent(token) + '/stories',
				state: 'waiting',
				attempts: 0,
				// Sent just below; a flush meanwhile leaves it (a new start
				// sends it whatever this says).
				next_at: Date.now() + 30000,
				created: Date.now(),
				fields: fieldsOf(),
				body: {
					id: null,
					channel: 'web',
					script_version: Number(root.getAttribute('data-vp-version')),
					language: root.getAttribute('data-vp-lang'),
					answers: answers,
					consent: {
						text_hash: root.getAttribute('data-vp-privacy-hash'),
						at: consentAt || Math.floor(Date.now() / 1000),
					},
				},
			};
			rec.body.id = rec.id;
			storyId = rec.id;
			// On the device first: a tab closed now loses nothing.
			putStory(rec)
				.then(function () {
					return attempt(rec);
				})
				.then(function (out) {
					if (out.retry) {
						finished(out);
						schedule();
					}
					renderRefused();
				})
				.catch(function (err) {
					// No IndexedDB (a private window in some browsers): send
					// once without the queue, and say so when it fails.
					console.warn('queue unavailable:', err);
					sendOne(rec).then(function (out) {
						if (out.sent)
							finished(out);
						else
							refused({ id: rec.id, message: out.problem ? out.problem.detail || out.problem.title : t('This story could not be sent:'), question: out.problem && out.problem.question });
					});
				})
				.then(function () {
					send.disabled = false;
				});
		});

		// Stories of this link that the server refused, not on screen.
		function renderRefused() {
			return allStories()
				.then(function (all) {
					var mine = all.filter(function (r) {
						return r.state === 'refused' && r.token === token && r.id !== storyId;
					});
					refusedList.textContent = '';
					refusedList.hidden = mine.length === 0;
					mine.forEach(function (r) {
						var box = document.createElement('div');
						box.className = 'utrecht-alert utrecht-alert--warning';
						box.setAttribute('data-vp-refused', r.id);
						var c = document.createElement('div');
						c.className = 'utrecht-alert__content';
						var p = document.createElement('p');
						p.className = 'utrecht-paragraph';
						p.textContent = t('This story could not be sent:') + ' ' + (r.message || '');
						c.appendChild(p);
						var group = document.createElement('div');
						group.className = 'utrecht-button-group';
						var put = document.createElement('button');
						put.type = 'button';
						put.className = 'utrecht-button utrecht-button--secondary-action';
						put.textContent = t('Put it back in the form');
						put.addEventListener('click', function () {
							restore(r.fields || []);
							storyId = r.id;
							consentAt = (r.body && r.body.consent && r.body.consent.at) || consentAt;
							form.hidden = false;
							receipt.hidden = true;
							queued.hidden = true;
							renderRefused();
							refused(r);
						});
						var del = document.createElement('button');
						del.type = 'button';
						del.className = 'utrecht-button utrecht-button--subtle';
						del.textContent = t('Delete it from this device');
						del.addEventListener('click', function () {
							deleteStory(r.id).then(function () {
								renderRefused();
								var st = document.querySelector('[data-vp-queue-status]');
								st.textContent = t('The story is deleted from this device.');
							});
						});
						group.appendChild(put);
						group.appendChild(del);
						c.appendChild(group);
						box.appendChild(c);
						refusedList.appendChild(box);
					});
				})
				.catch(function () {});
		}

		[next, back, send].forEach(function (b) {
			b.hidden = false;
		});
		show(0, false);
		renderRefused();
		// A story put back in the form and sent again replaces its entry.
		window.addEventListener('pageshow', renderRefused);
	}

	// ---- start -----------------------------------------------------------------

	function init() {
		// The web app manifest, for "add to home screen" (the page frame,
		// layout.c, has no link to it).
		if (!document.querySelector('link[rel=manifest]')) {
			var m = document.createElement('link');
			m.rel = 'manifest';
			m.href = '/manifest.webmanifest';
			document.head.appendChild(m);
		}
		var link = document.querySelector('[data-vp-offline-link]');
		var offlineUrl = root ? location.pathname : link ? link.getAttribute('href') : null;
		registerWorker(offlineUrl);
		if (root)
			initForm();
		window.addEventListener('online', function () {
			flush(true);
		});
		flush(true);
	}

	// Tests and curious people: the queue, read-only.
	window.vpOfflineQueue = {
		stories: allStories,
		flush: function () {
			return flush(true);
		},
	};

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
})();
