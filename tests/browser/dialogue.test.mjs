// dialogue.test.mjs: dialogue tables in the browser. The official plans a
// session; residents register on a phone (390x844), one of them too late
// for the room so on the waiting list; the official places everyone at
// tables and puts a facilitator at one; the facilitator runs the session
// from a tablet: taps who speaks (the time runs on by itself), stops,
// writes a proposal, and is refused at another table; the official merges
// the proposals into agreements, saves a second version, looks at what
// changed and presents them to the council, after which they are on the
// public page. axe-core (WCAG 2.1 A/AA) on every page.
//
// Elements are found by ids, names and form actions, so the test holds in
// Dutch and English.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE_390, cli, launchBrowser, login, openPage, pageOk, sql, startServer } from './harness.mjs';

const PASSWORD = 'een lange zin als wachtwoord';
const TABLET = { viewport: { width: 1024, height: 768 }, hasTouch: true };

let browser;
let server;
let anna;
let bea;
let traj;
before(async () => {
	[browser, server] = await Promise.all([launchBrowser(), startServer()]);
	anna = { password: await server.addUser('anna', 'Anna Ambtenaar', 'gespreksvoerder') };
	bea = { password: await server.addUser('bea', 'Bea Begeleider', 'procesbegeleider') };
	traj = await cli(server.db, 'trajectory', 'add', '--title', 'Samen beslissen', '--publish', '--contact', 'Bel 14 020.');
	const [a] = await sql(server.db, "SELECT id FROM users WHERE username = 'anna'");
	const [b] = await sql(server.db, "SELECT id FROM users WHERE username = 'bea'");
	anna.id = a.id;
	bea.id = b.id;
	await sql(
		server.db,
		`INSERT INTO trajectory_staff (trajectory_id, user_id, responsible) VALUES (${traj.id}, ${a.id}, 1), (${traj.id}, ${b.id}, 0)`,
		{ readonly: false },
	);
});
after(async () => {
	await browser?.close();
	await server?.stop();
});

async function submit(page, selector) {
	await Promise.all([page.waitForNavigation(), page.locator(selector).click()]);
}

/** A resident registers on a phone; returns the thank-you page. */
async function register(name, email, district, age) {
	const phone = await openPage(browser, PHONE_390);
	await phone.goto(`${server.url}/meedoen/${traj.slug}/dialoog`);
	await phone.locator('#name').fill(name);
	await phone.locator('#email').fill(email);
	await phone.locator('#contribution').fill('Ik wil graag meedenken.');
	await phone.locator('#district').fill(district);
	await phone.locator('#age_band').selectOption(age);
	await submit(phone, 'form[action$="/dialoog"] button[type=submit]');
	return phone;
}

