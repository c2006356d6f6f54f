// widgets.js: brings the question widgets to life (dyad slider, triad triangle,
// stones square, pin picture) on top of their plain number fields, greys
// out a question whose "Not applicable" box is ticked, and shows a question
// with a condition (show_if) only while the answer it depends on meets it.
//
// The markup comes from src/web/question_form.c and works without this file:
// every widget sits in a [data-vp-widget-ui] container that is `hidden` until
// this script shows it, and the number fields below it are what the form
// posts. The widget only ever writes those fields and reads them back, so the
// two never disagree. No inline scripts or styles (the CSP forbids them):
// positions are set through the CSSOM and SVG attributes.
//
// Old browsers without pointer events keep the number fields only; an error
// while setting up one widget leaves that widget hidden, never half working.
'use strict';

(function () {
	if (!('PointerEvent' in window) || !document.querySelector || !window.DOMPoint)
		return;

	var TRIAD_H = 86.6025; // the triangle of question_form.c: 100 wide, equilateral
	var CORNERS = [[50, 0], [0, TRIAD_H], [100, TRIAD_H]];

	function clamp(v, lo, hi) {
		return Math.min(hi, Math.max(lo, v));
	}

	// A number field read the way the server reads it (a comma is a decimal
	// point): null when empty, NaN when not a number.
	function readNum(input) {
		var s = input.value.trim().replace(',', '.');
		if (s === '')
			return null;
		if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s))
			return NaN;
		return Number(s);
	}

	function isNum(v) {
		return v !== null && !Number.isNaN(v);
	}

	function labelText(input) {
		var l = input && input.labels && input.labels[0];
		return l ? l.textContent.trim() : '';
	}

	// Says text through the widget's polite live region, once things are
	// still for a moment (not on every step of a drag).
	function announcer(root) {
		var live = root.querySelector('[data-vp-live]');
		var timer = 0;
		return function (text, now) {
			if (!live)
				return;
			clearTimeout(timer);
			timer = setTimeout(function () {
				live.textContent = text;
			}, now ? 0 : 400);
		};
	}

	function arrowDelta(e, step) {
		switch (e.key) {
		case 'ArrowLeft': return [-step, 0];
		case 'ArrowRight': return [step, 0];
		case 'ArrowUp': return [0, -step];
		case 'ArrowDown': return [0, step];
		default: return null;
		}
	}

	// Lets other scripts (and the browser's own validity) see a change made
	// by the widget.
	function changed(input) {
		input.dispatchEvent(new Event('change', { bubbles: true }));
	}

	// ---- dyad: a native range slider; the number field is what is posted --

	function initDyad(root) {
		var range = root.querySelector('[data-vp-range]');
		var num = root.querySelector('.vp-fallback input[type=number]');
		var poles = root.querySelectorAll('.vp-dyad__pole');
		var left = poles[0].textContent.trim(), right = poles[1].textContent.trim();
		var closer = root.getAttribute('data-vp-closer') || '';
		var middle = root.getAttribute('data-vp-middle') || '';

		function valuetext(v) {
			if (v === 50)
				return '50, ' + middle;
			return v + ', ' + closer + ' ' + (v < 50 ? left : right);
		}

		// An untouched slider answers nothing: its thumb is shown as empty
		// until the person moves it or types a number.
		function show(v) {
			root.classList.toggle('vp-dyad--unset', v === null);
			if (v === null) {
				range.value = 50;
				range.removeAttribute('aria-valuetext');
				return;
			}
			range.value = v;
			range.setAttribute('aria-valuetext', valuetext(Math.round(v)));
		}

		function fromRange() {
			var v = Number(range.value);
			num.value = String(v);
			show(v);
			changed(num);
		}

		function fromNumber() {
			var v = readNum(num);
			show(isNum(v) ? clamp(v, 0, 100) : null);
		}

		range.addEventListener('input', fromRange);
		// A tap on the thumb where it already is still answers.
		range.addEventListener('pointerup', function () {
			if (root.classList.contains('vp-dyad--unset'))
				fromRange();
		});
		range.addEventListener('keydown', function (e) {
			var d = arrowDelta(e, 10);
			if (!d || !e.shiftKey)
				return;
			e.preventDefault();
			var v = root.classList.contains('vp-dyad--unset') ? 50 : Number(range.value);
			range.value = clamp(v + (d[0] || -d[1]), 0, 100);
			fromRange();
		});
		num.addEventListener('input', fromNumber);
		fromNumber();
	}

	// ---- triad: a point in a triangle; three percentages are posted -------

	function toWeights(p) {
		var a = 1 - p[1] / TRIAD_H;
		var c = (p[0] - 50 * a) / 100;
		return [a, 1 - a - c, c];
	}

	function toPoint(w) {
		return [w[0] * CORNERS[0][0] + w[1] * CORNERS[1][0] + w[2] * CORNERS[2][0],
			w[0] * CORNERS[0][1] + w[1] * CORNERS[1][1] + w[2] * CORNERS[2][1]];
	}

	// The point itself when inside the triangle, else the nearest point on
	// its edges.
	function intoTriangle(p) {
		var w = toWeights(p);
		if (w[0] >= 0 && w[1] >= 0 && w[2] >= 0)
			return p;
		var best = null, bestD = Infinity;
		for (var i = 0; i < 3; i++) {
			var a = CORNERS[i], b = CORNERS[(i + 1) % 3];
			var dx = b[0] - a[0], dy = b[1] - a[1];
			var t = clamp(((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy), 0, 1);
			var q = [a[0] + t * dx, a[1] + t * dy];
			var d = (q[0] - p[0]) * (q[0] - p[0]) + (q[1] - p[1]) * (q[1] - p[1]);
			if (d < bestD) {
				bestD = d;
				best = q;
			}
		}
		return best;
	}

	// Whole percentages that add up to exactly 100 (largest remainder).
	function percents(w) {
		var raw = w.map(function (v) { return Math.max(0, v) * 100; });
		var out = raw.map(Math.floor);
		var rest = 100 - out[0] - out[1] - out[2];
		var order = [0, 1, 2].sort(function (i, j) { return (raw[j] - out[j]) - (raw[i] - out[i]); });
		for (var k = 0; k < rest; k++)
			out[order[k % 3]]++;
		return out;
	}

	function initTriad(root) {
		var area = root.querySelector('[data-vp-area]');
		var svg = root.querySelector('[data-vp-svg]');
		var dot = svg.querySelector('.vp-triad__point');
		var inputs = Array.prototype.slice.call(root.querySelectorAll('.vp-triad__numbers input[type=number]'));
		var total = root.querySelector('[data-vp-total]');
		var sum = root.querySelector('[data-vp-sum]');
		var bad = root.querySelector('[data-vp-total-bad]');
		var labels = inputs.map(labelText);
		var say = announcer(root);
		var pos = null, dragging = null;
		if (inputs.length !== 3)
			throw new Error('triad without three fields');

		function draw() {
			area.classList.toggle('vp-placed', pos !== null);
			if (pos) {
				dot.setAttribute('cx', pos[0].toFixed(2));
				dot.setAttribute('cy', pos[1].toFixed(2));
			}
		}

		function showTotal() {
			var v = inputs.map(readNum);
			if (v.every(function (x) { return x === null; })) {
				total.hidden = true;
				return;
			}
			var s = v.reduce(function (acc, x) { return acc + (isNum(x) ? x : 0); }, 0);
			sum.textContent = String(Math.round(s * 10) / 10);
			bad.hidden = Math.abs(s - 100) <= 1;
			total.hidden = false;
		}

		function describe() {
			return labels.map(function (l, i) { return l + ' ' + (inputs[i].value || '0') + '%'; }).join(', ');
		}

		function place(p, announce) {
			pos = intoTriangle(p);
			var pc = percents(toWeights(pos));
			inputs.forEach(function (input, i) { input.value = String(pc[i]); });
			showTotal();
			draw();
			if (announce)
				say(describe());
		}

		function fromInputs() {
			var v = inputs.map(readNum);
			showTotal();
			if (v.some(function (x) { return Number.isNaN(x) || x < 0; }))
				return;
			var w = v.map(function (x) { return x === null ? 0 : x; });
			var s = w[0] + w[1] + w[2];
			pos = s > 0 ? toPoint(w.map(function (x) { return x / s; })) : null;
			draw();
		}

		function svgPoint(e) {
			var m = svg.getScreenCTM();
			if (!m)
				return null;
			var p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
			return [p.x, p.y];
		}

		area.addEventListener('pointerdown', function (e) {
			if (e.button !== 0 || area.classList.contains('vp-off'))
				return;
			var p = svgPoint(e);
			if (!p)
				return;
			e.preventDefault();
			area.focus({ preventScroll: true });
			dragging = e.pointerId;
			area.setPointerCapture(e.pointerId);
			area.classList.add('vp-dragging');
			place(p, false);
		});
		area.addEventListener('pointermove', function (e) {
			if (dragging !== e.pointerId)
				return;
			var p = svgPoint(e);
			if (p)
				place(p, false);
		});
		function end(e) {
			if (dragging !== e.pointerId)
				return;
			dragging = null;
			area.classList.remove('vp-dragging');
			inputs.forEach(changed);
			say(describe());
		}
		area.addEventListener('pointerup', end);
		area.addEventListener('pointercancel', end);
		area.addEventListener('keydown', function (e) {
			var centre = toPoint([1 / 3, 1 / 3, 1 / 3]);
			var d = arrowDelta(e, e.shiftKey ? 10 : 2);
			if (d) {
				place(pos ? [pos[0] + d[0], pos[1] + d[1]] : centre, true);
			} else if (e.key === 'Home' || ((e.key === 'Enter' || e.key === ' ') && !pos)) {
				place(centre, true);
			} else if (e.key === 'Delete' || e.key === 'Backspace') {
				inputs.forEach(function (input) { input.value = ''; });
				pos = null;
				showTotal();
				draw();
				say(area.getAttribute('data-vp-cleared') || '');
			} else {
				return;
			}
			e.preventDefault();
			inputs.forEach(changed);
		});
		inputs.forEach(function (input) { input.addEventListener('input', fromInputs); });
		fromInputs();
	}

	// ---- stones: stones on a square; x and y per stone are posted ---------

	function initStones(root) {
		var ui = root.querySelector('[data-vp-widget-ui]');
		var canvas = root.querySelector('[data-vp-canvas]');
		var tray = root.querySelector('[data-vp-tray]');
		var say = announcer(root);
		var stones = Array.prototype.map.call(root.querySelectorAll('.vp-stone'), function (btn) {
			var fields = root.querySelector('[data-vp-stone-fields="' + btn.getAttribute('data-vp-stone') + '"]');
			var nums = fields.querySelectorAll('input[type=number]');
			return {
				btn: btn,
				x: nums[0],
				y: nums[1],
				off: fields.querySelector('input[type=checkbox]'),
				label: btn.querySelector('.vp-stone__label').textContent.trim(),
				pos: null,
			};
		});
		var selected = null, drag = null;

		function read(s) {
			if (s.off.checked)
				return null;
			var x = readNum(s.x), y = readNum(s.y);
			return isNum(x) && isNum(y) ? [clamp(x, 0, 100), clamp(y, 0, 100)] : null;
		}

		function describe(s) {
			if (!s.pos)
				return s.label + ': ' + labelText(s.off);
			return s.label + ': ' + labelText(s.x) + ' ' + Math.round(s.pos[0]) + ', ' +
				labelText(s.y) + ' ' + Math.round(s.pos[1]);
		}

		// Puts the stone's button where it belongs: on the square (y grows
		// upwards) or back in the tray in its own order. Moving a focused
		// button in the document drops its focus, so it gets it back.
		function draw(s) {
			var focused = document.activeElement === s.btn;
			var parent = s.pos ? canvas : tray;
			if (s.btn.parentNode !== parent) {
				if (s.pos) {
					canvas.appendChild(s.btn);
				} else {
					var next = null;
					for (var i = stones.indexOf(s) + 1; i < stones.length && !next; i++)
						if (stones[i].btn.parentNode === tray)
							next = stones[i].btn;
					tray.insertBefore(s.btn, next);
				}
				if (focused)
					s.btn.focus({ preventScroll: true });
			}
			s.btn.classList.toggle('vp-stone--placed', !!s.pos);
			s.btn.style.left = s.pos ? s.pos[0] + '%' : '';
			s.btn.style.top = s.pos ? (100 - s.pos[1]) + '%' : '';
			s.btn.setAttribute('aria-pressed', selected === s ? 'true' : 'false');
		}

		function set(s, pos, announce) {
			s.pos = pos ? [Math.round(clamp(pos[0], 0, 100)), Math.round(clamp(pos[1], 0, 100))] : null;
			s.x.value = s.pos ? String(s.pos[0]) : '';
			s.y.value = s.pos ? String(s.pos[1]) : '';
			// Taken off the square by the person: "not placed" on purpose.
			if (!s.pos && announce)
				s.off.checked = true;
			if (s.pos)
				s.off.checked = false;
			draw(s);
			if (announce)
				say(describe(s));
		}

		function select(s) {
			var was = selected;
			selected = s;
			if (was)
				draw(was);
			if (s)
				draw(s);
		}

		function canvasPos(e) {
			var r = canvas.getBoundingClientRect();
			return [(e.clientX - r.left) / r.width * 100, 100 - (e.clientY - r.top) / r.height * 100];
		}

		// Well outside the square (by a tenth of its size) counts as off.
		function outside(p) {
			return p[0] < -10 || p[0] > 110 || p[1] < -10 || p[1] > 110;
		}

		stones.forEach(function (s) {
			s.btn.addEventListener('pointerdown', function (e) {
				if (e.button !== 0)
					return;
				e.preventDefault();
				s.btn.focus({ preventScroll: true });
				// Captured by the widget, not the button: the button moves
				// between tray and square during the drag.
				ui.setPointerCapture(e.pointerId);
				drag = { s: s, id: e.pointerId, x: e.clientX, y: e.clientY, moved: false };
			});
			s.btn.addEventListener('click', function (e) {
				// A keyboard click (Enter, Space): choose the stone for a
				// tap on the square. Pointer taps are handled in pointerup.
				if (e.detail === 0)
					select(selected === s ? null : s);
			});
			s.btn.addEventListener('keydown', function (e) {
				var d = arrowDelta(e, e.shiftKey ? 10 : 1);
				if (d) {
					set(s, s.pos ? [s.pos[0] + d[0], s.pos[1] - d[1]] : [50, 50], true);
				} else if (e.key === 'Delete' || e.key === 'Backspace') {
					set(s, null, true);
				} else {
					return;
				}
				e.preventDefault();
				changed(s.x);
			});
			s.off.addEventListener('change', function () {
				if (s.off.checked) {
					s.pos = null;
					s.x.value = '';
					s.y.value = '';
				}
				s.pos = read(s);
				draw(s);
			});
			[s.x, s.y].forEach(function (input) {
				input.addEventListener('input', function () {
					if (readNum(s.x) !== null || readNum(s.y) !== null)
						s.off.checked = false;
					s.pos = read(s);
					draw(s);
				});
			});
		});

		ui.addEventListener('pointermove', function (e) {
			if (!drag || drag.id !== e.pointerId)
				return;
			if (!drag.moved && Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) < 6)
				return;
			drag.moved = true;
			var p = canvasPos(e);
			drag.s.btn.classList.toggle('vp-stone--leaving', outside(p));
			set(drag.s, p, false);
		});
		function end(e) {
			if (!drag || drag.id !== e.pointerId)
				return;
			var s = drag.s;
			s.btn.classList.remove('vp-stone--leaving');
			if (drag.moved) {
				var p = canvasPos(e);
				set(s, outside(p) ? null : p, true);
				changed(s.x);
				select(null);
			} else if (e.type === 'pointerup') {
				select(selected === s ? null : s);
			}
			drag = null;
		}
		ui.addEventListener('pointerup', end);
		ui.addEventListener('pointercancel', end);
		// A tap on the square puts the chosen stone there.
		canvas.addEventListener('pointerup', function (e) {
			if (drag || !selected || e.target.closest('.vp-stone'))
				return;
			set(selected, canvasPos(e), true);
			changed(selected.x);
			selected.btn.focus({ preventScroll: true });
			select(null);
		});
		stones.forEach(function (s) {
			s.pos = read(s);
			draw(s);
		});
	}

	// ---- pin: a marker on a picture; x and y are posted --------------------

	function initPin(root) {
		var area = root.querySelector('[data-vp-area]');
		var marker = root.querySelector('[data-vp-marker]');
		var nums = root.querySelectorAll('.vp-pin__numbers input[type=number]');
		var x = nums[0], y = nums[1];
		var say = announcer(root);
		var pos = null, dragging = null;

		area.tabIndex = 0;
		area.setAttribute('role', 'application');
		area.setAttribute('aria-labelledby', area.getAttribute('data-vp-label'));
		area.setAttribute('aria-describedby', area.getAttribute('data-vp-hint'));

		function draw() {
			marker.hidden = !pos;
			area.classList.toggle('vp-placed', !!pos);
			if (pos) {
				marker.style.left = pos[0] + '%';
				marker.style.top = pos[1] + '%';
			}
		}

		function describe() {
			return labelText(x) + ' ' + x.value + '%, ' + labelText(y) + ' ' + y.value + '%';
		}

		function place(p, announce) {
			pos = [Math.round(clamp(p[0], 0, 100) * 10) / 10, Math.round(clamp(p[1], 0, 100) * 10) / 10];
			x.value = String(pos[0]);
			y.value = String(pos[1]);
			draw();
			if (announce)
				say(describe());
		}

		function fromInputs() {
			var vx = readNum(x), vy = readNum(y);
			pos = isNum(vx) && isNum(vy) ? [clamp(vx, 0, 100), clamp(vy, 0, 100)] : null;
			draw();
		}

		function imagePos(e) {
			var r = area.getBoundingClientRect();
			return [(e.clientX - r.left) / r.width * 100, (e.clientY - r.top) / r.height * 100];
		}

		area.addEventListener('pointerdown', function (e) {
			if (e.button !== 0 || area.classList.contains('vp-off'))
				return;
			// Touch: a tap places the pin and a swipe still scrolls the page
			// (touch-action in app.css); a mouse can drag the pin.
			if (e.pointerType === 'mouse') {
				e.preventDefault();
				area.focus({ preventScroll: true });
				dragging = e.pointerId;
				area.setPointerCapture(e.pointerId);
				place(imagePos(e), false);
			}
		});
		area.addEventListener('pointermove', function (e) {
			if (dragging === e.pointerId)
				place(imagePos(e), false);
		});
		area.addEventListener('pointerup', function (e) {
			if (dragging === e.pointerId) {
				dragging = null;
			} else if (e.pointerType !== 'mouse' && !area.classList.contains('vp-off')) {
				area.focus({ preventScroll: true });
				place(imagePos(e), false);
			} else {
				return;
			}
			changed(x);
			say(describe());
		});
		area.addEventListener('pointercancel', function () {
			dragging = null;
		});
		area.addEventListener('keydown', function (e) {
			var d = arrowDelta(e, e.shiftKey ? 10 : 1);
			if (d) {
				place(pos ? [pos[0] + d[0], pos[1] + d[1]] : [50, 50], true);
			} else if ((e.key === 'Enter' || e.key === ' ') && !pos) {
				place([50, 50], true);
			} else {
				return;
			}
			e.preventDefault();
			changed(x);
		});
		x.addEventListener('input', fromInputs);
		y.addEventListener('input', fromInputs);
		fromInputs();
	}

	// ---- "other, namely" and "not applicable" ------------------------------

	// Typing in the "other" box chooses "other".
	function initOther(question) {
		var text = question.querySelector('.vp-other input');
		var choice = question.querySelector('input[value=":other"]');
		if (!text || !choice)
			return;
		text.addEventListener('input', function () {
			if (text.value.trim() !== '' && !choice.checked) {
				choice.checked = true;
				changed(choice);
			}
		});
	}

	// A ticked "not applicable" switches the question's other controls off
	// (they are not posted then; the server lets "not applicable" win anyway).
	function initNotApplicable(question) {
		var na = question.querySelector('[data-vp-na]');
		if (!na)
			return;
		function apply() {
			var off = na.checked;
			question.classList.toggle('vp-question--na', off);
			Array.prototype.forEach.call(question.querySelectorAll('input, textarea, button'), function (el) {
				if (el !== na)
					el.disabled = off;
			});
			Array.prototype.forEach.call(question.querySelectorAll('[data-vp-area]'), function (el) {
				el.classList.toggle('vp-off', off);
				if (!el.hasAttribute('tabindex'))
					return;
				if (off) {
					el.setAttribute('tabindex', '-1');
					el.setAttribute('aria-disabled', 'true');
				} else {
					el.setAttribute('tabindex', '0');
					el.removeAttribute('aria-disabled');
				}
			});
		}
		na.addEventListener('change', apply);
		apply();
	}

	var kinds = { dyad: initDyad, triad: initTriad, stones: initStones, pin: initPin };

	function init() {
		document.documentElement.classList.add('vp-js');
		Array.prototype.forEach.call(document.querySelectorAll('[data-vp-widget]'), function (root) {
			var kind = kinds[root.getAttribute('data-vp-widget')];
			var ui = root.querySelector('[data-vp-widget-ui]');
			if (!kind || !ui)
				return;
			try {
				kind(root);
				ui.hidden = false;
				root.classList.add('vp-widget--on');
			} catch (err) {
				// The number fields still work; say why for whoever looks.
				console.warn('widget not started:', err);
			}
		});
		Array.prototype.forEach.call(document.querySelectorAll('[data-vp-question]'), function (q) {
			initOther(q);
			initNotApplicable(q);
		});
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
})();

