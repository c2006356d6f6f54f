// outbox.test.mjs: the administrator's page of outgoing e-mail (/beheer/uitgaand):
// a failed message (its mail server refused the connection) is shown with its
// error, tried again with the button, and axe (WCAG 2.1 A/AA) passes on the
// page before and after, at desktop width and at phone width (360 px).
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
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
	sql,
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

test('an administrator sees a failed e-mail and tries it again', async (t) => {
	const body = path.join(path.dirname(server.db), 'body.txt');
	await writeFile(body, 'Beste Fatima,\n\nTot donderdag.\n');
	const queued = await cli(
		server.db, 'mail', 'queue', '--to', 'fatima@example.org', '--subject',
		'Herinnering: uw gesprek', '--body-file', body, '--purpose', 'reminder',
		'--ref', 'conversation:42',
	);
	assert.ok(queued.queued > 0);
	// Port 1 on 127.0.0.1 refuses the connection: with one try allowed the
	// message is failed at once.
	const pass = await cli(
		server.db, 'mail', 'send-due', '--smtp-url', 'smtp://127.0.0.1:1', '--mail-from',
		'gemeente@example.org', '--mail-max-attempts', '1',
	);
	assert.equal(pass.failed, 1);

	const page = await openPage(browser, DESKTOP);
	t.after(() => page.context().close());
	const main = page.getByRole('main');
	await loginWithLabels(page, server, ADMIN_PASSWORD);

	await page.goto(`${server.url}/beheer/uitgaand`);
	await main.getByRole('heading', { level: 1 }).waitFor();
	// The server of this test has no --smtp-url: the page says so.
	await main.locator('.utrecht-alert').first().waitFor();
	await main.locator('.vp-outbox-status--failed').waitFor();
	await main.getByRole('cell', { name: 'conversation 42' }).waitFor();
	assert.equal(await main.getByText('fatima@example.org').count(), 0);
	await check(t, page, 'outbox with a failed message');

	await main.locator('form.vp-row-form button').click();
	await page.waitForURL(/\/beheer\/uitgaand\?opnieuw=1$/);
	await main.locator('.vp-outbox-status--queued').waitFor();
	assert.equal(await main.locator('form.vp-row-form').count(), 0);
	const rows = await sql(server.db, "SELECT status FROM outbox WHERE purpose = 'reminder'");
	assert.equal(JSON.stringify(rows).includes('queued'), true);
	await check(t, page, 'outbox after trying again');
});
