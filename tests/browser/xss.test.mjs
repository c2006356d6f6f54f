// xss.test.mjs: script payloads stored through every channel that exists so far (staff names
// from the command line, the admin page and the API; URLs and query strings; every text of an
// interview script, imported on the command line and through the API; a trajectory's texts
// from the command line and its form; conversations' titles, people, notes and points; a
// resident's contact request from a public page) are shown as text on every page that shows
// them: no dialog, no executed marker, no CSP violation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DESKTOP, assertNoProblems, cli, launchBrowser, openPage, startServer } from './harness.mjs';

const PAYLOADS = [
	'<script>window.__xss=1;alert(1)</script>',
	'"><img src=x onerror="window.__xss=2;alert(2)">',
	"'><svg onload=window.__xss=3;alert(3)>",
	'<a href="javascript:window.__xss=4">klik</a>',
	'</title><script>window.__xss=5</script>',
	'<iframe srcdoc="<script>parent.__xss=6</script>">',
	'\u202E<b onmouseover=window.__xss=7>omgekeerd</b>',
	'<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=8>',
	'{{constructor.constructor("window.__xss=9")()}}',
	'<<script>script>window.__xss=10<</script>/script>',
];
const ADMIN_PASSWORD = 'een veilig beheerderswachtwoord';

