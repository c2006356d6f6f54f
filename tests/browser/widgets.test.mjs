// widgets.test.mjs: the question widgets of assets/widgets.js in the script
// preview (/vragenlijsten/{id}/versies/{n}/voorbeeld), which renders every
// question with src/web/question_form.c exactly as a resident sees it.
//
// On a phone (touch): the triangle point is placed by a tap and moved with
// the keyboard, the slider is moved by a tap and by the keyboard, and the
// number fields that the form posts follow every move (and the widget
// follows them). "Not applicable" switches the slider off. axe (WCAG 2.1
// A/AA) finds nothing before and after, the page fits 360 px without
// horizontal scrolling, the widgets' targets are at least 44 px, and the
// console shows no error (CSP: the script and its styles are no inline
// code). Without the script the number fields alone are there.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
	DESKTOP,
	PHONE,
	assertNoHorizontalScroll,
	assertNoProblems,
	assertTouchTargets,
	axeCheck,
	cli,
	launchBrowser,
	openPage,
	startServer,
} from './harness.mjs';

const ADMIN_PASSWORD = 'een lange zin als wachtwoord';

const SCRIPT = {
	format: 'vertelpunt-script/1',
	key: 'widgets-test',
	title: { nl: 'Wonen in de wijk' },
	privacy: { nl: 'Alleen medewerkers van de gemeente lezen uw verhaal.' },
	sections: [
		{
			id: 'deel-1',
			questions: [
				{
					id: 'verhaal',
					type: 'story',
					text: { nl: 'Vertel over een moment in uw wijk' },
					prompts: [{ id: 'moment', text: { nl: 'Wat gebeurde er?' } }],
				},
				{
					id: 'hulp',
					type: 'triad',
					text: { nl: 'Wie hielp het meest?' },
					corners: [
						{ id: 'ik', label: { nl: 'Ikzelf' } },
						{ id: 'familie', label: { nl: 'Familie en vrienden' } },
						{ id: 'gemeente', label: { nl: 'De gemeente' } },
					],
				},
				{
					id: 'samen',
					type: 'dyad',
					text: { nl: 'Deed u het alleen of samen?' },
					not_applicable: true,
					poles: [
						{ id: 'alleen', label: { nl: 'Helemaal alleen' } },
						{ id: 'samen', label: { nl: 'Samen met anderen' } },
					],
				},
			],
		},
	],
};

let browser;
let server;
let previewUrl;
before(async () => {
	[browser, server] = await Promise.all([launchBrowser(), startServer()]);
	const file = path.join(tmpdir(), `vp-widgets-${process.pid}.json`);
	await writeFile(file, JSON.stringify(SCRIPT, null, 2));
	const out = await cli(server.db, 'script', 'import', file);
	assert.ok(out.id, `script import printed no id: ${JSON.stringify(out)}`);
	previewUrl = `${server.url}/vragenlijsten/${out.id}/versies/${out.version ?? 1}/voorbeeld`;
});
after(async () => {
	await browser?.close();
	await server?.stop();
});

/** Logs the administrator in on page (choosing a password the first time). */
let passwordChosen = false;
async function logIn(page) {
	await page.goto(`${server.url}/login`);
	await page.getByLabel('Gebruikersnaam').fill(server.adminUser);
	await page.getByLabel('Wachtwoord').fill(passwordChosen ? ADMIN_PASSWORD : server.adminPassword);
	await page.getByRole('main').getByRole('button', { name: 'Inloggen' }).click();
	if (passwordChosen) {
		await page.waitForLoadState();
		return;
	}
	await page.waitForURL('**/account/password');
	await page.getByLabel('Huidig wachtwoord').fill(server.adminPassword);
	await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(ADMIN_PASSWORD);
	await page.getByLabel('Nieuw wachtwoord nog een keer').fill(ADMIN_PASSWORD);
	await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
	await page.getByRole('heading', { level: 1, name: 'Wachtwoord opgeslagen' }).waitFor();
	passwordChosen = true;
}

/** The three percentages of the triad's number fields, as numbers. */
async function triadValues(page) {
	const v = [];
	for (let i = 0; i < 3; i++)
		v.push(await page.locator(`input[name="a-hulp:${i}"]`).inputValue());
	return v.map((s) => (s === '' ? null : Number(s)));
}

