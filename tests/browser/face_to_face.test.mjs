// face_to_face.test.mjs: a conversation lead takes a story with a client
// (/verzamelingen/{id}/opnemen, src/web/page_story.c): from the collection
// page, the channel and the client's participant code, consent, the
// client's steps, then the professional's own (clearly marked), check and
// send. Both perspectives are stored apart (checked in the database), with
// the participant and the staff member; a second story of the same client
// does not ask the age band again (a participant descriptor) and carries it.
// An unknown participant code gets a clear error. axe-core (WCAG 2.1 A/AA)
// on every page, on a desktop and on a phone (390x844).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
	DESKTOP,
	PHONE_390,
	cli,
	launchBrowser,
	login as loginAs,
	openPage,
	pageOk,
	publishCollection,
	sql,
	startServer,
} from './harness.mjs';

const SCRIPT = {
	format: 'vertelpunt-script/1',
	key: 'keukentafel',
	title: { nl: 'Keukentafelgesprek' },
	privacy: { nl: 'Alleen het Wmo-team leest dit verhaal.' },
	sections: [
		{
			id: 's1',
			title: { nl: 'Het verhaal' },
			questions: [
				{
					id: 'verhaal',
					type: 'story',
					text: { nl: 'Vertel over uw dag' },
					required: true,
					prompts: [{ id: 'p1', text: { nl: 'Wat gebeurde er?' } }],
				},
			],
		},
		{
			id: 's2',
			title: { nl: 'Over de cliënt' },
			questions: [
				{
					id: 'leeftijd',
					type: 'choice',
					once_per_person: true,
					required: true,
					text: { nl: 'Leeftijd' },
					options: [
						{ id: 'jong', label: { nl: 'Jonger dan 65' } },
						{ id: 'oud', label: { nl: '65 of ouder' } },
					],
				},
				{
					id: 'hulp',
					type: 'choice',
					text: { nl: 'Wie helpt er?' },
					options: [
						{ id: 'familie', label: { nl: 'Familie' } },
						{ id: 'niemand', label: { nl: 'Niemand' } },
					],
				},
			],
		},
		{
			id: 's3',
			title: { nl: 'Uw oordeel' },
			questions: [
				{
					id: 'zelfstandig',
					type: 'scale',
					perspective: 'professional',
					required: true,
					text: { nl: 'Hoe zelfstandig is de cliënt?' },
					points: 5,
					low: { nl: 'Weinig' },
					high: { nl: 'Veel' },
				},
			],
		},
	],
};

let server, browser, collId, code;
const PASSWORD = 'een lang wachtwoord voor gesprekken';