let server;
let browser;
before(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
after(async () => {
	await browser?.close();
	await server?.stop();
});

/** Opens path and fails on a dialog, an executed marker or any console/CSP problem. */
async function visit(page, path) {
	await page.goto(`${server.url}${path}`);
	await page.waitForLoadState('load');
	// Hover the places names are shown, so a handler that needs an event
	// would run.
	for (const el of await page.locator('main :is(td, th, h1, dd, strong), .vp-nav a').all())
		await el.hover({ timeout: 500 }).catch(() => {});
	const marker = await page.evaluate(() => window.__xss);
	assert.equal(marker, undefined, `a payload ran on ${path} (marker ${marker})`);
	assertNoProblems(page);
}

describe('cross-site scripting', () => {
	test('payloads in staff names, URLs and forms stay text', async () => {
		const page = await openPage(browser, DESKTOP);
		const dialogs = [];
		page.on('dialog', async (d) => {
			dialogs.push(`${d.type()}: ${d.message()} on ${page.url()}`);
			await d.dismiss();
		});

		// Channel 1: the command line.
		for (let i = 0; i < PAYLOADS.length; i++)
			await server.addUser(`xss${i}`, PAYLOADS[i], 'meelezer');

		// Log in as administrator, through a payload in ?next=.
		await page.goto(`${server.url}/login?next=${encodeURIComponent('javascript:window.__xss=11')}`);
		await page.getByLabel('Gebruikersnaam').fill(server.adminUser);
		await page.getByLabel('Wachtwoord').fill(server.adminPassword);
		await page.getByRole('main').getByRole('button', { name: 'Inloggen' }).click();
		await page.getByLabel('Huidig wachtwoord').fill(server.adminPassword);
		await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(ADMIN_PASSWORD);
		await page.getByLabel('Nieuw wachtwoord nog een keer').fill(ADMIN_PASSWORD);
		await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
		await page.getByRole('heading', { level: 1, name: 'Wachtwoord opgeslagen' }).waitFor();

		// Channel 2: the admin page's form.
		await page.goto(`${server.url}/beheer/gebruikers`);
		await page.locator('#new-display_name').fill(PAYLOADS[1]);
		await page.locator('#new-username').fill('xss-form');
		await page.getByRole('button', { name: 'Toevoegen' }).click();
		await page.getByRole('status').first().waitFor();

		// Channel 3: the JSON API.
		const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
		const status = await page.evaluate(async ([token, name]) => {
			const res = await fetch('/api/v1/users', {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token },
				body: JSON.stringify({ username: 'xss-api', name, role: 'onderzoeker' }),
			});
			return res.status;
		}, [me.csrf_token, PAYLOADS[0]]);
		assert.equal(status, 201);

		// Every page that shows these names, and URLs carrying payloads.
		await visit(page, '/beheer/gebruikers');
		for (const p of PAYLOADS)
			assert.ok((await page.getByRole('main').textContent()).includes(p.trim()), `name not shown as text: ${p}`);
		await visit(page, '/');
		await visit(page, '/account');
		await visit(page, `/${encodeURIComponent('<script>window.__xss=12</script>')}`);
		await visit(page, `/taal/en?terug=${encodeURIComponent('javascript:window.__xss=13')}`);
		assert.equal(new URL(page.url()).pathname, '/');
		await visit(page, `/beheer/gebruikers?q=${encodeURIComponent('"><script>window.__xss=14</script>')}`);

		// A payload user's own pages show their name in the header.
		const other = await openPage(browser, DESKTOP);
		other.on('dialog', async (d) => {
			dialogs.push(`${d.type()}: ${d.message()}`);
			await d.dismiss();
		});
		const pw = (await server.addUser('xss-self', PAYLOADS[2], 'meelezer'));
		await other.goto(`${server.url}/login`);
		await other.getByLabel('Gebruikersnaam').fill('xss-self');
		await other.getByLabel('Wachtwoord').fill(pw);
		await other.getByRole('main').getByRole('button', { name: 'Inloggen' }).click();
		await other.getByLabel('Huidig wachtwoord').waitFor();
		const marker = await other.evaluate(() => window.__xss);
		assert.equal(marker, undefined);
		assertNoProblems(other);
		await other.context().close();

		assert.deepEqual(dialogs, [], `dialogs opened:\n${dialogs.join('\n')}`);
		await page.context().close();
	});

	test('payloads in every text of an interview script stay text', async () => {
		const page = await openPage(browser, DESKTOP);
		const dialogs = [];
		page.on('dialog', async (d) => {
			dialogs.push(`${d.type()}: ${d.message()} on ${page.url()}`);
			await d.dismiss();
		});
		const t = (i) => ({ nl: PAYLOADS[i % PAYLOADS.length], en: PAYLOADS[(i + 1) % PAYLOADS.length] });
		const script = (key) => ({
			format: 'vertelpunt-script/1',
			key,
			title: t(0),
			introduction: t(1),
			privacy: t(2),
			thanks: t(3),
			sections: [{
				id: 's1',
				title: t(4),
				questions: [
					{ id: 'v', type: 'story', text: t(5), help: t(6), prompts: [{ id: 'p1', text: t(7) }, { id: 'p2', text: t(8) }] },
					{ id: 'c', type: 'choice', text: t(9), options: [{ id: 'a', label: t(0) }, { id: 'b', label: t(1) }], other: t(2) },
					{ id: 'm', type: 'multi', text: t(3), options: [{ id: 'a', label: t(4) }, { id: 'b', label: t(5) }] },
					{ id: 'sc', type: 'scale', text: t(6), points: 5, low: t(7), high: t(8) },
					{ id: 'd', type: 'dyad', text: t(9), poles: [{ id: 'l', label: t(0) }, { id: 'r', label: t(1) }] },
					{ id: 'tr', type: 'triad', text: t(2), corners: [{ id: 'x', label: t(3) }, { id: 'y', label: t(4) }, { id: 'z', label: t(5) }] },
					{ id: 'st', type: 'stones', text: t(6), stones: [{ id: 'k', label: t(7) }], x: { label: t(8), low: t(9), high: t(0) }, y: { label: t(1), low: t(2), high: t(3) } },
				],
			}],
		});
		// Channel 1: the command line.
		const file = path.join(path.dirname(server.db), 'xss-script.json');
		await writeFile(file, JSON.stringify(script('xss-cli')));
		const imported = await cli(server.db, 'script', 'import', file);
		// Channel 2: the JSON API, as the administrator.
		await page.goto(`${server.url}/login`);
		await page.getByLabel('Gebruikersnaam').fill(server.adminUser);
		await page.getByLabel('Wachtwoord').fill(ADMIN_PASSWORD);
		await page.getByRole('main').getByRole('button', { name: 'Inloggen' }).click();
		await page.waitForLoadState('load');
		const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
		const created = await page.evaluate(async ([token, body]) => {
			const res = await fetch('/api/v1/scripts', {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token },
				body,
			});
			return [res.status, await res.json()];
		}, [me.csrf_token, JSON.stringify(script('xss-api'))]);
		assert.equal(created[0], 201);
		for (const id of [imported.id, created[1].id]) {
			await visit(page, '/vragenlijsten');
			await visit(page, `/vragenlijsten/${id}/versies/1`);
			for (const q of ['v', 'c', 'm', 'sc', 'd', 'tr', 'st'])
				await visit(page, `/vragenlijsten/${id}/versies/1/vragen/${q}`);
			await visit(page, `/vragenlijsten/${id}/versies/1/voorbeeld`);
			await visit(page, `/vragenlijsten/${id}/versies/1/voorbeeld/telefoon`);
		}
		// Shown as text: the title is in the list.
		await visit(page, '/vragenlijsten');
		assert.ok((await page.getByRole('main').textContent()).includes(PAYLOADS[0]), 'title not shown as text');
		assert.deepEqual(dialogs, [], `dialogs opened:\n${dialogs.join('\n')}`);
		await page.context().close();
	});

	test('payloads in trajectories, conversations and contact requests stay text', async () => {
		const page = await openPage(browser, DESKTOP);
		const dialogs = [];
		page.on('dialog', async (d) => {
			dialogs.push(`${d.type()}: ${d.message()} on ${page.url()}`);
			await d.dismiss();
		});
		// Channel 1: the command line.
		const traj = await cli(server.db, 'trajectory', 'add', '--title', PAYLOADS[0], '--question',
			PAYLOADS[1], '--scope', PAYLOADS[2], '--rationale', PAYLOADS[3], '--contact', PAYLOADS[4],
			'--target-group', PAYLOADS[5], '--publish');
		await cli(server.db, 'trajectory', 'assign', String(traj.id), server.adminUser, '--responsible');
		// Channel 2: a resident on the public page, without an account.
		const visitor = await openPage(browser, DESKTOP);
		visitor.on('dialog', async (d) => {
			dialogs.push(`${d.type()}: ${d.message()} on ${visitor.url()}`);
			await d.dismiss();
		});
		await visitor.goto(`${server.url}${traj.public_page}`);
		await visitor.locator('#name').fill(PAYLOADS[6]);
		await visitor.locator('#email').fill('xss@example.org');
		await visitor.locator('#message').fill(PAYLOADS[7]);
		await Promise.all([visitor.waitForNavigation(), visitor.locator('form[action$="/contact"] button[type=submit]').click()]);
		assert.equal(await visitor.evaluate(() => window.__xss), undefined);
		assertNoProblems(visitor);
		await visitor.context().close();
		// Channel 3: the staff's forms.
		await page.goto(`${server.url}/login`);
		await page.getByLabel('Gebruikersnaam').fill(server.adminUser);
		await page.getByLabel('Wachtwoord').fill(ADMIN_PASSWORD);
		await page.getByRole('main').getByRole('button', { name: 'Inloggen' }).click();
		await page.waitForLoadState('load');
		const base = `/trajecten/${traj.id}`;
		await page.goto(`${server.url}${base}`);
		await page.locator('#conversation-title').fill(PAYLOADS[8]);
		await Promise.all([page.waitForNavigation(), page.locator('form[action$="/gesprekken"] button[type=submit]').click()]);
		const conv = new URL(page.url()).pathname;
		await page.locator('details.vp-details summary').first().click();
		await page.locator('#name').fill(PAYLOADS[9]);
		await page.locator('#email').fill('xss2@example.org');
		await page.locator('#address').fill(PAYLOADS[0]);
		await Promise.all([page.waitForNavigation(), page.locator('form[action$="/personen"] button[type=submit]').click()]);
		await page.locator('#note-text').fill(PAYLOADS[1]);
		await Promise.all([page.waitForNavigation(), page.locator('form:has(input[name=action][value=note]) button[type=submit]').click()]);
		const d = new Date(Date.now() + 3 * 86400000);
		const pad = (n) => String(n).padStart(2, '0');
		await page.locator('#starts').fill(`${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T10:00`);
		await page.locator('#place_kind').selectOption('other');
		await page.locator('#place').fill(PAYLOADS[2]);
		await Promise.all([page.waitForNavigation(), page.locator('form[action$="/afspraak"] button[type=submit]').click()]);
		await Promise.all([page.waitForNavigation(), page.locator('form:has(input[name=action][value=held]) button[type=submit]').click()]);
		await page.locator('details.vp-details summary').last().click();
		await page.locator('#point-text').fill(PAYLOADS[3]);
		await page.locator('#theme').fill(PAYLOADS[4]);
		await Promise.all([page.waitForNavigation(), page.locator('form:has(input[name=action][value=point]) button[type=submit]').click()]);
		for (const p of ['/trajecten', base, `${base}/bewerken`, `${base}/contact`, conv, '/gesprekken',
			traj.public_page])
			await visit(page, p);
		// Shown as text: the title in the list, the message on its page.
		await visit(page, '/trajecten');
		assert.ok((await page.getByRole('main').textContent()).includes(PAYLOADS[0]), 'title not shown as text');
		await visit(page, `${base}/contact`);
		assert.ok((await page.getByRole('main').textContent()).includes(PAYLOADS[7]), 'message not shown as text');
		assert.deepEqual(dialogs, [], `dialogs opened:\n${dialogs.join('\n')}`);
		await page.context().close();
	});
});
