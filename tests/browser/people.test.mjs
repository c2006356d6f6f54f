// people.test.mjs: the administrator's pages for the data of residents
// (rights of data subjects): search by e-mail, open the person, and axe
// (WCAG 2.1 A/AA) on the search page, the results and the person page, at
// desktop width and at phone width (360 px) without horizontal scrolling.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
	DESKTOP,
	assertNoHorizontalScroll,
	assertNoProblems,
	assertTouchTargets,
	axeCheck,
	cli,
	launchBrowser,
	loginWithLabels,
	openPage,
	startServer,
} from './harness.mjs';

const PHONE_SIZE = { width: 360, height: 740 };
const ADMIN_PASSWORD = 'een lange zin als wachtwoord';

let browser;
let server;
before(async () => {
	[browser, server] = await Promise.all([launchBrowser(), startServer()]);
});
after(async () => {
	await browser?.close();
	await server?.stop();
});

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

test('an administrator finds a person and opens their data', async (t) => {
	const person = await cli(
		server.db,
		'participant',
		'add',
		'--name',
		'Fatima de Vries-El Amrani',
		'--email',
		'fatima@example.org',
		'--phone',
		'06 98765432',
		'--address',
		'Lange Nieuwstraat 12, 3512 PN Utrecht',
	);
	assert.match(person.code, /^VP-/);

	const page = await openPage(browser, DESKTOP);
	t.after(() => page.context().close());
	const main = page.getByRole('main');

	await loginWithLabels(page, server, ADMIN_PASSWORD);

	await page.goto(`${server.url}/`);
	await main.getByRole('link', { name: 'Gegevens van inwoners' }).click();
	await main.getByRole('heading', { level: 1, name: 'Gegevens van inwoners' }).waitFor();
	await check(t, page, 'search page');

	await page.getByLabel('Zoek een persoon').fill('fatima@example.org');
	await main.getByRole('button', { name: 'Zoeken' }).click();
	await main.getByRole('heading', { level: 2, name: 'Resultaten' }).waitFor();
	await main.getByRole('cell', { name: 'fatima@example.org' }).waitFor();
	await check(t, page, 'search results');

	await main.getByRole('link', { name: person.code }).click();
	await main.getByRole('heading', { level: 1, name: `Persoon ${person.code}` }).waitFor();
	assert.equal(await page.getByLabel('E-mail').inputValue(), 'fatima@example.org');
	await main.getByRole('cell', { name: 'bekeken' }).first().waitFor();
	await check(t, page, 'person page');

	// Erasing without the tick is refused with a message.
	await main.getByRole('button', { name: 'Wissen' }).click();
	await page.getByRole('alert').waitFor();
	await check(t, page, 'erase refused');
});
