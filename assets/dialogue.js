// dialogue.js: the live timer of the facilitator's table view (src/web/page_dialogue.c): the time of the person speaking runs on every second. The turns themselves are counted on the server from the buttons' start and stop, so without this script the view works the same, only the time shown stands still until the next tap or reload.
(function () {
	'use strict';
	var list = document.querySelector('.vp-speakers');
	var running = document.querySelector('.vp-speaker__time[data-since]');
	if (!list || !running) return;
	var base = parseInt(running.getAttribute('data-base'), 10) || 0;
	var since = parseInt(running.getAttribute('data-since'), 10) || 0;
	var serverNow = parseInt(list.getAttribute('data-now'), 10) || since;
	// The server's clock at page load minus the browser's: the browser may
	// be set differently, only the difference since loading is counted.
	var loaded = Date.now();
	function pad(n) { return (n < 10 ? '0' : '') + n; }
	function tick() {
		var elapsed = serverNow - since + Math.floor((Date.now() - loaded) / 1000);
		var total = Math.max(0, base + elapsed);
		running.textContent = Math.floor(total / 60) + ':' + pad(total % 60);
	}
	tick();
	setInterval(tick, 1000);
})();
