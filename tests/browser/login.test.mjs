// login.test.mjs: the way a member of staff logs in for the first time,
// on a desktop and on a phone: start page, wrong password, the one-time
// password, choosing an own password, the start page as administrator,
// logging out, and switching the language.
//
// On every page: no horizontal scrolling, taps of at least 44 px in the
// header and forms, and no console error, uncaught exception or CSP
// violation (chromium reports those on the console).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
	DESKTOP,
	PHONE,
	assertNoHorizontalScroll,
	assertNoProblems,
	assertTouchTargets,
	launchBrowser,
	openPage,
	startServer,
} from './harness.mjs';

const NEW_PASSWORD = 'koffie aan de keukentafel';

let browser;
before(async () => {
	browser = await launchBrowser();
});
after(async () => {
	await browser?.close();
});

/** What is checked on every page the flow passes. */
async function checkPage(page) {
	await assertNoHorizontalScroll(page);
	await assertTouchTargets(page);
	assertNoProblems(page);
}

// Each test has its own server and browser context: they run side by side.
describe('logging in', { concurrency: true }, () => {
	for (const [name, device] of [
		['desktop 1280x800', DESKTOP],
		['phone 360x740', PHONE],
	]) {
		test(`first login, new password, logout and language switch (${name})`, async (t) => {
			const server = await startServer();
			t.after(() => server.stop());
			const page = await openPage(browser, device);
			t.after(() => page.context().close());
			const main = page.getByRole('main');
			const nav = page.getByRole('navigation', { name: 'Account en taal' });

			// The start page, logged out.
			await page.goto(`${server.url}/`);
			assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
			await main.getByRole('heading', { level: 1, name: 'Vertelpunt' }).waitFor();
			await checkPage(page);

			// "Inloggen" leads to the login form.
			await main.getByRole('link', { name: 'Inloggen' }).click();
			await page.waitForURL(`${server.url}/login`);
			await main.getByRole('heading', { level: 1, name: 'Inloggen' }).waitFor();
			await checkPage(page);

			// A wrong password: the error, in plain Dutch, and the name stays filled in.
			await page.getByLabel('Gebruikersnaam').fill(server.adminUser);
			await page.getByLabel('Wachtwoord').fill('dit-is-het-niet');
			await main.getByRole('button', { name: 'Inloggen' }).click();
			const alert = page.getByRole('alert');
			await alert.waitFor();
			assert.equal((await alert.innerText()).trim(), 'De gebruikersnaam of het wachtwoord klopt niet.');
			assert.equal(await page.getByLabel('Gebruikersnaam').inputValue(), server.adminUser);
			await checkPage(page);

			// The one-time password: straight to choosing an own password.
			await page.getByLabel('Gebruikersnaam').fill(server.adminUser);
			await page.getByLabel('Wachtwoord').fill(server.adminPassword);
			await main.getByRole('button', { name: 'Inloggen' }).click();
			await page.waitForURL(`${server.url}/account/password`);
			await main.getByRole('heading', { level: 1, name: 'Uw wachtwoord wijzigen' }).waitFor();
			await checkPage(page);

			await page.getByLabel('Huidig wachtwoord').fill(server.adminPassword);
			await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(NEW_PASSWORD);
			await page.getByLabel('Nieuw wachtwoord nog een keer').fill(NEW_PASSWORD);
			await main.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
			await main.getByRole('heading', { level: 1, name: 'Wachtwoord opgeslagen' }).waitFor();
			await checkPage(page);

			// The start page shows who is logged in, and as what.
			await main.getByRole('link', { name: 'Naar de startpagina' }).click();
			await page.waitForURL(`${server.url}/`);
			await main.getByRole('heading', { level: 1, name: 'Welkom, Beheerder' }).waitFor();
			assert.equal(await main.locator('.vp-lead strong').innerText(), 'beheerder');
			await nav.getByRole('link', { name: 'Beheerder' }).waitFor();
			assert.equal(await nav.locator('.vp-role').innerText(), '(beheerder)');
			await checkPage(page);

			// Logging out: back to a start page with "Inloggen".
			await nav.getByRole('button', { name: 'Uitloggen' }).click();
			await nav.getByRole('link', { name: 'Inloggen' }).waitFor();
			await main.getByRole('link', { name: 'Inloggen' }).waitFor();
			assert.equal(await page.getByRole('button', { name: 'Uitloggen' }).count(), 0);
			await checkPage(page);

			// English, and back.
			await nav.getByRole('link', { name: 'English' }).click();
			await page.getByRole('navigation', { name: 'Account and language' }).getByRole('link', { name: 'Log in' }).waitFor();
			await main.getByRole('link', { name: 'Log in' }).waitFor();
			assert.equal(await page.locator('html').getAttribute('lang'), 'en');
			await checkPage(page);

			await page.getByRole('link', { name: 'Nederlands' }).click();
			await nav.getByRole('link', { name: 'Inloggen' }).waitFor();
			assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
			await checkPage(page);

			// The new password works.
			await main.getByRole('link', { name: 'Inloggen' }).click();
			await page.getByLabel('Gebruikersnaam').fill(server.adminUser);
			await page.getByLabel('Wachtwoord').fill(NEW_PASSWORD);
			await main.getByRole('button', { name: 'Inloggen' }).click();
			await page.waitForURL(`${server.url}/`);
			await main.getByRole('heading', { level: 1, name: 'Welkom, Beheerder' }).waitFor();
			await checkPage(page);
		});
	}

	test('keyboard: the skip link comes first and moves focus to the content', async (t) => {
		const server = await startServer();
		t.after(() => server.stop());
		const page = await openPage(browser, DESKTOP);
		t.after(() => page.context().close());
		await page.goto(`${server.url}/`);
		const skip = page.getByRole('link', { name: 'Naar de inhoud' });
		// Out of sight until it has focus...
		assert.ok(!(await skip.isVisible()) || (await skip.boundingBox()).y + (await skip.boundingBox()).height <= 0,
			'the skip link shows before it has focus');
		await page.keyboard.press('Tab');
		assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Naar de inhoud');
		// It slides in (unless the person asked for less motion).
		await page.waitForFunction(() => document.activeElement.getBoundingClientRect().top >= 0, null, { timeout: 2000 });
		const box = await skip.boundingBox();
		assert.ok(box && box.y >= 0 && box.height >= 44, `the focused skip link is not in view: ${JSON.stringify(box)}`);
		// ...and it leads to the main content.
		await page.keyboard.press('Enter');
		await page.waitForURL(`${server.url}/#main`);
		assertNoProblems(page);
	});
});
