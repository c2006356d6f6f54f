// story_form.test.mjs: a resident tells a story at a collection's link
// (/v/{token}), src/web/page_story.c: consent, one section per page, the
// triangle tapped and the slider moved by touch on a phone (390x844), a
// question that appears after an answer, an error with its summary, check
// your answers, send, the receipt. The same with the keyboard only, and with
// JavaScript switched off (the number fields). axe-core (WCAG 2.1 A/AA) on
// every page, no horizontal scrolling, no console errors.
//
// Texts of the form are located by element ids and values, not by their
// words: the Dutch translations wait in po/pending/story_form.json.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
	DESKTOP,
	PHONE_390,
	assertNoHorizontalScroll,
	assertNoProblems,
	axeCheck,
	launchBrowser,
	openPage,
	pageOk,
	publishCollection,
	startServer,
} from './harness.mjs';

const SCRIPT = {
	format: 'vertelpunt-script/1',
	key: 'verhaal-buurt',
	title: { nl: 'Wonen in de buurt' },
	introduction: { nl: 'Wij willen weten hoe het is om in uw buurt te wonen.' },
	privacy: { nl: 'Alleen het buurtteam leest uw verhaal. Wij gebruiken het zonder uw naam.' },
	thanks: { nl: 'Dank u wel. Wij lezen alle verhalen.' },
	sections: [
		{
			id: 's1',
			title: { nl: 'Uw verhaal' },
			questions: [
				{
					id: 'verhaal',
					type: 'story',
					text: { nl: 'Vertel over een moment in uw buurt' },
					required: true,
					prompts: [{ id: 'p1', text: { nl: 'Wat gebeurde er?' } }],
				},
			],
		},
		{
			id: 's2',
			title: { nl: 'Hoe was het?' },
			questions: [
				{
					id: 'gevoel',
					type: 'choice',
					text: { nl: 'Hoe voelde dat?' },
					required: true,
					options: [
						{ id: 'goed', label: { nl: 'Goed' } },
						{ id: 'slecht', label: { nl: 'Slecht' } },
					],
				},
				{ id: 'waarom', type: 'text', text: { nl: 'Wat was er niet goed?' }, show_if: { question: 'gevoel', is: ['slecht'] } },
				{
					id: 'steun',
					type: 'triad',
					text: { nl: 'Wie hielp u?' },
					corners: [
						{ id: 'ik', label: { nl: 'Ikzelf' } },
						{ id: 'buren', label: { nl: 'Buren' } },
						{ id: 'gemeente', label: { nl: 'Gemeente' } },
					],
				},
				{
					id: 'regie',
					type: 'dyad',
					text: { nl: 'Wie besliste?' },
					poles: [
						{ id: 'zelf', label: { nl: 'Ik zelf' } },
						{ id: 'anderen', label: { nl: 'Anderen' } },
					],
				},
			],
		},
		{
			id: 's3',
			title: { nl: 'Over u' },
			questions: [{ id: 'leeftijd', type: 'number', text: { nl: 'Hoe oud bent u?' }, integer: true, min: 0, max: 120 }],
		},
	],
};

let server, browser, link;

