// a11y.test.mjs: axe-core (WCAG 2.1 A and AA) on every page a person can
// reach, in every state that changes what is on it: logged out and in,
// with and without an error or a message, as administrator and as reader,
// in Dutch and in English. Zero violations allowed.
//
// Each page is checked at desktop width (1280x800) and again at phone
// width (360x740), where it must also fit without horizontal scrolling
// and keep its tap targets at 44 px or more.
//
// One server for the file; the tests use separate accounts and browser
// contexts, so they run side by side.
import { after, before, describe, test } from 'node:test';
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

const PHONE_SIZE = { width: 360, height: 740 };
const ADMIN_PASSWORD = 'een lange zin als wachtwoord';
const READER_PASSWORD = 'nog een lange zin als wachtwoord';

let browser;
let server;
const accounts = {};
before(async () => {
	[browser, server] = await Promise.all([launchBrowser(), startServer()]);
	accounts.reader = await server.addUser('jbakker', 'Jeroen Bakker', 'meelezer');
	accounts.admin2 = await server.addUser('tweede-beheerder', 'Tweede Beheerder', 'beheerder');
	await server.addUser('fel-amrani', 'Fatima el Amrani', 'gespreksvoerder');
});
after(async () => {
	await browser?.close();
	await server?.stop();
});

/** One subtest per page state: axe at both widths, layout checks at phone width. */
async function check(t, page, label) {
	await t.test(label, async () => {
		await axeCheck(page, `${label} (desktop)`);
		await page.setViewportSize(PHONE_SIZE);
		try {
			await axeCheck(page, `${label} (phone)`);
			await assertNoHorizontalScroll(page);
			await assertTouchTargets(page);
		} finally {
			await page.setViewportSize(DESKTOP.viewport);
		}
		assertNoProblems(page);
	});
}

async function logIn(page, username, password) {
	await page.goto(`${server.url}/login`);
	await page.getByLabel('Gebruikersnaam').fill(username);
	await page.getByLabel('Wachtwoord').fill(password);
	await page.getByRole('main').getByRole('button', { name: 'Inloggen' }).click();
	await page.waitForLoadState();
}

async function choosePassword(page, current, password) {
	await page.getByLabel('Huidig wachtwoord').fill(current);
	await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(password);
	await page.getByLabel('Nieuw wachtwoord nog een keer').fill(password);
	await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
	await page.getByRole('heading', { level: 1, name: 'Wachtwoord opgeslagen' }).waitFor();
}

