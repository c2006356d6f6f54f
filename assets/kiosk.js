// kiosk.js: the kiosk's timers and full screen (src/web/page_story.c): after
// a while without use a warning, then the form starts again (the draft of
// this teller is deleted on the server); the thank-you page starts again by
// itself. Without this script the kiosk works, only without timers.
(function () {
	'use strict';
	var body = document.body;
	if (!body || !body.classList.contains('vp-kiosk')) return;

	function seconds(name, fallback) {
		var n = parseInt(body.getAttribute(name), 10);
		return n > 0 ? n : fallback;
	}
	var idle = seconds('data-kiosk-idle', 90);
	var warn = seconds('data-kiosk-warn', 30);
	var back = seconds('data-kiosk-back', 20);
	var start = body.getAttribute('data-kiosk-start');
	var resetForm = document.getElementById('kiosk-reset');
	var dialog = document.getElementById('kiosk-warning');
	var going = false;

	// Back to the start for the next person. The POST deletes the draft and
	// the cookie; location.replace keeps this page out of the history, and
	// the server sends anyone going back to the start (no draft any more).
	function reset() {
		if (going || !start) return;
		going = true;
		var done = function () { window.location.replace(start); };
		if (!resetForm || !window.fetch) {
			if (resetForm) resetForm.submit(); else done();
			return;
		}
		var data = new URLSearchParams(new FormData(resetForm));
		window.fetch(resetForm.action, {
			method: 'POST',
			body: data,
			credentials: 'same-origin',
			redirect: 'manual'
		}).then(done, done);
	}

	// A page taken from the back/forward cache may show an earlier teller's
	// answers: load it anew (the server decides what is left).
	window.addEventListener('pageshow', function (e) {
		if (e.persisted) window.location.reload();
	});

	// Full screen, where the browser can.
	var fs = document.getElementById('kiosk-fullscreen');
	var root = document.documentElement;
	if (fs && document.fullscreenEnabled && root.requestFullscreen) {
		var showFs = function () { fs.hidden = !!document.fullscreenElement; };
		fs.addEventListener('click', function () {
			root.requestFullscreen().catch(function () {});
		});
		document.addEventListener('fullscreenchange', showFs);
		showFs();
	}

	function countdown(el, from, then) {
		var left = from;
		if (el) el.textContent = String(left);
		var t = window.setInterval(function () {
			left -= 1;
			if (el) el.textContent = String(Math.max(left, 0));
			if (left <= 0) {
				window.clearInterval(t);
				then();
			}
		}, 1000);
		return t;
	}

	// The thank-you page: back to the start by itself.
	if (body.getAttribute('data-kiosk-thanks') === '1') {
		countdown(document.getElementById('kiosk-back-count'), back, reset);
		var again = document.getElementById('kiosk-again');
		if (again) {
			again.addEventListener('click', function (e) {
				e.preventDefault();
				reset();
			});
		}
		return;
	}

	// Inactivity: a warning (a modal dialog, focus on its button), then reset.
	var idleTimer = 0;
	var warnTimer = 0;
	var count = document.getElementById('kiosk-warning-count');
	function warning() {
		if (!dialog || typeof dialog.showModal !== 'function') {
			reset();
			return;
		}
		dialog.showModal();
		warnTimer = countdown(count, warn, reset);
	}
	function active() {
		if (going || (dialog && dialog.open)) return;
		window.clearTimeout(idleTimer);
		idleTimer = window.setTimeout(warning, idle * 1000);
	}
	function goOn() {
		window.clearInterval(warnTimer);
		if (dialog && dialog.open) dialog.close();
		if (count) count.textContent = String(warn);
		active();
	}
	var cont = document.getElementById('kiosk-continue');
	if (cont) cont.addEventListener('click', goOn);
	// Escape closes a modal dialog: that is an answer too.
	if (dialog) dialog.addEventListener('cancel', function (e) {
		e.preventDefault();
		goOn();
	});
	['pointerdown', 'keydown', 'input', 'wheel', 'touchstart', 'scroll'].forEach(function (ev) {
		window.addEventListener(ev, active, { passive: true, capture: true });
	});
	active();
})();