before(async () => {
	server = await startServer();
	browser = await launchBrowser();
	const coll = await publishCollection(server, SCRIPT, 'Verhalen uit de buurt', 'Leren van bewoners');
	link = coll.url;
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

/**
 * The same for a page without JavaScript: axe needs timers, which do not
 * run there, so its HTML (without the script tag) is checked in a page of
 * the same origin that runs scripts.
 */
async function pageOkNoScript(page, label) {
	const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '');
	const copy = await openPage(browser, PHONE_390);
	try {
		await copy.goto(link);
		await copy.setContent(html);
		await axeCheck(copy, label);
	} finally {
		await copy.context().close();
	}
	await assertNoHorizontalScroll(page);
	assertNoProblems(page);
}

async function progress(page) {
	const bar = page.locator('progress.vp-story-progress__bar');
	return [Number(await bar.getAttribute('value')), Number(await bar.getAttribute('max'))];
}

/** The receipt on the thank-you page. */
async function receipt(page) {
	const code = (await page.locator('#ontvangstcode').textContent()).trim();
	assert.match(code, /^VT-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
	return code;
}

test('on a phone, by touch: consent, steps, triangle and slider, send, receipt', async () => {
	const page = await openPage(browser, PHONE_390);
	try {
		const res = await page.goto(link);
		assert.equal(res.status(), 200);
		await page.getByRole('heading', { level: 1, name: 'Verhalen uit de buurt' }).waitFor();
		await page.getByText('Alleen het buurtteam leest uw verhaal.').waitFor();
		await pageOk(page, 'start (phone)');

		// Without consent: an error, linked from the summary.
		await page.locator('main button[type=submit]').first().tap();
		await page.locator('.vp-error-summary a[href="#consent"]').waitFor();
		assert.equal(await page.locator('#consent').getAttribute('aria-invalid'), 'true');
		await pageOk(page, 'start with an error (phone)');
		await page.locator('label[for=consent]').tap();
		assert.equal(await page.locator('#consent').isChecked(), true);
		await page.locator('main button[type=submit]').first().tap();
		await page.waitForURL('**/stap/1');
		assert.deepEqual(await progress(page), [1, 4]);
		await pageOk(page, 'step 1 (phone)');

		// Next without the required story: the error, then the story.
		await page.locator('button[value=next]').tap();
		await page.locator('.vp-error-summary a[href="#q-verhaal"]').waitFor();
		await pageOk(page, 'step 1 with an error (phone)');
		await page.locator('.vp-error-summary a[href="#q-verhaal"]').tap();
		await page.locator('textarea#a-verhaal').fill('Op het buurtfeest leerde ik mijn buren kennen.');
		await page.locator('button[value=next]').tap();
		await page.waitForURL('**/stap/2');
		assert.deepEqual(await progress(page), [2, 4]);

		// "Slecht" makes a question appear (the page stays, no error).
		assert.equal(await page.locator('#q-waarom').count(), 0);
		await page.locator('label[for="a-gevoel:opt1"]').tap();
		const area = page.locator('#q-steun [data-vp-area]');
		await area.waitFor({ state: 'visible' });
		await area.scrollIntoViewIfNeeded();
		let box = await area.boundingBox();
		await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height * 0.25);
		const v = [];
		for (let i = 0; i < 3; i++)
			v.push(Number(await page.locator(`input[name="a-steun:${i}"]`).inputValue()));
		assert.equal(v[0] + v[1] + v[2], 100, `triad ${v}`);
		assert.ok(v[0] > 50, `a tap near the top gave ${v}`);
		const range = page.locator('#q-regie input[type=range]');
		await range.scrollIntoViewIfNeeded();
		box = await range.boundingBox();
		await page.touchscreen.tap(box.x + box.width * 0.8, box.y + box.height / 2);
		const dyad = Number(await page.locator('input[name="a-regie"]').inputValue());
		assert.ok(dyad >= 60 && dyad <= 100, `a tap at 80% of the slider gave ${dyad}`);
		await pageOk(page, 'step 2, answered (phone)');
		await page.locator('button[value=next]').tap();
		await page.locator('#q-waarom').waitFor();
		assert.equal(await page.locator('.vp-error-summary').count(), 0);
		assert.equal(Number(await page.locator('input[name="a-regie"]').inputValue()), dyad);
		await pageOk(page, 'step 2, a question appeared (phone)');
		await page.locator('#a-waarom').fill('Het was erg druk.');

		// Back keeps the answers.
		await page.locator('button[value=back]').tap();
		await page.waitForURL('**/stap/1');
		assert.match(await page.locator('textarea#a-verhaal').inputValue(), /buurtfeest/);
		await page.locator('button[value=next]').tap();
		await page.waitForURL('**/stap/2');
		assert.equal(await page.locator('#a-waarom').inputValue(), 'Het was erg druk.');
		await page.locator('button[value=next]').tap();
		await page.waitForURL('**/stap/3');
		await page.locator('input[name="a-leeftijd"]').fill('71');
		await pageOk(page, 'step 3 (phone)');
		await page.locator('button[value=next]').tap();
		await page.waitForURL('**/stap/4');
		assert.deepEqual(await progress(page), [4, 4]);
		await page.getByText('Het was erg druk.').waitFor();
		await page.getByText('Op het buurtfeest leerde ik mijn buren kennen.').waitFor();
		await pageOk(page, 'check your answers (phone)');
		await page.locator('form[action$="/versturen"] button[type=submit]').tap();
		await page.locator('#ontvangstcode').waitFor();
		await receipt(page);
		await page.getByText('Dank u wel. Wij lezen alle verhalen.').waitFor();
		await pageOk(page, 'thank you (phone)');
	} finally {
		await page.context().close();
	}
});

/** Presses Tab until the focused element matches selector. */
async function tabTo(page, selector, max = 60) {
	for (let i = 0; i < max; i++) {
		await page.keyboard.press('Tab');
		if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector))
			return;
	}
	throw new Error(`Tab never reached ${selector}`);
}

