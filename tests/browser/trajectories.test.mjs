// trajectories.test.mjs: a trajectory from start to its public page, in the
// browser. A conversation lead starts one, sees what is still missing before
// invitations, fills it in, publishes the public page; a resident on a phone
// reads it and sends a question with the contact form; the lead reads the
// request and marks it handled. A colleague not on the trajectory gets 404
// for its page. axe-core (WCAG 2.1 A/AA) on every page, desktop and phone.
//
// Elements are found by ids and form actions, so the test holds in Dutch
// and English.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE_390, launchBrowser, login, openPage, pageOk, startServer } from './harness.mjs';

const PASSWORD = 'een lange zin als wachtwoord';

let browser;
let server;
let anna;
let bea;
before(async () => {
	[browser, server] = await Promise.all([launchBrowser(), startServer()]);
	anna = { password: await server.addUser('anna', 'Anna Gesprek', 'gespreksvoerder') };
	bea = { password: await server.addUser('bea', 'Bea Ander', 'gespreksvoerder') };
});
after(async () => {
	await browser?.close();
	await server?.stop();
});

test('a trajectory from its start to a question on its public page', async (t) => {
	const page = await openPage(browser, DESKTOP);
	await login(page, server.url, 'anna', anna.password, PASSWORD);

	await page.goto(`${server.url}/trajecten`);
	await pageOk(page, 'trajectories, empty');
	await page.locator('#title').fill('Het Dorpsplein');
	await Promise.all([page.waitForNavigation(), page.locator('form[action="/trajecten"] button[type=submit]').click()]);
	const overview = page.url().replace(/\?.*$/, '');
	assert.match(overview, /\/trajecten\/\d+$/);
	// Not ready: the three preconditions are listed.
	assert.equal(await page.locator('.utrecht-alert--warning li').count(), 3);
	await pageOk(page, 'trajectory, not ready');

	// Bad input keeps what was typed and says what is wrong.
	await page.goto(`${overview}/bewerken`);
	await pageOk(page, 'trajectory edit form');
	await page.locator('#question').fill('Hoe wilt u het plein gebruiken?');
	await page.locator('#starts_on').fill('2026-06-30');
	await page.locator('#ends_on').fill('2026-03-01');
	await Promise.all([page.waitForNavigation(), page.locator('form.vp-form button[type=submit]').click()]);
	assert.equal(await page.locator('.utrecht-alert--error').count(), 1);
	assert.equal(await page.locator('#question').inputValue(), 'Hoe wilt u het plein gebruiken?');
	await pageOk(page, 'trajectory edit form with an error');

	await page.locator('#ends_on').fill('2026-09-30');
	await page.locator('#scope').fill('De bomen en banken: daarover beslist u mee. De weg ligt vast.');
	await page.locator('#selection_rationale').fill('U woont aan het plein.');
	await page.locator('#contact_route').fill('Bel 14 020 of kom langs op het gemeentehuis.');
	await page.locator('#published').check();
	await Promise.all([page.waitForNavigation(), page.locator('form.vp-form button[type=submit]').click()]);
	assert.equal(await page.locator('.utrecht-alert--warning').count(), 0);
	const publicHref = await page.locator('a[href^="/meedoen/"]').getAttribute('href');
	assert.equal(publicHref, '/meedoen/het-dorpsplein');
	await pageOk(page, 'trajectory, ready');

	// A resident on a phone: the public page and its contact form.
	const phone = await openPage(browser, PHONE_390);
	await phone.goto(server.url + publicHref);
	await pageOk(phone, 'public page (phone)');
	await phone.locator('#message').fill('Komen er ook bankjes in de schaduw?');
	await Promise.all([phone.waitForNavigation(), phone.locator('form[action$="/contact"] button[type=submit]').click()]);
	// Without an e-mail address or phone number: refused, the message kept.
	assert.equal(await phone.locator('.utrecht-alert--error').count(), 1);
	assert.equal(await phone.locator('#message').inputValue(), 'Komen er ook bankjes in de schaduw?');
	await pageOk(phone, 'public page, contact refused (phone)');
	await phone.locator('#email').fill('lies@example.org');
	await Promise.all([phone.waitForNavigation(), phone.locator('form[action$="/contact"] button[type=submit]').click()]);
	assert.equal(await phone.locator('.utrecht-alert--ok').count(), 1);
	await pageOk(phone, 'public page, contact sent (phone)');

	// The lead reads it and marks it handled.
	await page.goto(`${overview}/contact`);
	await pageOk(page, 'contact requests');
	assert.match(await page.locator('main').innerText(), /bankjes in de schaduw/);
	assert.match(await page.locator('main').innerText(), /lies@example\.org/);
	await Promise.all([page.waitForNavigation(), page.locator('form[action$="/afgehandeld"] button').click()]);
	assert.equal(await page.locator('form[action$="/afgehandeld"]').count(), 0);

	// A colleague who is not on it: the page does not exist for her.
	const other = await openPage(browser, PHONE_390);
	await login(other, server.url, 'bea', bea.password, PASSWORD);
	const resp = await other.goto(overview);
	assert.equal(resp.status(), 404);
	await other.goto(`${server.url}/trajecten`);
	assert.equal(await other.locator(`a[href="${new URL(overview).pathname}"]`).count(), 0);
	await pageOk(other, 'trajectories of someone else (phone)');
});
