// collections.test.mjs: the staff pages of collections with the keyboard
// only. An administrator makes a collection from the form (title, purpose,
// script version, period, retention), sees its link, code and QR code,
// opens the poster and the flyer, and prints the poster to a PDF of one A4
// page. axe-core (WCAG 2.1 A/AA) runs on the list, the details, the poster
// and the flyer, at desktop and phone width.
//
// Elements are found by their ids, hrefs and form actions, not by their
// texts, so the test holds in Dutch and in English.
import assert from 'node:assert/strict';
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

const PASSWORD = 'een lange zin als wachtwoord';

let browser;
let server;
before(async () => {
	[browser, server] = await Promise.all([launchBrowser(), startServer()]);
	// A script from the library, published: something to collect with.
	await cli(server.db, 'script', 'add-template', 'open-vertelpunt');
	await cli(server.db, 'script', 'status', '1', '1', 'published');
});
after(async () => {
	await browser?.close();
	await server?.stop();
});

/** Presses Tab until the focused element matches selector. */
async function tabTo(page, selector, { max = 300 } = {}) {
	for (let i = 0; i < max; i++) {
		if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector))
			return;
		await page.keyboard.press('Tab');
	}
	throw new Error(`Tab did not reach ${selector} on ${page.url()}`);
}

/** Tabs to a field, selects what is in it and types text over it. */
async function typeInto(page, selector, text) {
	await tabTo(page, selector);
	await page.keyboard.press('ControlOrMeta+A');
	await page.keyboard.type(text);
}

