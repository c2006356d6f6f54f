// offline.test.mjs: the story form that works without a connection
// (/v/{token}/offline, src/web/page_story_offline.c, assets/offline.js and
// assets/sw.js): the network cut in the browser, two stories told, the
// connection back, both stored exactly once and the device's queue empty;
// a server that answers 500 first (the story is sent again); a story the
// server refuses stays on screen with its error; conditions (show_if) live
// in the browser, in this form and in the step form; axe-core at phone size.
//
// Texts are located by ids and data attributes, not by their words: the
// Dutch translations wait in po/pending/offline.json.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
	PHONE_390,
	assertNoHorizontalScroll,
	assertNoProblems,
	axeCheck,
	launchBrowser,
	openPage,
	publishCollection,
	sql,
	startServer,
} from './harness.mjs';

const SCRIPT = {
	format: 'vertelpunt-script/1',
	key: 'offline-buurt',
	title: { nl: 'Wonen in de buurt' },
	introduction: { nl: 'Wij willen weten hoe het is om in uw buurt te wonen.' },
	privacy: { nl: 'Alleen het buurtteam leest uw verhaal.' },
	thanks: { nl: 'Dank u wel. Wij lezen alle verhalen.' },
	sections: [
		{
			id: 's1',
			title: { nl: 'Uw verhaal' },
			questions: [
				{
					id: 'verhaal',
					type: 'story',
					text: { nl: 'Vertel over een moment in uw buurt' },
					required: true,
					prompts: [{ id: 'p1', text: { nl: 'Wat gebeurde er?' } }],
				},
			],
		},
		{
			id: 's2',
			title: { nl: 'Hoe was het?' },
			questions: [
				{
					id: 'gevoel',
					type: 'choice',
					text: { nl: 'Hoe voelde dat?' },
					options: [
						{ id: 'goed', label: { nl: 'Goed' } },
						{ id: 'slecht', label: { nl: 'Slecht' } },
					],
					other: { nl: 'Anders, namelijk' },
				},
				{ id: 'waarom', type: 'text', text: { nl: 'Wat was er niet goed?' }, show_if: { question: 'gevoel', is: ['slecht'] } },
				{
					id: 'steun',
					type: 'triad',
					text: { nl: 'Wie hielp u?' },
					not_applicable: true,
					corners: [
						{ id: 'ik', label: { nl: 'Ikzelf' } },
						{ id: 'buren', label: { nl: 'Buren' } },
						{ id: 'gemeente', label: { nl: 'Gemeente' } },
					],
				},
				{
					id: 'wie',
					type: 'multi',
					text: { nl: 'Met wie?' },
					options: [
						{ id: 'buren', label: { nl: 'Buren' } },
						{ id: 'familie', label: { nl: 'Familie' } },
					],
					other: { nl: 'Iemand anders' },
				},
			],
		},
		{
			id: 's3',
			title: { nl: 'Over u' },
			questions: [
				{ id: 'leeftijd', type: 'number', text: { nl: 'Hoe oud bent u?' }, integer: true, min: 0, max: 120 },
				{ id: 'sinds', type: 'date', text: { nl: 'Sinds wanneer woont u hier?' } },
			],
		},
	],
};

let server, browser, link, token;

