// kiosk.test.mjs: the story form at a kiosk (/v/{token}/kiosk,
// src/web/page_story.c, assets/kiosk.js) on a phone-sized screen (390x844):
// a staff member starts it from the collection page; a teller tells a story
// and after the thank-you page the kiosk starts again by itself; after
// inactivity a warning ("Bent u er nog?") that "Ja, ik ga verder" closes,
// then a reset that deletes the draft; going back in the browser finds
// nothing of the previous teller; without JavaScript it still works.
// axe-core (WCAG 2.1 A/AA) on every page, touch targets of 44 px, no
// console errors. The timers are made short with ?stil=, ?waarschuwing=
// and ?terug= (seconds).
//
// Texts are located by ids, not by their words: the Dutch translations wait
// in po/pending/kiosk.json.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
	DESKTOP,
	PHONE_390,
	assertNoHorizontalScroll,
	assertNoProblems,
	assertTouchTargets,
	axeCheck,
	launchBrowser,
	login,
	openPage,
	publishCollection,
	sql,
	startServer,
} from './harness.mjs';

const SCRIPT = {
	format: 'vertelpunt-script/1',
	key: 'kiosk-wijkcentrum',
	title: { nl: 'Het wijkcentrum' },
	privacy: { nl: 'Alleen het wijkteam leest uw verhaal.' },
	thanks: { nl: 'Dank u wel voor uw verhaal.' },
	sections: [
		{
			id: 's1',
			title: { nl: 'Uw verhaal' },
			questions: [
				{
					id: 'verhaal',
					type: 'story',
					text: { nl: 'Vertel over het wijkcentrum' },
					required: true,
					prompts: [{ id: 'p1', text: { nl: 'Wat gebeurde er?' } }],
				},
			],
		},
		{
			id: 's2',
			title: { nl: 'Over u' },
			questions: [
				{
					id: 'leeftijd',
					type: 'choice',
					once_per_person: true,
					text: { nl: 'Hoe oud bent u?' },
					options: [
						{ id: 'jong', label: { nl: 'Jonger dan 40' } },
						{ id: 'oud', label: { nl: '40 of ouder' } },
					],
				},
			],
		},
	],
};

let server, browser, link, collId;
const PASSWORD = 'een lang wachtwoord voor de kiosktest';

