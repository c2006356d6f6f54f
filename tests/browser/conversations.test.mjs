// conversations.test.mjs: a kitchen-table conversation from start to the
// closed loop, in the browser. A conversation lead prepares a trajectory,
// with its plan, makes a conversation, adds two people, invites them by letter, one
// accepts through her personal link on a phone; the lead sets the
// appointment, marks the talk held, notes two points and decides them,
// puts a note with a pin on the plan,
// sends feedback and closes the conversation. axe-core (WCAG 2.1 A/AA) on
// every page, desktop and phone.
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
	annaPassword = await server.addUser('anna', 'Anna Gesprek', 'gespreksvoerder');
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

test('a kitchen-table conversation from the invitation to the closed loop', async () => {
	const page = await openPage(browser, DESKTOP);
	await login(page, server.url, 'anna', annaPassword, PASSWORD);

	// A trajectory ready for invitations.
	await page.goto(`${server.url}/trajecten`);
	await page.locator('#title').fill('Het Dorpsplein');
	await submit(page, '/trajecten');
	const trajectory = new URL(page.url()).pathname;
	await page.goto(`${server.url}${trajectory}/bewerken`);
	await page.locator('#scope').fill('Over de bomen en banken beslist u mee. De weg ligt vast.');
	await page.locator('#selection_rationale').fill('U woont aan het plein.');
	await page.locator('#contact_route').fill('Bel 14 020.');
	// The plan of the square, to point at during the talk.
	await page.locator('#material-file').setInputFiles(new URL('../../templates/voorbeeldkaart.png', import.meta.url).pathname);
	await page.locator('#material_alt').fill('Kaart van het plein met de bomen en de banken.');
	await submit(page, '/bewerken');
	assert.equal(await page.locator('img.vp-material').count(), 1);

	// A conversation with two people.
	await page.locator('#conversation-title').fill('Keukentafel Dorpsstraat');
	await submit(page, '/gesprekken');
	const conv = new URL(page.url()).pathname;
	assert.match(conv, /\/gesprekken\/\d+$/);
	await pageOk(page, 'conversation, new');
	for (const [name, email] of [['Ria Plein', 'ria@example.org'], ['Piet Plein', 'piet@example.org']]) {
		await page.locator('details.vp-details summary').first().click();
		await page.locator('#name').fill(name);
		await page.locator('#email').fill(email);
		await submit(page, '/personen');
	}
	assert.equal(await page.locator('#mensen + ul li').count(), 2);
	// The invitation text starts as a draft made from the trajectory.
	assert.match(await page.locator('#invitation-text').inputValue(), /Het Dorpsplein/);
	await pageOk(page, 'conversation with people');

	// Letters: one personal link each, shown once.
	await page.locator('#channel').selectOption('letter');
	await submit(page, '/uitnodigen');
	const links = await page.locator('.vp-letter .vp-link-text').allInnerTexts();
	assert.equal(links.length, 2);
	await pageOk(page, 'letters to print');

	// Ria answers on her phone.
	const phone = await openPage(browser, PHONE_390);
	await phone.goto(links[0]);
	await pageOk(phone, 'personal link (phone)');
	await phone.locator('#r-accepted').check();
	await submit(phone, new URL(links[0]).pathname);
	assert.equal(await phone.locator('.utrecht-alert--ok').count(), 1);
	await pageOk(phone, 'personal link, answered (phone)');

	// The appointment, the talk, its points and decisions.
	await page.goto(`${server.url}${conv}`);
	await page.locator('#starts').fill(inDays(3));
	await page.locator('#place_kind').selectOption('town_hall');
	await submit(page, '/afspraak');
	assert.equal(await page.locator('.utrecht-alert--ok').count(), 1);
	await submit(page, '/verloop', ':has(input[name=action][value=held])');
	for (const point of ['Meer bankjes in de schaduw', 'Een rotonde op de hoek']) {
		await page.locator('details.vp-details summary').last().click();
		await page.locator('#point-text').fill(point);
		await submit(page, '/verloop', ':has(input[name=action][value=point])');
	}
	await pageOk(page, 'conversation with points');
	// A note with a pin on the plan: where she wants the bench.
	const area = page.locator('.vp-note-pin [data-vp-area]');
	await area.scrollIntoViewIfNeeded();
	const box = await area.boundingBox();
	await page.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.5);
	assert.equal(await page.locator('#pin_x').inputValue(), '25');
	await page.locator('#note-text').fill('Hier wil ze het bankje.');
	await submit(page, '/verloop', ':has(input[name=action][value=note])');
	assert.equal(await page.locator('.vp-plan svg .vp-plan__pin').count(), 1);
	await pageOk(page, 'conversation with a pinned note');
	// The second point: not taken along, with its reason.
	const decide = page.locator('form:has(input[name=action][value=decide])');
	assert.equal(await decide.count(), 2);
	await decide.nth(1).locator('select').selectOption('not_taken');
	await decide.nth(1).locator('input[type=text]').fill('de weg ligt vast');
	await Promise.all([page.waitForNavigation(), decide.nth(1).locator('button[type=submit]').click()]);
	await Promise.all([page.waitForNavigation(), page.locator('form:has(input[name=action][value=decide]) button[type=submit]').first().click()]);
	assert.equal(await page.locator('form:has(input[name=action][value=decide])').count(), 0);

	// Feedback to each: the draft says what was done and why not.
	const feedback = page.locator('form:has(button[value=feedback_sent])');
	assert.equal(await feedback.count(), 2);
	assert.match(await feedback.first().locator('textarea').inputValue(), /de weg ligt vast/);
	await pageOk(page, 'feedback drafts');
	for (let i = 0; i < 2; i++)
		await Promise.all([page.waitForNavigation(), page.locator('form:has(button[value=feedback_sent]) button[value=feedback_sent]').first().click()]);
	assert.equal(await page.locator('form:has(button[value=feedback_sent])').count(), 0);

	// Nobody waits any more; the conversation closes.
	await page.goto(`${server.url}/gesprekken`);
	assert.match(await page.locator('main').innerText(), /Keukentafel Dorpsstraat/); // to close
	assert.equal(await page.locator('main table').count(), 0); // nobody waits
	await pageOk(page, 'conversations and open feedback');
	await page.goto(`${server.url}${conv}`);
	await submit(page, '/verloop', ':has(input[name=action][value=close])');
	assert.equal(await page.locator('form[action$="/verloop"]').count(), 0);
	await pageOk(page, 'conversation, closed');
});