function sum(v) {
	return v.reduce((a, b) => a + b, 0);
}

async function liveText(page, question) {
	// The region speaks once things are still for a moment.
	const live = page.locator(`#q-${question} [data-vp-live]`);
	await page.waitForFunction((el) => el.textContent.trim() !== '', await live.elementHandle(), { timeout: 5000 });
	return (await live.textContent()).trim();
}

test('the triangle and the slider on a phone, by touch and by keyboard', async (t) => {
	const page = await openPage(browser, PHONE);
	t.after(() => page.context().close());
	await logIn(page);
	const response = await page.goto(previewUrl);
	assert.equal(response.status(), 200, `the preview ${previewUrl} answered ${response.status()}`);

	const triad = page.locator('#q-hulp');
	const area = triad.locator('[data-vp-area]');
	const dyad = page.locator('#q-samen');
	const range = dyad.locator('input[type=range]');
	const number = page.locator('input[name="a-samen"]');

	// The script showed the widgets; nothing is answered yet.
	await area.waitFor({ state: 'visible' });
	await range.waitFor({ state: 'visible' });
	assert.deepEqual(await triadValues(page), [null, null, null]);
	assert.equal(await number.inputValue(), '');
	assert.match(await dyad.locator('[data-vp-widget]').getAttribute('class'), /vp-dyad--unset/);
	await t.test('untouched: axe, layout, targets', async () => {
		await axeCheck(page, 'preview, untouched (phone)');
		await assertNoHorizontalScroll(page);
		await assertTouchTargets(page, '.vp-question .vp-option .utrecht-form-label, .vp-dyad__range, .vp-triad__area, .vp-question input[type=number]');
	});

	await t.test('a tap near the top corner places the point there', async () => {
		await area.scrollIntoViewIfNeeded();
		const box = await area.boundingBox();
		await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height * 0.2);
		const v = await triadValues(page);
		assert.equal(sum(v), 100, `percentages ${v} do not add up to 100`);
		assert.ok(v[0] > 60, `top corner only ${v[0]}% after a tap near it`);
		assert.ok(Math.abs(v[1] - v[2]) <= 5, `a tap on the middle line gave ${v[1]} and ${v[2]}`);
		assert.match(await area.getAttribute('class'), /vp-placed/);
		assert.match(await liveText(page, 'hulp'), /Ikzelf \d+%, Familie en vrienden \d+%, De gemeente \d+%/);
	});

	await t.test('the arrow keys move the point; Home puts it in the middle', async () => {
		await area.focus();
		await area.press('Home');
		assert.deepEqual((await triadValues(page)).sort(), [33, 33, 34]);
		const before = await triadValues(page);
		for (let i = 0; i < 5; i++)
			await area.press('ArrowDown');
		let v = await triadValues(page);
		assert.equal(sum(v), 100);
		assert.ok(v[0] < before[0] - 5, `ArrowDown did not lower the top corner: ${before} -> ${v}`);
		const down = v;
		await area.press('Shift+ArrowLeft');
		v = await triadValues(page);
		assert.equal(sum(v), 100);
		assert.ok(v[1] >= down[1] + 5 && v[2] <= down[2] - 5, `Shift+ArrowLeft did not move towards the bottom left corner: ${down} -> ${v}`);
		// Far beyond the edge the point stays on the triangle.
		for (let i = 0; i < 20; i++)
			await area.press('Shift+ArrowLeft');
		v = await triadValues(page);
		assert.equal(sum(v), 100);
		assert.ok(v.every((x) => x >= 0), `${v}`);
		assert.equal(v[2], 0, `at the left edge the right corner should weigh nothing: ${v}`);
		assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-vp-area')), '');
	});

	await t.test('typed percentages move the point', async () => {
		const dot = triad.locator('.vp-triad__point');
		await page.locator('input[name="a-hulp:0"]').fill('0');
		await page.locator('input[name="a-hulp:1"]').fill('0');
		await page.locator('input[name="a-hulp:2"]').fill('100');
		// The bottom right corner of the triangle is (100, 86.6).
		assert.equal(Number(await dot.getAttribute('cx')), 100);
		assert.ok(Math.abs(Number(await dot.getAttribute('cy')) - 86.6) < 0.1);
		await page.locator('input[name="a-hulp:2"]').fill('90');
		assert.match(await triad.locator('[data-vp-total]').textContent(), /90/);
		assert.equal(await triad.locator('[data-vp-total-bad]').isVisible(), true);
		await page.locator('input[name="a-hulp:1"]').fill('10');
		assert.equal(await triad.locator('[data-vp-total-bad]').isVisible(), false);
	});

	await t.test('a tap on the slider answers; the arrow keys move it', async () => {
		await range.scrollIntoViewIfNeeded();
		const box = await range.boundingBox();
		await page.touchscreen.tap(box.x + box.width * 0.85, box.y + box.height / 2);
		let v = Number(await number.inputValue());
		assert.ok(v >= 70 && v <= 100, `a tap at 85% of the slider gave ${v}`);
		assert.doesNotMatch(await dyad.locator('[data-vp-widget]').getAttribute('class'), /vp-dyad--unset/);
		assert.match(await range.getAttribute('aria-valuetext'), /Samen met anderen/);
		await range.focus();
		await range.press('ArrowLeft');
		assert.equal(Number(await number.inputValue()), v - 1);
		await range.press('Shift+ArrowLeft');
		assert.equal(Number(await number.inputValue()), v - 11);
		await range.press('Home');
		assert.equal(await number.inputValue(), '0');
		assert.match(await range.getAttribute('aria-valuetext'), /^0, .*Helemaal alleen/);
		// And the other way: a typed number moves the slider.
		await number.fill('25');
		assert.equal(await range.inputValue(), '25');
	});

	await t.test('"not applicable" switches the slider off and on', async () => {
		const na = page.locator('input[name="a-samen:na"]');
		await na.check();
		assert.equal(await range.isDisabled(), true);
		assert.equal(await number.isDisabled(), true);
		await na.uncheck();
		assert.equal(await range.isDisabled(), false);
		assert.equal(await number.inputValue(), '25');
	});

	await t.test('answered: axe at phone and desktop width, no problems', async () => {
		await axeCheck(page, 'preview, answered (phone)');
		await assertNoHorizontalScroll(page);
		await page.setViewportSize(DESKTOP.viewport);
		await axeCheck(page, 'preview, answered (desktop)');
		assertNoProblems(page);
	});
});