test('with the keyboard only', async () => {
	const page = await openPage(browser, DESKTOP);
	try {
		await page.goto(link);
		await tabTo(page, '#consent');
		await page.keyboard.press('Space');
		await tabTo(page, 'main form button[type=submit]');
		await page.keyboard.press('Enter');
		await page.waitForURL('**/stap/1');
		await tabTo(page, 'textarea#a-verhaal');
		await page.keyboard.type('De bus kwam weer op tijd.');
		await tabTo(page, 'button[value=next]');
		await page.keyboard.press('Enter');
		await page.waitForURL('**/stap/2');
		await tabTo(page, 'input[name="a-gevoel"]');
		// Arrow keys move through a radio group and choose.
		await page.keyboard.press('Space');
		assert.equal(await page.locator('#a-gevoel\\:opt0').isChecked(), true);
		await tabTo(page, '#q-steun [data-vp-area]');
		await page.keyboard.press('Home');
		const t0 = Number(await page.locator('input[name="a-steun:0"]').inputValue());
		assert.ok(t0 >= 33 && t0 <= 34, `Home put the point at ${t0}`);
		await tabTo(page, '#q-regie input[type=range]');
		await page.keyboard.press('End');
		assert.equal(await page.locator('input[name="a-regie"]').inputValue(), '100');
		await page.keyboard.press('ArrowLeft');
		assert.equal(await page.locator('input[name="a-regie"]').inputValue(), '99');
		await pageOk(page, 'step 2 by keyboard (desktop)');
		await tabTo(page, 'button[value=next]');
		await page.keyboard.press('Enter');
		await page.waitForURL('**/stap/3');
		await tabTo(page, 'input[name="a-leeftijd"]');
		await page.keyboard.type('34');
		// Enter in a field sends the form with its first button: Next.
		await page.keyboard.press('Enter');
		await page.waitForURL('**/stap/4');
		await pageOk(page, 'check by keyboard (desktop)');
		await tabTo(page, 'form[action$="/versturen"] button[type=submit]');
		await page.keyboard.press('Enter');
		await page.locator('#ontvangstcode').waitFor();
		await receipt(page);
		await pageOk(page, 'thank you (desktop)');
	} finally {
		await page.context().close();
	}
});

test('without JavaScript: the number fields', async () => {
	const page = await openPage(browser, PHONE_390, { javaScriptEnabled: false });
	try {
		await page.goto(link);
		await page.locator('label[for=consent]').tap();
		await page.locator('main form button[type=submit]').tap();
		await page.waitForURL('**/stap/1');
		await page.locator('textarea#a-verhaal').fill('Zonder script gaat het ook.');
		await page.locator('button[value=next]').tap();
		await page.waitForURL('**/stap/2');
		// The widgets stay hidden; the numbers are there.
		assert.equal(await page.locator('#q-steun [data-vp-area]').isVisible(), false);
		await page.locator('label[for="a-gevoel:opt0"]').tap();
		// A triad that does not add up: the error, the rest kept.
		await page.locator('input[name="a-steun:0"]').fill('50');
		await page.locator('input[name="a-steun:1"]').fill('30');
		await page.locator('input[name="a-steun:2"]').fill('10');
		await page.locator('input[name="a-regie"]').fill('25');
		await page.locator('button[value=next]').tap();
		await page.locator('.vp-error-summary a[href="#q-steun"]').waitFor();
		assert.equal(await page.locator('input[name="a-regie"]').inputValue(), '25');
		assert.equal(await page.locator('#a-gevoel\\:opt0').isChecked(), true);
		await pageOkNoScript(page, 'step 2 with an error, no JavaScript (phone)');
		await page.locator('input[name="a-steun:2"]').fill('20');
		await page.locator('button[value=next]').tap();
		await page.waitForURL('**/stap/3');
		await page.locator('button[value=next]').tap();
		await page.waitForURL('**/stap/4');
		await pageOkNoScript(page, 'check, no JavaScript (phone)');
		await page.locator('form[action$="/versturen"] button[type=submit]').tap();
		await page.locator('#ontvangstcode').waitFor();
		await receipt(page);
		await pageOkNoScript(page, 'thank you, no JavaScript (phone)');
	} finally {
		await page.context().close();
	}
});

test('continue later with the code, on another device', async () => {
	const page = await openPage(browser, PHONE_390);
	const other = await openPage(browser, PHONE_390);
	try {
		await page.goto(link);
		await page.locator('label[for=consent]').tap();
		await page.locator('main form button[type=submit]').tap();
		await page.waitForURL('**/stap/1');
		await page.locator('textarea#a-verhaal').fill('Later schrijf ik verder.');
		await page.locator('button[value=later]').tap();
		const code = (await page.locator('#verder-code').textContent()).trim();
		assert.match(code, /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
		await pageOk(page, 'continue later (phone)');
		await other.goto(`${link}/verder`);
		await pageOk(other, 'go on with a code (phone)');
		await other.locator('#code').fill('ZZZZ-ZZZZ');
		await other.locator('main form button[type=submit]').tap();
		await other.locator('.vp-error-summary a[href="#code"]').waitFor();
		await pageOk(other, 'go on with a wrong code (phone)');
		await other.locator('#code').fill(code.toLowerCase());
		await other.locator('main form button[type=submit]').tap();
		await other.waitForURL('**/stap/1');
		assert.equal(await other.locator('textarea#a-verhaal').inputValue(), 'Later schrijf ik verder.');
	} finally {
		await page.context().close();
		await other.context().close();
	}
});

test('an unknown link: the 404 page passes axe', async () => {
	const page = await openPage(browser, PHONE_390);
	try {
		const res = await page.goto(`${server.url}/v/ffffffffffffffffffffffffffffffff`);
		assert.equal(res.status(), 404);
		await axeCheck(page, '404 (phone)');
	} finally {
		await page.context().close();
	}
});