test('a dialogue session from planning to agreements on the public page', async () => {
	const page = await openPage(browser, DESKTOP);
	await login(page, server.url, 'anna', anna.password, PASSWORD);
	const series = `${server.url}/trajecten/${traj.id}/dialoog`;

	// The official plans a session with room for two.
	await page.goto(series);
	await pageOk(page, 'dialogue tables, none yet');
	await page.locator('#title').fill('Eerste gesprek');
	await page.locator('#starts').fill('2030-05-01T19:00');
	await page.locator('#minutes').fill('120');
	await page.locator('#online_url').fill('https://meet.example/dialoog');
	await page.locator('#closes').fill('2030-04-30T12:00');
	await page.locator('#capacity').fill('2');
	await page.locator('#agenda').fill('Welkom\nRonde over samenwerken\nVoorstellen');
	await submit(page, `form[action="/trajecten/${traj.id}/dialoog"] button[type=submit]`);
	assert.match(page.url(), /\/dialoog\/sessies\/\d+/);
	const sessionUrl = page.url().replace(/[?#].*$/, '');
	await pageOk(page, 'session, nobody yet');

	// A resident on a phone: the public page links to the form.
	const phone = await openPage(browser, PHONE_390);
	await phone.goto(`${server.url}/meedoen/${traj.slug}`);
	await pageOk(phone, 'public page with the dialogue tables (phone)');
	await submit(phone, `a[href="/meedoen/${traj.slug}/dialoog"]`);
	await pageOk(phone, 'registration form (phone)');
	// A phone number that is none, and no e-mail address: refused by the
	// server, what was typed kept.
	await phone.locator('#name').fill('Ada Noord');
	await phone.locator('#phone').fill('bel me maar');
	await phone.locator('#contribution').fill('Ik woon al dertig jaar in Noord.');
	await submit(phone, 'form[action$="/dialoog"] button[type=submit]');
	assert.equal(await phone.locator('.utrecht-alert--error').count(), 1);
	assert.equal(await phone.locator('#contribution').inputValue(), 'Ik woon al dertig jaar in Noord.');
	await pageOk(phone, 'registration refused (phone)');
	await phone.locator('#phone').fill('');
	await phone.locator('#email').fill('ada@example.org');
	await phone.locator('#district').fill('Noord');
	await phone.locator('#age_band').selectOption('65-79');
	await phone.locator('#needs_help').check();
	await submit(phone, 'form[action$="/dialoog"] button[type=submit]');
	assert.equal(await phone.locator('h1').count(), 1);
	await pageOk(phone, 'registered (phone)');

	const bob = await register('Bob Zuid', 'bob@example.org', 'Zuid', '30-44');
	await pageOk(bob, 'registered, second (phone)');
	const cas = await register('Cas Oost', 'cas@example.org', 'Oost', '18-29');
	await pageOk(cas, 'on the waiting list (phone)');
	const rows = await sql(server.db, 'SELECT status, needs_help FROM dialogue_registrations ORDER BY id');
	assert.deepEqual(rows.map((r) => r.status), ['registered', 'registered', 'waiting']);
	assert.equal(rows[0].needs_help, 1);

	// The official places everyone and puts bea at Ada's table.
	await page.goto(sessionUrl);
	await pageOk(page, 'session with registrations');
	await submit(page, 'form[action$="/indelen"] button[type=submit]');
	await pageOk(page, 'session, placed');
	const [ada] = await sql(server.db, "SELECT id, table_id FROM dialogue_registrations ORDER BY id LIMIT 1");
	assert.ok(ada.table_id > 0);
	const addForm = page.locator(`form[action="/trajecten/${traj.id}/dialoog/tafels/${ada.table_id}/begeleiders"]`).last();
	await addForm.locator('select').selectOption(String(bea.id));
	await Promise.all([page.waitForNavigation(), addForm.locator('button[type=submit]').click()]);
	await pageOk(page, 'session, facilitator added');

	// The facilitator on a tablet.
	const tablet = await openPage(browser, TABLET);
	await login(tablet, server.url, 'bea', bea.password, PASSWORD);
	const tableUrl = `${server.url}/trajecten/${traj.id}/dialoog/tafels/${ada.table_id}`;
	await tablet.goto(tableUrl);
	await pageOk(tablet, 'table view (tablet)');
	const adaButton = tablet.locator(`.vp-speaker form:has(input[name=speaker][value="${ada.id}"]) button`);
	await Promise.all([tablet.waitForNavigation(), adaButton.click()]);
	assert.equal(await adaButton.getAttribute('aria-pressed'), 'true');
	// The live timer runs on in the browser.
	const time = tablet.locator('.vp-speaker__time[data-since]');
	const first = await time.textContent();
	await tablet.waitForTimeout(2200);
	assert.notEqual(await time.textContent(), first);
	await pageOk(tablet, 'table view, someone speaking (tablet)');
	await submit(tablet, 'form:has(input[name=speaker][value="0"]) button[type=submit]');
	assert.equal(await adaButton.getAttribute('aria-pressed'), 'false');
	const turns = await sql(server.db, 'SELECT count(*) AS n FROM dialogue_turns WHERE stopped_at IS NOT NULL');
	assert.equal(turns[0].n, 1);
	await tablet.locator('#kind').selectOption('proposal');
	await tablet.locator('#body').fill('De gemeente zegt vooraf wat er met de inbreng gebeurt.');
	await submit(tablet, 'form[action$="/notities"] button[type=submit]');
	await pageOk(tablet, 'table view with a proposal (tablet)');
	// Another table: refused, with the reason.
	const [other] = await sql(server.db, `SELECT min(id) AS id FROM dialogue_tables WHERE id <> ${ada.table_id}`);
	const refused = await tablet.goto(`${server.url}/trajecten/${traj.id}/dialoog/tafels/${other.id}`);
	assert.equal(refused.status(), 403);
	assert.equal(await tablet.locator('.utrecht-alert--error').count(), 1);
	await pageOk(tablet, 'another table refused (tablet)');

	// Agreements: two versions, what changed, presented to the council.
	await page.goto(`${series}/afspraken`);
	await pageOk(page, 'agreements, none yet');
	await page.locator('#agreement-1').fill('We zeggen vooraf wat er met uw inbreng gebeurt.');
	await page.locator(`#source-1-${ada.table_id}`).check();
	await page.locator('#agreement-2').fill('We koppelen binnen een maand terug.');
	await submit(page, 'form[action$="/afspraken"] button[type=submit]');
	await page.locator('#agreement-2').fill('We koppelen binnen zes weken terug.');
	await submit(page, 'form[action$="/afspraken"] button[type=submit]');
	await pageOk(page, 'agreements, version 2');
	await submit(page, 'a[href$="van=1&naar=2#verschil"]');
	assert.equal(await page.locator('.vp-diff__add').count(), 1);
	assert.equal(await page.locator('.vp-diff__del').count(), 1);
	await pageOk(page, 'agreements, what changed');
	await page.locator('#status').selectOption('presented');
	await submit(page, 'form[action$="/afspraken/status"] button[type=submit]');
	await pageOk(page, 'agreements, presented');

	await phone.goto(`${server.url}/meedoen/${traj.slug}`);
	assert.equal(await phone.locator('.vp-agreements li').count(), 2);
	await pageOk(phone, 'public page with the agreements (phone)');
});