before(async () => {
	server = await startServer();
	browser = await launchBrowser();
	const coll = await publishCollection(server, SCRIPT, 'Keukentafel Noord', 'Leren van cliënten');
	collId = coll.id;
	const p = await cli(server.db, 'participant', 'add');
	code = p.code;
	assert.match(code, /^VP-/);
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

let loggedIn = false;
async function login(page) {
	await loginAs(page, server.url, server.adminUser, loggedIn ? PASSWORD : server.adminPassword, loggedIn ? undefined : PASSWORD);
	loggedIn = true;
}

/** From the collection page to the start of a story with a client. */
async function open(page) {
	await page.goto(`${server.url}/verzamelingen/${collId}`);
	await Promise.all([page.waitForNavigation(), page.locator('a.vp-coll-take').click()]);
	assert.match(page.url(), /\/opnemen$/);
}

async function next(page, step) {
	await Promise.all([page.waitForURL(`**/opnemen/stap/${step}`), page.locator('button[value=next]').click()]);
}

test('both perspectives, stored apart, with the participant (desktop)', async () => {
	const page = await openPage(browser, DESKTOP);
	try {
		await login(page);
		await open(page);
		await page.getByText('Alleen het Wmo-team leest dit verhaal.').waitFor();
		await pageOk(page, 'take a story: start');

		// An unknown code: a clear error, linked from the summary.
		await page.locator('label[for=kanaal-2]').click();
		await page.locator('#participant').fill('VP-ZZZZ-ZZZZ');
		await page.locator('label[for=consent]').click();
		await page.locator('main form button[type=submit]').click();
		await page.locator('.vp-error-summary a[href="#participant"]').waitFor();
		assert.equal(await page.locator('#participant').getAttribute('aria-invalid'), 'true');
		assert.equal(await page.locator('#kanaal-2').isChecked(), true);
		await pageOk(page, 'take a story: unknown code');

		await page.locator('#participant').fill(code.toLowerCase());
		await page.locator('label[for=consent]').click();
		await Promise.all([page.waitForURL('**/opnemen/stap/1'), page.locator('main form button[type=submit]').click()]);
		assert.equal(await page.locator('.vp-perspective--professional').count(), 0);
		await pageOk(page, 'take a story: the client\'s step 1');
		await page.locator('textarea#a-verhaal').fill('Mevrouw vertelt over de boodschappen.');
		await next(page, 2);
		await page.locator('#q-leeftijd label.utrecht-form-label--radio').nth(1).click();
		await page.locator('#q-hulp label.utrecht-form-label--radio').nth(0).click();
		await next(page, 3);
		// The professional's own step, marked before its questions.
		await page.locator('.vp-perspective--professional').waitFor();
		await pageOk(page, 'take a story: the professional\'s step');
		await page.locator('#q-zelfstandig label').nth(1).click();
		await next(page, 4);
		await page.locator('.vp-professional').waitFor();
		assert.equal(await page.locator('#email').count(), 0);
		await pageOk(page, 'take a story: check');
		await page.locator('form[action$="/opnemen/versturen"] button[type=submit]').click();
		await page.locator('#ontvangstcode').waitFor();
		assert.equal((await page.locator('#deelnemer').textContent()).trim(), code);
		await pageOk(page, 'take a story: stored');

		const [row] = await sql(
			server.db,
			"SELECT s.channel, s.answers, s.professional, u.username, p.code FROM stories s " +
				'JOIN participants p ON p.id = s.participant_id JOIN users u ON u.id = s.created_by ' +
				'ORDER BY s.id DESC LIMIT 1',
		);
		assert.equal(row.channel, 'phone');
		assert.equal(row.username, server.adminUser);
		assert.equal(row.code, code);
		const answers = JSON.parse(row.answers);
		const professional = JSON.parse(row.professional);
		assert.equal(answers.leeftijd, 'oud');
		assert.equal(answers.hulp, 'familie');
		assert.match(answers.verhaal.text, /boodschappen/);
		assert.equal(answers.zelfstandig, undefined, 'the professional\'s answer is not among the client\'s');
		assert.deepEqual(Object.keys(professional), ['zelfstandig']);
		const log = await sql(server.db, "SELECT action, object_type, subject_code FROM audit_log WHERE object_type IN ('story', 'story_draft') ORDER BY id");
		assert.deepEqual(
			log.map((l) => `${l.action} ${l.object_type} ${l.subject_code}`),
			[`create story_draft ${code}`, `create story ${code}`],
		);
	} finally {
		await page.context().close();
	}
});

test('the same client again, face to face on a phone: the age band is carried', async () => {
	const page = await openPage(browser, PHONE_390);
	try {
		await login(page);
		await open(page);
		assert.equal(await page.locator('#kanaal-1').isChecked(), true);
		await page.locator('#participant').fill(code);
		await page.locator('label[for=consent]').tap();
		await Promise.all([page.waitForURL('**/opnemen/stap/1'), page.locator('main form button[type=submit]').tap()]);
		await page.locator('textarea#a-verhaal').fill('Een tweede gesprek.');
		await next(page, 2);
		assert.equal(await page.locator('#q-leeftijd').count(), 0, 'asked once per person');
		await pageOk(page, 'take a story again: step 2 (phone)');
		await next(page, 3);
		await page.locator('#q-zelfstandig label').nth(3).tap();
		await next(page, 4);
		await pageOk(page, 'take a story again: check (phone)');
		await page.locator('form[action$="/opnemen/versturen"] button[type=submit]').tap();
		await page.locator('#ontvangstcode').waitFor();
		await pageOk(page, 'take a story again: stored (phone)');
		const [row] = await sql(server.db, 'SELECT channel, answers, professional FROM stories ORDER BY id DESC LIMIT 1');
		assert.equal(row.channel, 'face-to-face');
		assert.equal(JSON.parse(row.answers).leeftijd, 'oud');
		assert.deepEqual(JSON.parse(row.professional), { zelfstandig: 4 });
	} finally {
		await page.context().close();
	}
});