/** Tabs to a link or button and presses Enter; waits for the next page. */
async function activate(page, selector) {
	await tabTo(page, selector);
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

async function axe(t, page, label) {
	await t.test(`axe: ${label}`, async () => {
		await axeCheck(page, label);
		assertNoProblems(page);
	});
}

async function login(page) {
	await page.goto(`${server.url}/login`);
	await typeInto(page, '#username', server.adminUser);
	await typeInto(page, '#password', server.adminPassword);
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
	assert.match(page.url(), /\/account\/password$/);
	await typeInto(page, '#current', server.adminPassword);
	await typeInto(page, '#new', PASSWORD);
	await typeInto(page, '#repeat', PASSWORD);
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

/** The first page of a PDF is w x h points (within 2 points). */
function assertPageSize(pdf, w, h) {
	const m = pdf.toString('latin1').match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
	assert.ok(m, 'the PDF has a MediaBox');
	const [pw, ph] = [Number(m[1]), Number(m[2])];
	assert.ok(Math.abs(pw - w) < 2 && Math.abs(ph - h) < 2, `page is ${pw} x ${ph} points, want ${w} x ${h}`);
}

let detailsUrl;

test('an administrator makes a collection with the keyboard and prints its poster', async (t) => {
	const page = await openPage(browser, DESKTOP);
	t.after(() => page.context().close());
	await login(page);

	// The start page and the menu lead to the collections.
	await page.goto(`${server.url}/`);
	assert.equal(await page.locator('.vp-nav a[href="/verzamelingen"]').count(), 1);
	await activate(page, 'main a[href="/verzamelingen"]');
	assert.match(page.url(), /\/verzamelingen$/);
	await axe(t, page, 'the list without collections');

	// A mistake first: the last day before the first. Day and month are
	// the same in every date, so the keys mean the same date whatever
	// order the browser's date field uses (dd-mm-yyyy or mm/dd/yyyy).
	await typeInto(page, '#title', 'Wonen in Oost');
	await typeInto(page, '#purpose', 'We willen leren hoe het is om in Oost te wonen.');
	await tabTo(page, '#version');
	assert.equal(await page.locator('#version option').count(), 1);
	await typeInto(page, '#from', '05052026');
	await typeInto(page, '#until', '04042026');
	await tabTo(page, '#retention');
	assert.equal(await page.inputValue('#retention'), '730');
	await page.keyboard.press('ControlOrMeta+A');
	await page.keyboard.type('365');
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
	assert.match(page.url(), /\/verzamelingen$/);
	assert.equal(await page.locator('#nieuw-fout[role="alert"]').count(), 1);
	assert.equal(await page.getAttribute('#until', 'aria-invalid'), 'true');
	assert.equal(await page.inputValue('#title'), 'Wonen in Oost');
	await axe(t, page, 'the form with an error');

	// Put it right: the focus is on the wrong field.
	assert.equal(await page.evaluate(() => document.activeElement?.id), 'until');
	// Back out and in again: Tab enters a date field at its first part.
	await page.keyboard.press('Shift+Tab');
	await page.keyboard.press('Tab');
	await page.keyboard.type('07072026');
	assert.equal(await page.inputValue('#until'), '2026-07-07');
	await tabTo(page, 'form[action="/verzamelingen"] button[type="submit"]');
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
	assert.match(page.url(), /\/verzamelingen\/\d+\?ok=created$/, await page.locator('main').innerText());
	detailsUrl = page.url().replace(/\?.*$/, '');
	assert.equal(await page.locator('h1').textContent(), 'Wonen in Oost');
	const link = await page.locator('a.vp-coll-link').textContent();
	assert.match(link, new RegExp(`^${server.url}/v/[0-9a-f]{32}$`));
	const code = await page.locator('.vp-coll-code').textContent();
	assert.match(code, /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
	assert.equal(await page.locator('.vp-coll-qr svg[role="img"] title').textContent(), link);
	await axe(t, page, 'the details of a new collection');
	await assertTouchTargets(page, 'main button');

	// The list shows it.
	await page.goto(`${server.url}/verzamelingen`);
	assert.equal(await page.locator('.vp-coll-card').count(), 1);
	assert.equal(await page.locator('.vp-coll-card .vp-coll-code').textContent(), code);
	await axe(t, page, 'the list with a collection');

	// The poster: the link, the code and a large QR code; one A4 page in print.
	await page.goto(detailsUrl);
	await activate(page, 'main a[href$="/poster"]');
	assert.match(page.url(), /\/poster$/);
	assert.equal(await page.locator('.vp-sheet__link').textContent(), link);
	// and where to type the code instead: the same site's /code page
	assert.equal(await page.locator('.vp-sheet__site').textContent(), link.replace(/\/v\/.*$/, '/code'));
	assert.equal(await page.locator('.vp-sheet__code').textContent(), code);
	const qr = await page.locator('.vp-sheet__qr svg').boundingBox();
	assert.ok(qr.width > 300, `QR code on the poster is ${qr.width} px wide`);
	await axe(t, page, 'the poster');
	await page.emulateMedia({ media: 'print' });
	assert.equal(await page.locator('.vp-header').isVisible(), false);
	assert.equal(await page.locator('.vp-sheet').isVisible(), true);
	const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
	const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
	assert.equal(pages, 1, 'the poster prints on one page');
	assertPageSize(pdf, 595, 842); // A4 in points
	await page.emulateMedia({ media: null }); // page.pdf() prints with print CSS again

	// The flyer: A6 in print.
	await page.goto(`${detailsUrl}/flyer`);
	assert.equal(await page.locator('.vp-sheet__code').textContent(), code);
	await axe(t, page, 'the flyer');
	const flyer = await page.pdf({ preferCSSPageSize: true, printBackground: true });
	assert.equal((flyer.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length, 1);
	assertPageSize(flyer, 298, 420); // A6 in points

	// The QR code alone, as an SVG file.
	const res = await page.request.get(`${detailsUrl}/qr.svg`);
	assert.equal(res.status(), 200);
	assert.match(res.headers()['content-type'], /^image\/svg\+xml/);
	assert.match(await res.text(), /<path /);

	// Closing: the button goes, the state says closed.
	await page.goto(detailsUrl);
	await activate(page, 'form[action$="/sluiten"] button');
	assert.equal(await page.locator('#sluiten-fout[role="alert"]').count(), 1, 'first tick the box');
	await axe(t, page, 'closing without ticking the box');
	await tabTo(page, '#bevestig');
	await page.keyboard.press('Space');
	await activate(page, 'form[action$="/sluiten"] button');
	assert.match(page.url(), /\?ok=closed$/);
	assert.equal(await page.locator('form[action$="/sluiten"]').count(), 0);
	await axe(t, page, 'the details of a closed collection');
});

test('the collection pages on a phone', async (t) => {
	assert.ok(detailsUrl, 'the first test made a collection');
	const page = await openPage(browser, PHONE);
	t.after(() => page.context().close());
	await page.goto(`${server.url}/login`);
	await page.fill('#username', server.adminUser);
	await page.fill('#password', PASSWORD);
	await Promise.all([page.waitForNavigation(), page.press('#password', 'Enter')]);
	for (const path of ['/verzamelingen', '', '/poster', '/flyer']) {
		const url = path.startsWith('/verz') ? `${server.url}${path}` : `${detailsUrl}${path}`;
		await page.goto(url);
		await assertNoHorizontalScroll(page);
		await axe(t, page, `${path || 'details'} on a phone`);
	}
});