describe('accessibility (axe, WCAG 2.1 A/AA)', { concurrency: true }, () => {
	test('the public pages, in Dutch and in English', async (t) => {
		const page = await openPage(browser, DESKTOP);
		t.after(() => page.context().close());
		const main = page.getByRole('main');

		await page.goto(`${server.url}/`);
		await check(t, page, 'start page, logged out');

		await page.goto(`${server.url}/login`);
		await check(t, page, 'login, empty');

		await logIn(page, 'niemand', 'dit-is-het-niet');
		await page.getByRole('alert').waitFor();
		await check(t, page, 'login, wrong password');

		await page.goto(`${server.url}/code`);
		await check(t, page, 'type the code');
		await page.getByLabel('Code').fill('2222-2222');
		await page.getByRole('button', { name: 'Verder' }).click();
		await page.getByRole('alert').waitFor();
		await check(t, page, 'type the code, unknown code');

		await page.goto(`${server.url}/bestaat-niet`);
		await main.getByRole('heading', { level: 1 }).waitFor();
		await check(t, page, '404 page');

		await page.getByRole('link', { name: 'English' }).click();
		await main.getByRole('heading', { level: 1, name: 'This page does not exist.' }).waitFor();
		await check(t, page, '404 page, English');

		await page.goto(`${server.url}/`);
		await main.getByRole('link', { name: 'Log in' }).waitFor();
		await check(t, page, 'start page, logged out, English');

		await page.goto(`${server.url}/login`);
		await check(t, page, 'login, English');
	});

	test('the pages of the administrator', async (t) => {
		const page = await openPage(browser, DESKTOP);
		t.after(() => page.context().close());
		const main = page.getByRole('main');

		await logIn(page, server.adminUser, server.adminPassword);
		await page.waitForURL('**/account/password');
		await check(t, page, 'change password, after a one-time password');

		await page.getByLabel('Huidig wachtwoord').fill('dit-is-het-niet');
		await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(ADMIN_PASSWORD);
		await page.getByLabel('Nieuw wachtwoord nog een keer').fill(ADMIN_PASSWORD);
		await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
		await page.getByRole('alert').waitFor();
		await check(t, page, 'change password, with an error');

		await choosePassword(page, server.adminPassword, ADMIN_PASSWORD);
		await check(t, page, 'password saved');

		await page.goto(`${server.url}/`);
		await main.getByRole('heading', { level: 1, name: 'Welkom, Beheerder' }).waitFor();
		await check(t, page, 'start page, logged in as administrator');

		await page.goto(`${server.url}/account`);
		await check(t, page, 'account');

		await page.goto(`${server.url}/account/password`);
		await check(t, page, 'change password, by choice');

		await page.goto(`${server.url}/beheer/gebruikers`);
		await check(t, page, 'staff accounts');

		await page.getByLabel('Naam', { exact: true }).fill('Anna de Vries');
		await page.getByLabel('Gebruikersnaam').fill('avries');
		await page.getByLabel('Rol', { exact: true }).selectOption('meelezer');
		await main.getByRole('button', { name: 'Toevoegen' }).click();
		await page.locator('.vp-otp').waitFor();
		await check(t, page, 'staff accounts, after adding someone (one-time password shown)');

		await page.goto(`${server.url}/beheer/gebruikers`);
		await page.getByLabel('Naam', { exact: true }).fill('Anna de Vries');
		await page.getByLabel('Gebruikersnaam').fill('avries');
		await main.getByRole('button', { name: 'Toevoegen' }).click();
		await page.getByRole('alert').waitFor();
		await check(t, page, 'staff accounts, with an error');

		await page.goto(`${server.url}/beheer/gebruikers`);
		await page.getByLabel('Rol van Anna de Vries').selectOption('onderzoeker');
		await page.getByRole('row', { name: /Anna de Vries/ }).getByRole('button', { name: 'Rol opslaan' }).click();
		await page.getByRole('status').waitFor();
		await check(t, page, 'staff accounts, after a change');

		await page.goto(`${server.url}/beheer/gebruikers`);
		await page.getByRole('link', { name: 'English' }).click();
		await main.getByRole('heading', { level: 1, name: 'Staff accounts' }).waitFor();
		await check(t, page, 'staff accounts, English');

		await page.goto(`${server.url}/`);
		await check(t, page, 'start page, logged in, English');
	});

	test('the pages of a member of staff who is no administrator', async (t) => {
		const page = await openPage(browser, DESKTOP);
		t.after(() => page.context().close());
		const main = page.getByRole('main');

		await logIn(page, 'jbakker', accounts.reader);
		await page.waitForURL('**/account/password');
		await choosePassword(page, accounts.reader, READER_PASSWORD);

		await page.goto(`${server.url}/`);
		await main.getByRole('heading', { level: 1, name: 'Welkom, Jeroen Bakker' }).waitFor();
		await check(t, page, 'start page, logged in without administrator rights');

		await page.goto(`${server.url}/beheer/gebruikers`);
		await main.getByRole('heading', { level: 1 }).waitFor();
		await check(t, page, '403 page (staff accounts without rights)');
	});

	// The language link on the answer to a POST (here POST
	// /beheer/gebruikers/{id}, which has no GET route) leads to the parent
	// page, not to a 405 (src/web/layout.c, page_begin).
	test('switching the language right after changing an account', async (t) => {
		const page = await openPage(browser, DESKTOP);
		t.after(() => page.context().close());
		await logIn(page, 'tweede-beheerder', accounts.admin2);
		await page.waitForURL('**/account/password');
		await choosePassword(page, accounts.admin2, ADMIN_PASSWORD);
		await page.goto(`${server.url}/beheer/gebruikers`);
		await page.getByRole('row', { name: /Fatima el Amrani/ }).getByRole('button', { name: 'Nieuw eenmalig wachtwoord' }).click();
		await page.locator('.vp-otp').waitFor();
		const response = page.waitForResponse((r) => r.request().resourceType() === 'document' && !r.url().includes('/taal/'));
		await page.getByRole('link', { name: 'English' }).click();
		const status = (await response).status();
		if (status !== 200)
			throw new Error(`the language switch on ${page.url()} answered ${status}`);
		await page.getByRole('main').getByRole('heading', { level: 1, name: 'Staff accounts' }).waitFor();
	});
});