before(async () => {
	server = await startServer();
	browser = await launchBrowser();
	const coll = await publishCollection(server, SCRIPT, 'Verhalen uit de buurt', 'Leren van bewoners');
	link = coll.url;
	token = coll.token;
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

/** Rows of the database, through the sqlite3 tool (the server keeps WAL). */
function dbRows(query) {
	return sql(server.db, query, { readonly: false });
}

/** The stories of this device's queue (IndexedDB), from the page. */
function queue(page) {
	return page.evaluate(() => window.vpOfflineQueue.stories());
}

/** Problems in the browser, less what a cut network or a 500 on purpose causes. */
function assertNoOtherProblems(page) {
	page.problems = page.problems.filter(
		(p) => !/ERR_INTERNET_DISCONNECTED|net::ERR_FAILED|Failed to load resource|\/stories: /.test(p) && !/HTTP (500|422) for .*\/stories/.test(p),
	);
	assertNoProblems(page);
}

/** Opens the start page and waits until the service worker keeps the offline form. */
async function installWorker(page) {
	await page.goto(link);
	await page.locator('a[data-vp-offline-link]').waitFor();
	await page.waitForFunction(
		async (t) => {
			if (!navigator.serviceWorker.controller && !(await navigator.serviceWorker.getRegistration()))
				return false;
			return !!(await caches.match(`/v/${t}/offline`));
		},
		token,
		{ polling: 100, timeout: 15_000 },
	);
}

/** Tells a story in the offline form: consent, the three steps, send. */
async function tell(page, text, { age = '40', feeling = 'goed' } = {}) {
	await page.locator('#q-verhaal').waitFor({ state: 'attached' });
	await page.locator('label[for=consent]').tap();
	await page.locator('button[data-vp-next]').tap();
	await page.locator('textarea#a-verhaal').fill(text);
	await page.locator('button[data-vp-next]').tap();
	await page.locator(`#q-gevoel input[value="${feeling}"]`).check();
	await page.locator('button[data-vp-next]').tap();
	await page.locator('input[name="a-leeftijd"]').fill(age);
	await page.locator('button[data-vp-send]').tap();
}

async function statusText(page) {
	return (await page.locator('[data-vp-queue-status]').textContent()).trim();
}

test('the offline form at phone size: one step at a time, a live condition, axe', async () => {
	const page = await openPage(browser, PHONE_390);
	try {
		const res = await page.goto(`${link}/offline`);
		assert.equal(res.status(), 200);
		await page.getByRole('heading', { level: 1, name: 'Verhalen uit de buurt' }).waitFor();
		// Step 1 of 4: consent; the other steps wait.
		const steps = page.locator('[data-vp-step]');
		assert.equal(await steps.count(), 4);
		await page.locator('button[data-vp-next]').waitFor();
		assert.equal(await steps.nth(0).isVisible(), true);
		assert.equal(await steps.nth(1).isVisible(), false);
		assert.equal(await page.locator('[data-vp-progress] progress').getAttribute('max'), '4');
		assert.equal(await page.locator('button[data-vp-back]').isVisible(), false);
		assert.equal(await page.locator('button[data-vp-send]').isVisible(), false);
		await axeCheck(page, 'offline form, consent (phone)');
		await assertNoHorizontalScroll(page);
		// The web app manifest is linked (offline.js puts the link in the head).
		assert.equal(await page.evaluate(() => new URL(document.querySelector('link[rel=manifest]').href).pathname), '/manifest.webmanifest');

		// Without consent: the error, linked from the summary.
		await page.locator('button[data-vp-next]').tap();
		await page.locator('[data-vp-error-summary] a[href="#consent"]').waitFor();
		assert.equal(await page.locator('#consent').getAttribute('aria-invalid'), 'true');
		await axeCheck(page, 'offline form, consent error (phone)');
		await page.locator('label[for=consent]').tap();
		await page.locator('button[data-vp-next]').tap();
		assert.equal(await steps.nth(1).isVisible(), true);
		assert.equal(await page.locator('[data-vp-progress] progress').getAttribute('value'), '2');

		// The required story: an error on the question.
		await page.locator('button[data-vp-next]').tap();
		await page.locator('[data-vp-error-summary] a[href="#q-verhaal"]').waitFor();
		assert.equal(await page.locator('textarea#a-verhaal').getAttribute('aria-invalid'), 'true');
		await axeCheck(page, 'offline form, story error (phone)');
		await page.locator('textarea#a-verhaal').fill('Op het buurtfeest leerde ik mijn buren kennen.');
		await page.locator('button[data-vp-next]').tap();

		// The condition, live: "slecht" shows the question, "goed" hides it
		// again and keeps what was typed.
		const waarom = page.locator('#q-waarom');
		assert.equal(await waarom.isVisible(), false);
		assert.equal(await waarom.getAttribute('hidden'), '');
		await page.locator('#q-gevoel input[value="slecht"]').check();
		await waarom.waitFor({ state: 'visible' });
		await page.locator('#a-waarom').fill('Te druk.');
		await axeCheck(page, 'offline form, a question appeared (phone)');
		await page.locator('#q-gevoel input[value="goed"]').check();
		await waarom.waitFor({ state: 'hidden' });
		assert.equal(await page.locator('#a-waarom').inputValue(), 'Te druk.');
		await page.locator('#q-gevoel input[value="slecht"]').check();
		await waarom.waitFor({ state: 'visible' });
		await assertNoHorizontalScroll(page);

		// Back keeps what was typed.
		await page.locator('button[data-vp-back]').tap();
		assert.match(await page.locator('textarea#a-verhaal').inputValue(), /buurtfeest/);
		await page.locator('button[data-vp-next]').tap();
		await page.locator('button[data-vp-next]').tap();
		assert.equal(await page.locator('button[data-vp-send]').isVisible(), true);
		await axeCheck(page, 'offline form, last step (phone)');
		assertNoProblems(page);
	} finally {
		await page.context().close();
	}
});

test('offline: two stories told without a connection arrive exactly once, and the queue empties', async () => {
	const page = await openPage(browser, PHONE_390);
	const context = page.context();
	try {
		await installWorker(page);
		const before = (await dbRows('SELECT COUNT(*) AS n FROM stories'))[0].n;

		await context.setOffline(true);
		const res = await page.goto(`${link}/offline`);
		assert.ok(res.fromServiceWorker(), 'the form came from the service worker');
		await tell(page, 'Het eerste verhaal, zonder internet.');
		await page.locator('[data-vp-queued]').waitFor();
		await page.waitForFunction(() => document.querySelector('[data-vp-queue-status]').textContent.includes('1'));
		await axeCheck(page, 'offline form, story waits (phone)');

		await page.locator('[data-vp-again] a').tap();
		await page.locator('button[data-vp-next]').waitFor();
		await page.waitForFunction(() => document.querySelector('[data-vp-queue-status]').textContent.includes('1'));
		await tell(page, 'Het tweede verhaal, ook zonder internet.', { feeling: 'slecht' });
		await page.locator('[data-vp-queued]').waitFor();
		await page.waitForFunction(() => document.querySelector('[data-vp-queue-status]').textContent.includes('2'));

		const waiting = await queue(page);
		assert.equal(waiting.length, 2);
		assert.ok(waiting.every((r) => r.state === 'waiting'));
		assert.equal((await dbRows('SELECT COUNT(*) AS n FROM stories'))[0].n, before);

		// The connection returns: both are sent, once, and leave the device.
		await context.setOffline(false);
		await page.locator('#ontvangstcode').waitFor();
		await page.waitForFunction(async () => (await window.vpOfflineQueue.stories()).length === 0, null, { timeout: 20_000 });
		assert.ok((await statusText(page)).length > 0);
		const ids = waiting.map((r) => r.id);
		const rows = await dbRows(`SELECT uuid, receipt, answers, consent_text_hash, consent_at FROM stories WHERE uuid IN ('${ids.join("','")}')`);
		assert.equal(rows.length, 2);
		for (const row of rows) {
			assert.match(row.consent_text_hash, /^[0-9a-f]{64}$/);
			assert.ok(row.consent_at > 0);
			assert.ok(JSON.parse(row.answers).verhaal.text.includes('zonder internet'));
		}
		assert.equal((await dbRows('SELECT COUNT(*) AS n FROM stories'))[0].n, before + 2);
		// The story on screen shows its receipt.
		const shown = (await page.locator('#ontvangstcode').textContent()).trim();
		assert.ok(rows.some((r) => r.receipt === shown), `receipt ${shown} is one of the stored`);
		// The service worker kept no answers.
		const kept = await page.evaluate(async () => {
			const out = [];
			for (const name of await caches.keys())
				for (const req of await (await caches.open(name)).keys())
					out.push(new URL(req.url).pathname);
			return out;
		});
		assert.ok(kept.every((p) => /^\/v\/[^/]+\/offline$/.test(p) || p.startsWith('/static/')), `kept: ${kept}`);

		// Opened again: nothing waits, nothing is sent twice.
		await page.goto(`${link}/offline`);
		await page.locator('button[data-vp-next]').waitFor();
		assert.equal((await queue(page)).length, 0);
		assert.equal((await dbRows('SELECT COUNT(*) AS n FROM stories'))[0].n, before + 2);
		assertNoOtherProblems(page);
	} finally {
		await context.close();
	}
});

test('a server that answers 500 first: the story waits and is sent again', async () => {
	// No service worker here: page.route sees every request of the page.
	const page = await openPage(browser, PHONE_390, { serviceWorkers: 'block' });
	try {
		let calls = 0;
		await page.route('**/api/v1/collections/*/stories', (route) => {
			calls++;
			if (calls === 1)
				return route.fulfill({ status: 500, contentType: 'application/problem+json', body: '{"status":500,"title":"Internal Server Error"}' });
			return route.continue();
		});
		await page.goto(`${link}/offline`);
		await page.locator('button[data-vp-next]').waitFor();
		await tell(page, 'Eerst ging het mis, daarna goed.');
		await page.locator('#ontvangstcode').waitFor({ timeout: 20_000 });
		assert.equal(calls, 2);
		assert.equal((await queue(page)).length, 0);
		const rows = await dbRows("SELECT receipt FROM stories WHERE answers LIKE '%Eerst ging het mis%'");
		assert.equal(rows.length, 1);
		assert.equal(rows[0].receipt, (await page.locator('#ontvangstcode').textContent()).trim());
		await axeCheck(page, 'offline form, receipt (phone)');
		assertNoOtherProblems(page);
	} finally {
		await page.context().close();
	}
});

test('a story the server refuses stays on screen with its error, and can be fixed', async () => {
	const page = await openPage(browser, PHONE_390, { serviceWorkers: 'block' });
	try {
		await page.goto(`${link}/offline`);
		await page.locator('button[data-vp-next]').waitFor();
		// 200 is past the script's maximum: only the server knows.
		await tell(page, 'Een verhaal met een te hoge leeftijd.', { age: '200' });
		await page.locator('[data-vp-error-summary] a[href="#q-leeftijd"]').waitFor();
		assert.equal(await page.locator('input[name="a-leeftijd"]').inputValue(), '200');
		assert.equal(await page.locator('input[name="a-leeftijd"]').getAttribute('aria-invalid'), 'true');
		const kept = await queue(page);
		assert.equal(kept.length, 1);
		assert.equal(kept[0].state, 'refused');
		await axeCheck(page, 'offline form, refused by the server (phone)');
		// Fixed and sent again, with the same id: stored once.
		await page.locator('input[name="a-leeftijd"]').fill('70');
		await page.locator('button[data-vp-send]').tap();
		await page.locator('#ontvangstcode').waitFor();
		assert.equal((await queue(page)).length, 0);
		const rows = await dbRows(`SELECT answers FROM stories WHERE uuid = '${kept[0].id}'`);
		assert.equal(rows.length, 1);
		assert.equal(JSON.parse(rows[0].answers).leeftijd, 70);
		assertNoOtherProblems(page);
	} finally {
		await page.context().close();
	}
});

test('every type is sent as the step form stores it', async () => {
	const page = await openPage(browser, PHONE_390, { serviceWorkers: 'block' });
	try {
		await page.goto(`${link}/offline`);
		await page.locator('button[data-vp-next]').waitFor();
		await page.locator('label[for=consent]').tap();
		await page.locator('button[data-vp-next]').tap();
		await page.locator('textarea#a-verhaal').fill('  Regel een\r\nregel twee  ');
		await page.locator('button[data-vp-next]').tap();
		await page.locator('#q-gevoel input[value=":other"]').check();
		await page.locator('input[name="a-gevoel:other"]').fill(' rustig ');
		await page.locator('input[name="a-steun:0"]').fill('33');
		await page.locator('input[name="a-steun:1"]').fill('33');
		await page.locator('input[name="a-steun:2"]').fill('33');
		await page.locator('#q-wie input[value="familie"]').check();
		await page.locator('#q-wie input[value="buren"]').check();
		await page.locator('button[data-vp-next]').tap();
		await page.locator('input[name="a-leeftijd"]').fill(' 41 ');
		await page.locator('input[name="a-sinds"]').fill('2019-03-07');
		await page.locator('button[data-vp-send]').tap();
		await page.locator('#ontvangstcode').waitFor();
		const code = (await page.locator('#ontvangstcode').textContent()).trim();
		const rows = await dbRows(`SELECT answers FROM stories WHERE receipt = '${code}'`);
		const a = JSON.parse(rows[0].answers);
		assert.deepEqual(a.verhaal, { prompt: 'p1', text: 'Regel een\nregel twee' });
		assert.deepEqual(a.gevoel, { other: 'rustig' });
		assert.deepEqual(a.wie, ['buren', 'familie']);
		assert.equal(a.steun.length, 3);
		assert.ok(Math.abs(a.steun[0] - 1 / 3) < 1e-12);
		assert.equal(a.leeftijd, 41);
		assert.equal(a.sinds, '2019-03-07');
		assert.equal('waarom' in a, false);
		assertNoOtherProblems(page);
	} finally {
		await page.context().close();
	}
});

test('the step form: a condition hides its question at once', async () => {
	const page = await openPage(browser, PHONE_390);
	try {
		await page.goto(link);
		await page.locator('label[for=consent]').tap();
		await page.locator('main form button[type=submit]').first().tap();
		await page.waitForURL('**/stap/1');
		await page.locator('textarea#a-verhaal').fill('Een verhaal.');
		await page.locator('button[value=next]').tap();
		await page.waitForURL('**/stap/2');
		// The server shows the question after "slecht" (a round trip) ...
		await page.locator('#q-gevoel input[value="slecht"]').check();
		await page.locator('button[value=next]').tap();
		await page.locator('#q-waarom').waitFor();
		// ... and "goed" hides it here and now, without one.
		await page.locator('#q-gevoel input[value="goed"]').check();
		await page.locator('#q-waarom').waitFor({ state: 'hidden' });
		await axeCheck(page, 'step form, a question hidden (phone)');
		assertNoProblems(page);
	} finally {
		await page.context().close();
	}
});