before(async () => {
	server = await startServer();
	browser = await launchBrowser();
	const coll = await publishCollection(server, SCRIPT, 'Verhalen in het wijkcentrum', 'Leren van bezoekers');
	link = coll.url;
	collId = coll.id;
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

async function pageOk(page, label) {
	await axeCheck(page, label);
	await assertNoHorizontalScroll(page);
	await assertTouchTargets(page, 'main button, main .utrecht-button-link, main a, main input[type=checkbox] + *, .vp-kiosk__bar button');
	assertNoProblems(page);
}

/** Nothing on a kiosk page leads away from the form. */
async function noWayOut(page) {
	assert.equal(await page.locator('header, footer, nav').count(), 0, 'a kiosk page has no header, footer or menu');
	const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
	for (const h of hrefs)
		assert.ok(h.includes('/kiosk'), `a link out of the kiosk: ${h}`);
}

async function startTelling(page) {
	await page.locator('label[for=consent]').tap();
	await page.locator('main form button[type=submit]').first().tap();
	await page.waitForURL('**/kiosk/stap/1');
}

test('a staff member starts the kiosk from the collection page', async () => {
	const page = await openPage(browser, DESKTOP);
	try {
		await login(page, server.url, server.adminUser, server.adminPassword, PASSWORD);
		await page.goto(`${server.url}/verzamelingen/${collId}`);
		await page.locator('#vertellen').waitFor();
		await axeCheck(page, 'collection page with kiosk and face to face');
		await page.locator('#stil').fill('45');
		await Promise.all([page.waitForNavigation(), page.locator('button.vp-coll-kiosk').click()]);
		assert.match(page.url(), /\/kiosk\?stil=45$/);
		assert.equal(await page.locator('body').getAttribute('data-kiosk-idle'), '45');
		await noWayOut(page);
		await axeCheck(page, 'kiosk start (desktop)');
		assertNoProblems(page);
	} finally {
		await page.context().close();
	}
});

test('after the thank-you page the kiosk starts again, and back finds nothing', async () => {
	const page = await openPage(browser, PHONE_390);
	try {
		const res = await page.goto(`${link}/kiosk?stil=120&waarschuwing=30&terug=3`);
		assert.equal(res.status(), 200);
		assert.equal(res.headers()['cache-control'], 'no-store');
		await noWayOut(page);
		// The full-screen button is there where the browser can do it.
		const canFs = await page.evaluate(() => document.fullscreenEnabled === true);
		assert.equal(await page.locator('#kiosk-fullscreen').isVisible(), canFs);
		await pageOk(page, 'kiosk start (phone)');
		await startTelling(page);
		await pageOk(page, 'kiosk step 1');
		assert.equal(await page.locator('button[value=later]').count(), 0, 'no resume code at a kiosk');
		await page.locator('textarea#a-verhaal').fill('De koffie in het wijkcentrum is goed.');
		await page.locator('button[value=next]').tap();
		await page.waitForURL('**/kiosk/stap/2');
		await page.locator('#q-leeftijd label.utrecht-form-label--radio').nth(1).tap();
		await page.locator('button[value=next]').tap();
		await page.waitForURL('**/kiosk/stap/3');
		await page.getByText('De koffie in het wijkcentrum is goed.').waitFor();
		assert.equal(await page.locator('#email').getAttribute('autocomplete'), 'off');
		await pageOk(page, 'kiosk check');
		await page.locator('form[action$="/kiosk/versturen"] button[type=submit]').tap();
		await page.locator('#ontvangstcode').waitFor();
		await noWayOut(page);
		await pageOk(page, 'kiosk thank you');
		// It counts down, then the start page for the next person.
		await page.waitForURL((u) => u.pathname.endsWith('/kiosk'), { timeout: 10_000 });
		await page.locator('#consent').waitFor();
		assert.equal(await page.locator('#ontvangstcode').count(), 0);
		const rows = await sql(server.db, "SELECT channel, answers FROM stories ORDER BY id DESC LIMIT 1");
		assert.equal(rows[0].channel, 'kiosk');
		assert.match(rows[0].answers, /koffie/);
		// Back in the browser: never the previous teller's answers.
		for (let i = 0; i < 3; i++) {
			await page.goBack().catch(() => {});
			await page.waitForLoadState();
			const html = await page.content();
			assert.ok(!html.includes('De koffie'), `back showed the previous teller's story at ${page.url()}`);
			assert.ok(!html.includes('ontvangstcode'), `back showed the receipt at ${page.url()}`);
		}
		assertNoProblems(page);
	} finally {
		await page.context().close();
	}
});

test('after inactivity a warning, then the kiosk starts again and the draft is gone', async () => {
	const page = await openPage(browser, PHONE_390);
	try {
		await page.goto(`${link}/kiosk?stil=2&waarschuwing=3&terug=20`);
		await startTelling(page);
		await page.locator('textarea#a-verhaal').fill('Een geheim verhaal van de vorige persoon.');
		await page.locator('button[value=next]').tap();
		await page.waitForURL('**/kiosk/stap/2');
		const drafts = (await sql(server.db, "SELECT COUNT(*) AS n FROM story_drafts WHERE channel = 'kiosk'"))[0].n;
		assert.ok(drafts >= 1);

		// The warning: a modal dialog with its heading and a countdown.
		const dialog = page.locator('dialog#kiosk-warning');
		await dialog.waitFor({ state: 'visible', timeout: 10_000 });
		assert.equal(await page.evaluate(() => document.activeElement?.id), 'kiosk-continue');
		await axeCheck(page, 'kiosk warning');
		// "Ja, ik ga verder": the page and its answers stay.
		await page.locator('#kiosk-continue').tap();
		await dialog.waitFor({ state: 'hidden' });
		assert.match(page.url(), /\/kiosk\/stap\/2$/);

		// Nobody answers the second warning: back to the start.
		await dialog.waitFor({ state: 'visible', timeout: 10_000 });
		await page.waitForURL((u) => u.pathname.endsWith('/kiosk'), { timeout: 10_000 });
		await page.locator('#consent').waitFor();
		const left = (await sql(server.db, "SELECT COUNT(*) AS n FROM story_drafts WHERE channel = 'kiosk' AND answers LIKE '%geheim%'"))[0].n;
		assert.equal(left, 0, 'the draft of the previous teller was deleted');
		for (let i = 0; i < 3; i++) {
			await page.goBack().catch(() => {});
			await page.waitForLoadState();
			assert.ok(!(await page.content()).includes('geheim verhaal'), `back showed the previous answers at ${page.url()}`);
		}
		assertNoProblems(page);
	} finally {
		await page.context().close();
	}
});

test('without JavaScript the kiosk works, only without timers', async () => {
	const page = await openPage(browser, PHONE_390, { javaScriptEnabled: false });
	try {
		await page.goto(`${link}/kiosk`);
		assert.equal(await page.locator('#kiosk-fullscreen').isVisible(), false);
		await startTelling(page);
		await page.locator('textarea#a-verhaal').fill('Zonder script.');
		await page.locator('button[value=next]').tap();
		await page.waitForURL('**/kiosk/stap/2');
		await page.locator('button[value=next]').tap();
		await page.waitForURL('**/kiosk/stap/3');
		await page.locator('form[action$="/kiosk/versturen"] button[type=submit]').tap();
		await page.locator('#ontvangstcode').waitFor();
		await page.locator('#kiosk-again').tap();
		await page.waitForURL((u) => u.pathname.endsWith('/kiosk'));
		await page.locator('#consent').waitFor();
		assert.equal(await page.locator('#ontvangstcode').count(), 0);
	} finally {
		await page.context().close();
	}
});
