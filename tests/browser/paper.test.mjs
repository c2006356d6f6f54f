// paper.test.mjs: the paper version of an interview script. A conversation
// lead opens it from the editor's page, axe-core (WCAG 2.1 A/AA) runs on
// it, and chromium prints it: A4 pages, more than one for the Wmo
// template, without the note that is only for the screen, text of 12pt or
// more, black on white. The spatial-plan template prints its map.
//
// Elements are found by their classes and hrefs, not by their texts, so
// the test holds in Dutch and in English.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, assertNoProblems, axeCheck, cli, launchBrowser, login as loginAs, openPage, startServer } from './harness.mjs';

const PASSWORD = 'een lange zin als wachtwoord';

let browser;
let server;
let oneTime;
before(async () => {
	[browser, server] = await Promise.all([launchBrowser(), startServer()]);
	await cli(server.db, 'script', 'add-template', 'wmo-keukentafel-ervaring');
	await cli(server.db, 'script', 'add-template', 'ruimtelijk-plan-keukentafel');
	oneTime = await server.addUser('fel-amrani', 'Fatima el Amrani', 'gespreksvoerder');
});
after(async () => {
	await browser?.close();
	await server?.stop();
});

/** Logs in; the first time with the one-time password, which is changed then. */
let changed = false;
async function login(page) {
	await loginAs(page, server.url, 'fel-amrani', changed ? PASSWORD : oneTime, changed ? undefined : PASSWORD);
	changed = true;
}

/** The number of pages of a PDF, and the size of its first in points. */
function pdfPages(pdf) {
	const text = pdf.toString('latin1');
	const m = text.match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
	assert.ok(m, 'the PDF has a MediaBox');
	return { pages: (text.match(/\/Type\s*\/Page[^s]/g) || []).length, w: Number(m[1]), h: Number(m[2]) };
}

test('a conversation lead prints the paper version of the Wmo script', async (t) => {
	const page = await openPage(browser, DESKTOP);
	t.after(() => page.context().close());
	await login(page);

	// From the editor's page, by its link.
	await page.goto(`${server.url}/vragenlijsten/1/versies/1`);
	const link = page.locator('main a[href="/vragenlijsten/1/versies/1/papier"]');
	assert.equal(await link.count(), 1, 'the editor links to the paper version');
	await Promise.all([page.waitForNavigation(), link.click()]);
	assert.match(page.url(), /\/vragenlijsten\/1\/versies\/1\/papier$/);

	await t.test('axe: the paper version', async () => {
		await axeCheck(page, 'the paper version');
		assertNoProblems(page);
	});

	// Every kind of drawing of the template is there.
	assert.ok((await page.locator('.vp-paper__question').count()) >= 10);
	assert.ok((await page.locator('.vp-paper__question--triad svg polygon').count()) >= 1);
	assert.ok((await page.locator('.vp-paper__question--dyad svg line').count()) >= 3);
	assert.ok((await page.locator('.vp-paper__circle').count()) >= 5);
	assert.equal(await page.locator('.vp-paper__consent .vp-paper__box').count(), 1);
	assert.equal(await page.locator('.vp-paper__pro').count(), 1);

	// On screen a note with a way back; in print only the form.
	assert.equal(await page.locator('.vp-paper__screen').isVisible(), true);
	await page.emulateMedia({ media: 'print' });
	assert.equal(await page.locator('.vp-paper__screen').isVisible(), false);
	const style = await page.evaluate(() => {
		const sizes = [];
		for (const el of document.querySelectorAll('main *')) {
			const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
			if (own && el.getClientRects().length)
				sizes.push(parseFloat(getComputedStyle(el).fontSize));
		}
		const body = getComputedStyle(document.body);
		return { min: Math.min(...sizes), color: body.color, background: body.backgroundColor };
	});
	assert.ok(style.min >= 16, `the smallest text is ${style.min} px (12pt is 16 px)`);
	assert.equal(style.color, 'rgb(0, 0, 0)');
	assert.equal(style.background, 'rgb(255, 255, 255)');
	// Each section starts a new page.
	const breaks = await page.evaluate(() =>
		[...document.querySelectorAll('.vp-paper__section')].slice(1).map((s) => getComputedStyle(s).breakBefore),
	);
	assert.ok(breaks.length >= 2);
	assert.ok(breaks.every((b) => b === 'page'), `break-before: ${breaks}`);

	const pdf = pdfPages(await page.pdf({ preferCSSPageSize: true }));
	assert.ok(pdf.pages > 1, `the Wmo form prints on ${pdf.pages} page(s)`);
	assert.ok(Math.abs(pdf.w - 595) < 2 && Math.abs(pdf.h - 842) < 2, `page is ${pdf.w} x ${pdf.h} points, not A4`);
	await page.emulateMedia({ media: null });
});

test('the paper version of the spatial plan shows its map', async (t) => {
	const page = await openPage(browser, DESKTOP);
	t.after(() => page.context().close());
	await login(page);
	await page.goto(`${server.url}/vragenlijsten/2/versies/1/papier`);
	const img = page.locator('.vp-paper__question--pin img.vp-paper__image');
	assert.equal(await img.count(), 1);
	await img.evaluate((el) => el.decode());
	assert.ok((await img.evaluate((el) => el.naturalWidth)) > 0, 'the map loads');
	assert.equal(await page.locator('.vp-paper__question--stones svg rect').count(), 1);
	await t.test('axe: the paper version with a map and stones', async () => {
		await axeCheck(page, 'the paper version of the spatial plan');
		assertNoProblems(page);
	});
});
