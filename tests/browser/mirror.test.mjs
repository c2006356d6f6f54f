// mirror.test.mjs: a mirror conversation from the panel to the report, and
// a citizen initiative from the idea to realised, in
// the browser. An official prepares a trajectory, makes a mirror
// conversation with its independent facilitator, adds a listening official
// and a panel, invites the panel by letter, sets the date, marks the talk
// held, notes the rounds, records two proposals with their team, decides
// them (one not adopted, with its reason), records the follow-up, and
// sends the report (by e-mail to who has an address, a letter for the
// other). The panel waits on /gesprekken until the report went out.
// axe-core (WCAG 2.1 A/AA) on every page, desktop and phone.
//
// Elements are found by ids, names and form actions, so the test holds in
// Dutch and English.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE_390, launchBrowser, login, openPage, pageOk, startServer } from './harness.mjs';

const PASSWORD = 'een lange zin als wachtwoord';

let browser;
let server;
let annaPassword;
before(async () => {
	[browser, server] = await Promise.all([launchBrowser(), startServer()]);
	annaPassword = await server.addUser('anna', 'Anna Spiegel', 'gespreksvoerder');
});
after(async () => {
	await browser?.close();
	await server?.stop();
});

/** A datetime-local value days from now at 14:00. */
function inDays(days) {
	const d = new Date(Date.now() + days * 86400000);
	const pad = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T14:00`;
}

async function submit(page, action, extra = '') {
	await Promise.all([page.waitForNavigation(), page.locator(`form[action$="${action}"]${extra} button[type=submit]`).first().click()]);
}

/** The form of a mirror change with this action. */
function mirrorForm(page, action) {
	return page.locator(`form[action$="/spiegel"]:has(input[name=action][value=${action}])`);
}

async function send(form, page) {
	await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').last().click()]);
}

test('a mirror conversation from the panel to the report', async () => {
	const page = await openPage(browser, DESKTOP);
	await login(page, server.url, 'anna', annaPassword, PASSWORD);

	// A trajectory ready for invitations.
	await page.goto(`${server.url}/trajecten`);
	await page.locator('#title').fill('Het Wmo-loket');
	await submit(page, '/trajecten');
	const trajectory = new URL(page.url()).pathname;
	await page.goto(`${server.url}${trajectory}/bewerken`);
	await page.locator('#scope').fill('Over de dienstverlening van het loket. De wet ligt vast.');
	await page.locator('#selection_rationale').fill('U kreeg het afgelopen jaar hulp.');
	await page.locator('#contact_route').fill('Bel 14 020.');
	await submit(page, '/bewerken');

	// From the trajectory to its mirror conversations; one without a
	// facilitator is refused, what was typed stays.
	await page.locator(`a[href="${trajectory}/spiegelgesprekken"]`).click();
	await page.waitForURL(/\/spiegelgesprekken$/);
	await pageOk(page, 'mirror conversations, none yet');
	await page.locator('#mirror-title').fill('Spiegelgesprek loket');
	await submit(page, '/spiegelgesprekken');
	assert.equal(await page.locator('.utrecht-alert--error').count(), 1);
	assert.equal(await page.locator('#mirror-title').inputValue(), 'Spiegelgesprek loket');
	await pageOk(page, 'mirror conversation refused');
	await page.locator('#facilitator').fill('Fatima Leider');
	await page.locator('#facilitator-org').fill('Bureau Onafhankelijk');
	await submit(page, '/spiegelgesprekken');
	const conv = new URL(page.url()).pathname;
	assert.match(conv, /\/spiegelgesprekken\/\d+$/);
	await pageOk(page, 'mirror conversation, new');

	// A listening official, and the panel.
	await page.locator('#gespreksleider ~ details summary').first().click();
	await page.locator('#observer-name').fill('Piet Ambtenaar');
	await page.locator('#observer-team').fill('Team Wmo');
	await send(mirrorForm(page, 'observer'), page);
	assert.match(await page.locator('main').innerText(), /Piet Ambtenaar/);
	for (const [name, email, address] of [
		['Els Panel', 'els@example.org', ''],
		['Henk Panel', '', 'Dorpsstraat 1, 1234 AB Dorp'],
	]) {
		await page.locator('#mensen ~ details summary').first().click();
		await page.locator('#name').fill(name);
		if (email) await page.locator('#email').fill(email);
		if (address) await page.locator('#address').fill(address);
		await submit(page, '/personen');
	}
	assert.match(await page.locator('#invitation-text').inputValue(), /spiegelgesprek/);
	await pageOk(page, 'mirror conversation with its panel');
	await page.locator('#channel').selectOption('letter');
	await submit(page, '/uitnodigen');
	assert.equal(await page.locator('.vp-letter').count(), 2);
	await pageOk(page, 'invitations to print');

	// The date, the talk, a note per round.
	await page.goto(`${server.url}${conv}`);
	await page.locator('#starts').fill(inDays(5));
	await page.locator('#place_kind').selectOption('town_hall');
	await submit(page, '/afspraak');
	await submit(page, '/verloop', ':has(input[name=action][value=held])');
	await page.locator('#note-experiences').fill('Het loket is slecht bereikbaar.');
	await send(mirrorForm(page, 'round_note').first(), page);
	await page.locator('#note-questions').fill('Piet vroeg wat een goede terugbeltijd is.');
	await send(mirrorForm(page, 'round_note').nth(2), page);
	await pageOk(page, 'mirror conversation, rounds noted');

	// Two proposals with their team.
	for (const [text, team] of [
		['Bel binnen twee dagen terug', 'Team Wmo'],
		['Gratis taxi naar het loket', 'Team Vervoer'],
	]) {
		await page.locator('#voorstellen ~ details summary').last().click();
		await page.locator('#proposal-text').fill(text);
		await page.locator('#team').fill(team);
		await send(mirrorForm(page, 'proposal'), page);
	}
	await pageOk(page, 'mirror conversation with proposals');

	// Not adopted needs its reason.
	let verdict = mirrorForm(page, 'verdict').nth(1);
	await page.locator('#voorstellen ~ section details summary').nth(1).click();
	await verdict.locator('select').selectOption('not_adopted');
	await send(verdict, page);
	assert.equal(await page.locator('.utrecht-alert--error').count(), 1);
	await pageOk(page, 'not adopted without reason');
	verdict = mirrorForm(page, 'verdict').nth(1);
	await page.locator('#voorstellen ~ section details summary').nth(1).click();
	await verdict.locator('select').selectOption('not_adopted');
	await verdict.locator('input[type=text]').fill('de Regiotaxi rijdt al');
	await send(verdict, page);
	verdict = mirrorForm(page, 'verdict').first();
	await page.locator('#voorstellen ~ section details summary').first().click();
	await verdict.locator('select').selectOption('adopted');
	await send(verdict, page);
	// The follow-up of the adopted one.
	await page.locator('#voorstellen ~ section').first().locator('details summary').nth(1).click();
	const follow = mirrorForm(page, 'follow_up');
	assert.equal(await follow.count(), 1);
	await follow.locator('select').selectOption('done');
	await follow.locator('input[type=date]').fill('2026-05-01');
	await send(follow, page);
	await pageOk(page, 'proposals decided');

	// The panel waits for the report.
	await page.goto(`${server.url}/gesprekken`);
	assert.match(await page.locator('main').innerText(), /Spiegelgesprek loket/);
	await pageOk(page, 'open loops');

	// The report: drafted from the proposals, sent and recorded.
	await page.goto(`${server.url}${conv}`);
	const report = await page.locator('#report').inputValue();
	assert.match(report, /Bel binnen twee dagen terug/);
	assert.match(report, /omdat de Regiotaxi rijdt al/);
	await send(mirrorForm(page, 'report_sent'), page);
	assert.equal(await page.locator('.vp-letter').count(), 1);
	assert.match(await page.locator('.vp-letter').innerText(), /Henk Panel/);
	await pageOk(page, 'report letters to print');
	await page.goto(`${server.url}${conv}`);
	assert.equal(await mirrorForm(page, 'report_sent').count(), 0);
	await pageOk(page, 'report sent');

	// On a phone, the page reads too.
	const phone = await openPage(browser, PHONE_390);
	await login(phone, server.url, 'anna', PASSWORD);
	await phone.goto(`${server.url}${conv}`);
	await pageOk(phone, 'mirror conversation (phone)');
});

test('a citizen initiative from the idea to realised', async () => {
	const page = await openPage(browser, DESKTOP);
	await login(page, server.url, 'anna', PASSWORD);

	// The view over all, from the navigation.
	await page.locator('nav a[href="/initiatieven"]').first().click();
	await page.waitForURL(/\/initiatieven$/);
	await pageOk(page, 'initiatives, none yet');
	// The intake: without the idea it is refused, and nothing typed is lost.
	await page.locator('#initiative-title').fill('Moestuin Molenwijk');
	await page.locator('#neighbourhood').fill('Molenwijk');
	await submit(page, '/initiatieven');
	assert.equal(await page.locator('.utrecht-alert--error').count(), 1);
	assert.equal(await page.locator('#neighbourhood').inputValue(), 'Molenwijk');
	await pageOk(page, 'intake refused');
	await page.locator('#idea').fill('Een moestuin op het braakliggende veldje.');
	await page.locator('#ask').fill('Grond en een waterpunt.');
	await submit(page, '/initiatieven');
	const initiative = new URL(page.url()).pathname;
	assert.match(initiative, /\/initiatieven\/\d+$/);
	await pageOk(page, 'initiative, new');

	// An initiator.
	await page.locator('#initiatiefnemers ~ details summary').first().click();
	await page.locator('#name').fill('Wim Tuin');
	await page.locator('#email').fill('wim@example.org');
	await submit(page, '/initiatiefnemers');
	assert.match(await page.locator('main').innerText(), /wim@example\.org/);

	// Stopping without a reason is refused.
	await page.locator('#to').selectOption('stopped');
	await submit(page, '/status');
	assert.equal(await page.locator('.utrecht-alert--error').count(), 1);
	await pageOk(page, 'stopped without reason');

	// The first conversation with the checklist.
	await page.goto(`${server.url}${initiative}`);
	await page.locator('#talk-on').fill('2026-03-01');
	await page.locator('#done-q-zelf').check();
	await page.locator('#answer-q-zelf').fill('Zij doen het tuinwerk.');
	await page.locator('#done-q-lastig').check();
	await page.locator('#outcome').fill('We beginnen in maart.');
	await page.locator('#roles').fill('Bewoners tuinieren, de gemeente regelt de grond.');
	await page.locator('#next-steps').fill('Offerte voor het waterpunt.');
	await submit(page, '/gesprek');
	assert.equal(await page.locator('#done-q-zelf').isChecked(), true);
	await pageOk(page, 'first conversation recorded');

	// Collaboration, then realised.
	for (const to of ['collaboration', 'realised']) {
		await page.locator('#to').selectOption(to);
		await submit(page, '/status');
		assert.equal(await page.locator('.utrecht-alert--ok').count(), 1);
	}
	assert.equal(await page.locator('form[action$="/status"]').count(), 0);
	assert.equal(await page.locator('#status ~ ol li').count(), 4);
	await pageOk(page, 'initiative realised');

	// The view over all: the counts and the success factors.
	await page.goto(`${server.url}/initiatieven`);
	assert.match(await page.locator('main').innerText(), /Moestuin Molenwijk/);
	assert.equal(await page.locator('#succesfactoren + p + .vp-table-wrap table').count(), 1);
	await pageOk(page, 'initiatives with success factors');
	const phone = await openPage(browser, PHONE_390);
	await login(phone, server.url, 'anna', PASSWORD);
	await phone.goto(`${server.url}${initiative}`);
	await pageOk(phone, 'initiative (phone)');
	await phone.goto(`${server.url}/initiatieven`);
	await pageOk(phone, 'initiatives (phone)');
});
