// script_editor.test.mjs: the interview-script editor with the keyboard
// only. An editor logs in, makes a script from a title, writes the story
// prompt, adds a triad, a dyad and a choice question, opens the phone
// preview (390 x 844) and publishes, pressing only Tab, Shift+Tab, arrow
// keys, Enter and typing: no clicks. axe-core (WCAG 2.1 A/AA) runs on the
// list, the editor, the question form and the preview.
//
// Elements are found by their ids and form actions, not by their texts,
// so the test holds in Dutch and in English.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
	DESKTOP,
	assertNoHorizontalScroll,
	assertNoProblems,
	assertTouchTargets,
	axeCheck,
	launchBrowser,
	openPage,
	startServer,
} from './harness.mjs';

const PASSWORD = 'een lange zin als wachtwoord';
const PHONE_PREVIEW = { width: 390, height: 844 };

let browser;
let server;
before(async () => {
	[browser, server] = await Promise.all([launchBrowser(), startServer()]);
});
after(async () => {
	await browser?.close();
	await server?.stop();
});

/** Presses Tab (or Shift+Tab when back) until the focused element
 * matches selector. */
async function tabTo(page, selector, { back = false, max = 400 } = {}) {
	for (let i = 0; i < max; i++) {
		if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector))
			return;
		await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
	}
	throw new Error(`${back ? 'Shift+Tab' : 'Tab'} did not reach ${selector} on ${page.url()}`);
}

/** Tabs to a text field, selects what is in it and types text over it. */
async function typeInto(page, selector, text) {
	await tabTo(page, selector);
	await page.keyboard.press('ControlOrMeta+A');
	await page.keyboard.type(text);
	assert.equal(await page.evaluate((s) => document.querySelector(s).value, selector), text);
}

/** Tabs to a select and moves through it with the arrow keys to value. */
async function choose(page, selector, value) {
	await tabTo(page, selector);
	await page.keyboard.press('Home');
	for (let i = 0; i < 30; i++) {
		if ((await page.evaluate((s) => document.querySelector(s).value, selector)) === value)
			return;
		await page.keyboard.press('ArrowDown');
	}
	throw new Error(`${selector} has no option ${value}`);
}

