// methods.test.mjs: the catalogue of methods (werkvormen). An administrator
// opens the catalogue from the navigation, reads one method, edits it (a bad
// save first: the error summary leads to the field), adds a new one; a
// reader sees the catalogue without the edit links. axe-core (WCAG 2.1 A/AA)
// runs on every page, at desktop width and at phone width (PHONE_390), with
// no sideways scrolling.
//
// Elements are found by their ids, hrefs and form actions, not by their
// texts, so the test holds in Dutch and in English.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE_390, launchBrowser, login, openPage, pageOk, sql, startServer } from './harness.mjs';

const PASSWORD = 'een lange zin als wachtwoord';

let browser;
let server;
before(async () => {
	[browser, server] = await Promise.all([launchBrowser(), startServer()]);
});
after(async () => {
	await browser?.close();
	await server?.stop();
});

for (const [label, device] of [
	['desktop', DESKTOP],
	['phone', PHONE_390],
]) {
	test(`an administrator reads, edits and adds methods (${label})`, async (t) => {
		const page = await openPage(browser, device);
		const first = label === 'desktop';
		await login(page, server.url, server.adminUser, first ? server.adminPassword : PASSWORD, first ? PASSWORD : undefined);

		// The catalogue, from the navigation.
		await Promise.all([page.waitForNavigation(), page.locator('.vp-nav a[href="/werkvormen"]').click()]);
		assert.match(page.url(), /\/werkvormen$/);
		assert.ok((await page.locator('.vp-method-card').count()) >= 6);
		await t.test('axe: the catalogue', () => pageOk(page, `catalogue (${label})`));

		// One method in full: its steps in order, its rung on the ladder.
		const id = (await sql(server.db, "SELECT id FROM methods WHERE slug = 'keukentafelgesprek'"))[0].id;
		await Promise.all([page.waitForNavigation(), page.locator(`a[href="/werkvormen/${id}"]`).click()]);
		assert.ok((await page.locator('ol.vp-method-steps > li').count()) >= 3);
		assert.equal(await page.locator('.vp-ladder strong').count(), 1);
		await t.test('axe: one method', () => pageOk(page, `method (${label})`));

		// Edit: a save without a Dutch name shows the error summary.
		await Promise.all([page.waitForNavigation(), page.locator('#werkvorm-bewerken').click()]);
		await t.test('axe: the form', () => pageOk(page, `edit form (${label})`));
		await page.locator('#name_nl').fill('');
		await Promise.all([page.waitForNavigation(), page.locator('#opslaan').click()]);
		assert.equal(await page.locator('.vp-error-summary a[href="#name_nl"]').count(), 1);
		assert.equal(await page.locator('#name_nl').getAttribute('aria-invalid'), 'true');
		await t.test('axe: the form with an error', () => pageOk(page, `edit form with error (${label})`));
		await page.locator('.vp-error-summary a[href="#name_nl"]').click();
		assert.equal(await page.evaluate(() => document.activeElement?.id), 'name_nl');
		const name = `Keukentafelgesprek (${label})`;
		await page.locator('#name_nl').fill(name);
		await page.locator('#tip_nl_6').fill('Neem koffie mee.');
		await Promise.all([page.waitForNavigation(), page.locator('#opslaan').click()]);
		assert.match(page.url(), new RegExp(`/werkvormen/${id}\\?ok=saved$`));
		assert.equal((await page.locator('h1').textContent()).trim(), name);
		assert.ok((await page.locator('.vp-method-tips').textContent()).includes('Neem koffie mee.'));
		await t.test('axe: the method after saving', () => pageOk(page, `saved method (${label})`));
		const [row] = await sql(server.db, `SELECT name_nl, slug FROM methods WHERE id = ${id}`);
		assert.deepEqual(row, { name_nl: name, slug: 'keukentafelgesprek' });

		// Add a new method.
		await page.goto(`${server.url}/werkvormen`);
		await Promise.all([page.waitForNavigation(), page.locator('#werkvorm-nieuw').click()]);
		await t.test('axe: a new method', () => pageOk(page, `new form (${label})`));
		await page.locator('#name_nl').fill(`Buurtwandeling ${label}`);
		await page.locator('#goal_nl').fill('Samen zien wat er speelt in de wijk.');
		await page.locator('#rung').selectOption('adviseren');
		await page.locator('#step_nl_1').fill('Kies samen een route.');
		await page.locator('#step_nl_2').fill('Loop en luister.');
		await Promise.all([page.waitForNavigation(), page.locator('#opslaan').click()]);
		assert.match(page.url(), /\/werkvormen\/\d+\?ok=created$/);
		assert.equal(await page.locator('ol.vp-method-steps > li').count(), 2);
		await t.test('axe: the new method', () => pageOk(page, `new method (${label})`));
		const added = await sql(server.db, `SELECT rung, builtin FROM methods WHERE slug = 'buurtwandeling-${label}'`);
		assert.deepEqual(added, [{ rung: 'adviseren', builtin: 0 }]);

		// In English the Dutch-only texts are marked as Dutch.
		await page.goto(`${server.url}/taal/en?terug=${encodeURIComponent(new URL(page.url()).pathname)}`);
		assert.equal(await page.locator('h1').getAttribute('lang'), 'nl');
		await t.test('axe: a method in English with Dutch texts', () => pageOk(page, `english (${label})`));
		await page.goto(`${server.url}/taal/nl`);
		await page.context().close();
	});
}

test('a reader sees the catalogue, not the edit links', async (t) => {
	const password = await server.addUser('lezer', 'Lex Lezer', 'meelezer');
	const page = await openPage(browser, PHONE_390);
	await login(page, server.url, 'lezer', password, 'nog een lange zin als wachtwoord');
	await page.goto(`${server.url}/werkvormen`);
	assert.equal(await page.locator('#werkvorm-nieuw').count(), 0);
	await page.goto(`${server.url}/werkvormen/1`);
	assert.equal(await page.locator('#werkvorm-bewerken').count(), 0);
	await t.test('axe: one method as a reader', () => pageOk(page, 'method (reader)'));
	const res = await page.goto(`${server.url}/werkvormen/1/bewerken`);
	assert.equal(res.status(), 403);
	await page.context().close();
});