test('the mouse drags the point on a desktop', async (t) => {
	const page = await openPage(browser, DESKTOP);
	t.after(() => page.context().close());
	await logIn(page);
	await page.goto(previewUrl);
	const area = page.locator('#q-hulp [data-vp-area]');
	await area.scrollIntoViewIfNeeded();
	const box = await area.boundingBox();
	// From near the top to near the bottom right corner.
	await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.2);
	await page.mouse.down();
	await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.8, { steps: 8 });
	await page.mouse.up();
	const v = await triadValues(page);
	assert.equal(sum(v), 100);
	assert.ok(v[2] > v[0] && v[2] > v[1], `dragged towards the bottom right, got ${v}`);
	assertNoProblems(page);
});

test('without the widget script the number fields are the form', async (t) => {
	// The script answers empty, as if it failed to load or the browser is
	// too old for it (JavaScript itself stays on: axe needs it).
	const page = await openPage(browser, PHONE);
	t.after(() => page.context().close());
	await page.route('**/static/widgets.js*', (route) =>
		route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }),
	);
	await logIn(page);
	await page.goto(previewUrl);
	assert.equal(await page.locator('#q-hulp [data-vp-area]').isVisible(), false);
	assert.equal(await page.locator('#q-samen input[type=range]').isVisible(), false);
	for (const name of ['a-hulp:0', 'a-hulp:1', 'a-hulp:2', 'a-samen'])
		assert.equal(await page.locator(`input[name="${name}"]`).isVisible(), true, name);
	// The fields are labelled by the corners and poles.
	await page.getByLabel('Familie en vrienden').fill('40');
	assert.equal(await page.locator('input[name="a-hulp:1"]').inputValue(), '40');
	await axeCheck(page, 'preview without JavaScript (phone)');
	await assertNoHorizontalScroll(page);
});