/** Tabs to a link or button and presses Enter; waits for the next page. */
async function activate(page, selector, options) {
	await tabTo(page, selector, options);
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

async function axe(t, page, label) {
	await t.test(`axe: ${label}`, async () => {
		await axeCheck(page, label);
		assertNoProblems(page);
	});
}

const editorUrl = /\/vragenlijsten\/\d+\/versies\/\d+(\?[^#]*)?(#.*)?$/;

test('an editor builds and publishes a script with the keyboard only', async (t) => {
	const page = await openPage(browser, DESKTOP);
	t.after(() => page.context().close());

	// Log in and choose a password (the first login of the administrator).
	await page.goto(`${server.url}/login`);
	await typeInto(page, '#username', server.adminUser);
	await typeInto(page, '#password', server.adminPassword);
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
	assert.match(page.url(), /\/account\/password$/);
	await typeInto(page, '#current', server.adminPassword);
	await typeInto(page, '#new', PASSWORD);
	await typeInto(page, '#repeat', PASSWORD);
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

	// The start page leads to the scripts; so does the menu.
	await page.goto(`${server.url}/`);
	assert.equal(await page.locator('.vp-nav a[href="/vragenlijsten"]').count(), 1);
	await activate(page, 'main a[href="/vragenlijsten"]');
	assert.match(page.url(), /\/vragenlijsten$/);
	await axe(t, page, 'the list of scripts');

	// A new script from its title.
	await typeInto(page, '#title', 'Buurtverhalen Oost');
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
	assert.match(page.url(), editorUrl);
	const editor = page.url().replace(/[?#].*$/, '');
	assert.equal(await page.locator('h1').textContent(), 'Buurtverhalen Oost');
	await axe(t, page, 'the editor of a new draft');

	// The story question's prompt.
	await activate(page, 'a[href$="/vragen/q-verhaal"]');
	await axe(t, page, 'the question form (story)');
	await typeInto(page, '#prompts-0-text-nl', 'Vertel over een moment in uw buurt.');
	await typeInto(page, '#prompts-0-text-en', 'Tell us about a moment in your neighbourhood.');
	await typeInto(page, '#prompts-1-text-nl', 'Wat zou u veranderen in uw straat?');
	await activate(page, 'main form button[type="submit"]');
	assert.match(page.url(), editorUrl);

	/** Adds a question of type and fills it in with fill(page). */
	async function addQuestion(type, fill) {
		// After saving, the page opens at the question just saved; the
		// form to add one is further down.
		await choose(page, '#nieuw-type', type);
		await activate(page, `form[action$="/vragen"] button[type="submit"]`);
		assert.match(page.url(), new RegExp(`/vragen/q-${type}-1\\?ok=added$`));
		await fill();
		await activate(page, 'main form button[type="submit"]');
		assert.match(page.url(), editorUrl);
		assert.equal(await page.locator('.utrecht-alert--error').count(), 0);
	}

	await addQuestion('triad', async () => {
		await axe(t, page, 'the question form (triad)');
		await typeInto(page, '#text-nl', 'Wie hielp u het meest?');
		await typeInto(page, '#corners-0-label-nl', 'De gemeente');
		await typeInto(page, '#corners-1-label-nl', 'Mijn buren');
		await typeInto(page, '#corners-2-label-nl', 'Ikzelf');
	});
	await addQuestion('dyad', async () => {
		await typeInto(page, '#text-nl', 'Hoe voelde het?');
		await typeInto(page, '#poles-0-label-nl', 'Ik stond er alleen voor');
		await typeInto(page, '#poles-1-label-nl', 'Ik werd gedragen');
	});
	await addQuestion('choice', async () => {
		await typeInto(page, '#text-nl', 'Waar speelde uw verhaal?');
		// The two empty rows add options; their ids come from the labels.
		await typeInto(page, '#options-2-label-nl', 'In mijn straat');
		// "Required" is a checkbox: Space ticks it.
		await tabTo(page, '#required');
		await page.keyboard.press('Space');
		assert.ok(await page.locator('#required').isChecked());
	});

	// The editor lists the four questions in order.
	const texts = await page.locator('.vp-question-row__text').allTextContents();
	assert.deepEqual(texts, [
		'1. Vertel uw verhaal.',
		'2. Wie hielp u het meest?',
		'3. Hoe voelde het?',
		'4. Waar speelde uw verhaal?',
	]);
	await axe(t, page, 'the editor with four questions');

	// The phone preview: a 390 x 844 frame with every question in it.
	// The preview links are above the questions: back up with Shift+Tab.
	await activate(page, 'a[href$="/voorbeeld/telefoon"]', { back: true });
	const frame = page.frameLocator('iframe.vp-phone__frame');
	const box = await page.locator('iframe.vp-phone__frame').boundingBox();
	assert.equal(Math.round(box.width), 390 + 24); // plus the 0.75 rem border each side
	for (const q of ['Wie hielp u het meest?', 'Hoe voelde het?', 'Waar speelde uw verhaal?'])
		await frame.getByText(q).first().waitFor(); // the required one has "(required)" after it
	await frame.getByText('In mijn straat', { exact: true }).waitFor();
	await axe(t, page, 'the phone preview page');

	// The preview itself at the size of that phone: no sideways scrolling.
	const phone = await openPage(browser, { viewport: PHONE_PREVIEW, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
	t.after(() => phone.context().close());
	await phone.context().addCookies(await page.context().cookies());
	await phone.goto(`${editor}/voorbeeld`);
	for (const q of ['Vertel over een moment in uw buurt.', 'Wie hielp u het meest?', 'Hoe voelde het?'])
		await phone.getByText(q).first().waitFor();
	assert.ok(await phone.locator('main button[type="submit"]').isDisabled());
	await assertNoHorizontalScroll(phone);
	await axe(t, phone, 'the preview at 390 x 844');

	// Back, and publish.
	await activate(page, `main a[href="${new URL(editor).pathname}"]`);
	await activate(page, 'form[action$="/status"]:has(input[value="published"]) button');
	assert.match(page.url(), /\?ok=published$/);
	assert.equal(await page.locator('h1 ~ .vp-lead .vp-status--success').count(), 1);
	// Published: read-only, with "make a new version".
	assert.equal(await page.locator('form[action$="/verplaatsen"]').count(), 0);
	assert.equal(await page.locator('form[action$="/nieuwe-versie"]').count(), 1);
	await axe(t, page, 'the editor of a published version');

	// And at phone width, the pages keep their tap targets and fit.
	await t.test('phone width', async () => {
		for (const path of ['/vragenlijsten', new URL(editor).pathname, `${new URL(editor).pathname}/vragen/q-triad-1`]) {
			await phone.goto(`${server.url}${path}`);
			await axeCheck(phone, `${path} at 390 px`);
			await assertNoHorizontalScroll(phone);
			await assertTouchTargets(phone);
		}
		assertNoProblems(phone);
	});
});