// Live conditions. A question with data-vp-show-if="QID" data-vp-show-is="V1
// V2" (question_form.c) is asked only when question QID is asked and its
// answer is one of the values: the rule of script_check_answers (an option
// id of a choice, one of the options ticked of a multi, a point of a
// scale; "other" and "not applicable" meet nothing). When QID is not on
// this page the server has decided already, and the question is left as it
// is. A question that is not asked gets `hidden` (neither seen nor read
// out); what was typed in it stays, and is not sent (offline.js) or is
// dropped by the server (the step form). This part needs no pointer events.
(function () {
	if (!document.querySelector)
		return;

	function byId(id) {
		var all = document.querySelectorAll('[data-vp-question][data-vp-id]');
		for (var i = 0; i < all.length; i++)
			if (all[i].getAttribute('data-vp-id') === id)
				return all[i];
		return null;
	}

	// The values of question q's answer that a condition can meet.
	function values(q) {
		var id = q.getAttribute('data-vp-id');
		var na = q.querySelector('input[data-vp-na]');
		if (na && na.checked)
			return [];
		var out = [];
		Array.prototype.forEach.call(q.querySelectorAll('input[type=radio], input[type=checkbox]'), function (el) {
			if (el.name === 'a-' + id && el.checked)
				out.push(el.value);
		});
		return out;
	}

	function apply() {
		var all = document.querySelectorAll('[data-vp-question][data-vp-show-if]');
		// In the order of the page: a condition only looks back, so the
		// question it depends on is settled first.
		Array.prototype.forEach.call(all, function (q) {
			var target = byId(q.getAttribute('data-vp-show-if'));
			if (!target)
				return;
			var want = (q.getAttribute('data-vp-show-is') || '').split(' ');
			var got = target.hidden ? [] : values(target);
			var met = got.some(function (v) {
				return want.indexOf(v) >= 0;
			});
			if (q.hidden === met)
				q.hidden = !met;
		});
	}

	function init() {
		if (!document.querySelector('[data-vp-show-if]'))
			return;
		apply();
		document.addEventListener('change', apply);
		document.addEventListener('input', apply);
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
})();
