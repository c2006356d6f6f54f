// trajectory_demo.test.mjs: the made-up group conversations of the demo
// (`vertelpunt trajectory demo`, what `make run` shows a newcomer) open as
// pages: the dialogue session with its registrations placed at tables, the
// facilitator's table, the mirror conversation with its panel, the
// initiative under way. axe-core (WCAG 2.1 A/AA), no horizontal scroll and
// no console problem on each, on desktop and on a phone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE_390, cli, launchBrowser, login, openPage, pageOk, startServer } from './harness.mjs';

const PASSWORD = 'een lange zin als wachtwoord';

let browser;
let server;
let made;
before(async () => {
	[browser, server] = await Promise.all([launchBrowser(), startServer()]);
	const t = await cli(server.db, 'trajectory', 'add', '--title', 'Herinrichting van het Dorpsplein',
		'--scope', 'Bomen, bankjes, licht.', '--rationale', 'U woont aan het plein.',
		'--contact', 'Bel 14 020.', '--publish');
	await cli(server.db, 'trajectory', 'assign', String(t.id), server.adminUser, '--responsible');
	made = await cli(server.db, 'trajectory', 'demo', String(t.id), server.adminUser);
	made.trajectory = t.id;
});
after(async () => {
	await browser?.close();
	await server?.stop();
});

test('the demo group conversations open as pages, on desktop and phone', async () => {
	assert.equal(made.registered, 20);
	assert.equal(made.waiting, 2);
	const desktop = await openPage(browser, DESKTOP);
	await login(desktop, server.url, server.adminUser, server.adminPassword, PASSWORD);
	const phone = await openPage(browser, PHONE_390);
	await login(phone, server.url, server.adminUser, PASSWORD);
	const tid = made.trajectory;
	for (const page of [desktop, phone]) {
		await page.goto(`${server.url}/trajecten/${tid}/dialoog`);
		await pageOk(page, 'dialogue series');
		assert.match(await page.locator('main').innerText(), /Dialoogtafel: wat wilt u op het plein\?/);

		await page.goto(`${server.url}/trajecten/${tid}/dialoog/sessies/${made.dialogue_session}`);
		await pageOk(page, 'dialogue session');
		const session = await page.locator('main').innerText();
		// Names are opened from their seal for the team; the two on the
		// waiting list are listed as waiting.
		assert.match(session, /Anouk de Vries/);
		assert.match(session, /Rik Verbeek/);

		// The facilitator's table (the administrator sits at the first one).
		const table = page.locator('main a[href*="/dialoog/tafels/"]').first();
		await Promise.all([page.waitForNavigation(), table.click()]);
		await pageOk(page, 'dialogue table');

		await page.goto(`${server.url}/trajecten/${tid}/spiegelgesprekken/${made.mirror_conversation}`);
		await pageOk(page, 'mirror conversation');
		const mirror = await page.locator('main').innerText();
		assert.match(mirror, /Ria Hoekstra/);
		assert.match(mirror, /Karin de Graaf/);

		await page.goto(`${server.url}/initiatieven/${made.initiative}`);
		await pageOk(page, 'initiative');
		assert.match(await page.locator('main').innerText(), /Moestuin achter het dorpshuis/);
	}
});
