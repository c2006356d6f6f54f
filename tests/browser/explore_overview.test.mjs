// explore_overview.test.mjs: the overviews, people over time, client and
// consultant and the reports on 2000 demo stories in a trajectory: from
// /verkennen/1 to the overview and from a pattern to its evidence; the
// slope chart's marks take keyboard focus; the report printed to an A4
// PDF (page count and size; in print only the report shows); the pattern
// finder's table as cards at 390x844. axe (WCAG 2.1 A/AA), no horizontal
// scrolling and no console errors on every page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
	DESKTOP,
	PHONE_390,
	cli,
	launchBrowser,
	loginWithLabels,
	openPage,
	pageOk,
	sql,
	startServer,
} from './harness.mjs';

const ADMIN_PASSWORD = 'een lange zin als wachtwoord';

let browser;
let server;
let traj;
before(async () => {
	[browser, server] = await Promise.all([launchBrowser(), startServer()]);
	const demo = await cli(server.db, 'demo', '--stories', '2000', '--seed', '1');
	assert.equal(demo.collection, 1);
	const t = await cli(
		server.db,
		'trajectory',
		'add',
		'--title',
		'Wmo luisteren',
		'--scope',
		'Uw ervaring met de Wmo; we gebruiken die voor beleid.',
		'--rationale',
		'U kreeg hulp uit de Wmo.',
		'--contact',
		'bel 14 020',
	);
	traj = t.id;
	assert.ok(traj > 0, JSON.stringify(t));
	await sql(server.db, `UPDATE collections SET trajectory_id = ${traj} WHERE id = 1`, { readonly: false });
});
after(async () => {
	await browser?.close();
	await server?.stop();
});

/** The number of pages of a PDF and its first page's size in points. */
function pdfFacts(pdf) {
	const text = pdf.toString('latin1');
	const pages = (text.match(/\/Type\s*\/Page[^s]/g) || []).length;
	const m = text.match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
	return { pages, width: m ? Math.round(Number(m[1])) : 0, height: m ? Math.round(Number(m[2])) : 0 };
}

test('an analyst goes from the explorer to the overview, to the evidence, to people and perspectives', async (t) => {
	const page = await openPage(browser, DESKTOP);
	t.after(() => page.context().close());
	const main = page.getByRole('main');
	await loginWithLabels(page, server, ADMIN_PASSWORD);

	await page.goto(`${server.url}/verkennen/1`);
	await main.locator('ul.vp-explore-overview a').first().click();
	await page.waitForURL('**/verkennen/1/overzicht');
	assert.equal(await main.locator('svg.vp-stacked').count(), 1);
	assert.equal(await main.locator('li.vp-overview-pattern').count(), 3);
	assert.equal(await main.locator('li.vp-overview-change').count(), 3);
	assert.match(await main.locator('.vp-overview-loops__text').textContent(), /\S/);
	await pageOk(page, 'overview');

	// one click from a pattern to its stories in the explorer
	const evidence = main.locator('li.vp-overview-pattern a.vp-overview-evidence').first();
	const want = new URL(await evidence.getAttribute('href'), server.url).searchParams.get('filter');
	await evidence.click();
	await page.waitForURL(/\/verkennen\/1\?filter=/);
	assert.equal(await page.locator('#filter').inputValue(), want);

	// people over time: the test in words, a slope chart with focusable marks
	await page.goto(`${server.url}/verkennen/1/mensen?vraag=q-geholpen`);
	assert.match(await main.locator('#mensen-samenvatting').textContent(), /Wilcoxon/);
	const mark = main.locator('svg.vp-slope g.vp-slope-mark').first();
	await mark.focus();
	assert.ok(await mark.evaluate((e) => e === document.activeElement), 'a mark does not take focus');
	assert.match(await mark.getAttribute('aria-label'), /\u2192/);
	await pageOk(page, 'people over time');
	await page.goto(`${server.url}/verkennen/1/mensen?vraag=q-steun`);
	assert.equal(await main.locator('svg.vp-tri-pairs').count(), 1);
	await pageOk(page, 'people over time, a triangle');

	// client and consultant: kappa in words, the stories where they differ
	await page.goto(`${server.url}/verkennen/1/perspectieven?vraag=q-tevredenheid`);
	assert.match(await main.locator('#perspectief-samenvatting').textContent(), /kappa/);
	await pageOk(page, 'perspectives');
	const differ = main.locator('a.vp-differ-link').first();
	const anchor = new URL(await differ.getAttribute('href'), server.url).hash;
	await differ.click();
	await page.waitForURL(/perspectieven\/verhalen/);
	assert.equal(await page.locator(anchor).count(), 1);
	await pageOk(page, 'where they differ');

	await page.goto(`${server.url}/verkennen/1/perspectieven?vraag=q-steun`);
	assert.equal(await main.locator('svg.vp-tri-pairs').count(), 1);
	await pageOk(page, 'perspectives, a triangle');

	// a mistake in the filter or the question: said at the top, the field marked
	for (const [path, field] of [
		['/verkennen/1/mensen?filter=q-nee%20%3D%201', '#filter'],
		['/verkennen/1/perspectieven?vraag=q-gehoord', '#vraag'],
		['/verkennen/1/overzicht?filter=q-situatie%20%3D%20eenzaam', '#filter'],
		['/verkennen/1/rapport?van=2025-13-01', '#van'],
	]) {
		const res = await page.goto(server.url + path);
		assert.equal(res.status(), 400, path);
		await page.locator('.vp-error-summary').waitFor();
		assert.equal(await main.locator(field).getAttribute('aria-invalid'), 'true', path);
		await pageOk(page, `${path} (error)`);
	}

	// the trajectory's overview
	await page.goto(`${server.url}/trajecten/${traj}/overzicht`);
	assert.equal(await main.locator('article.vp-overview-collection').count(), 1);
	await pageOk(page, 'trajectory overview');
});

test('the reports print on A4: only the report, sections on their own pages', async (t) => {
	const page = await openPage(browser, DESKTOP);
	t.after(() => page.context().close());
	const main = page.getByRole('main');
	await loginWithLabels(page, server, ADMIN_PASSWORD).catch(async () => {
		// the password was chosen by the test before: log in with it
		await page.goto(`${server.url}/login`);
		await page.locator('#username').fill(server.adminUser);
		await page.locator('#password').fill(ADMIN_PASSWORD);
		await main.locator('button[type="submit"]').click();
		await page.waitForURL((u) => !u.pathname.startsWith('/login'));
	});
	for (const [path, label] of [
		['/verkennen/1/rapport?van=2025-01-01&tot=2025-12-31', 'collection report'],
		[`/trajecten/${traj}/rapport?van=2025-01-01&tot=2025-12-31`, 'trajectory report'],
	]) {
		await page.goto(server.url + path);
		assert.equal((await main.locator('#rapport-periode').textContent()).trim(), '2025-01-01 \u2013 2025-12-31');
		assert.ok((await main.locator('.vp-story-item').count()) >= 3, `no stories in the ${label}`);
		await pageOk(page, label);

		await page.emulateMedia({ media: 'print' });
		assert.equal(await page.locator('.vp-header').isVisible(), false, 'the header prints');
		assert.equal(await main.locator('form').first().isVisible(), false, 'the form prints');
		assert.equal(await main.locator('#rapport-periode').isVisible(), true);
		assert.equal(await main.locator('svg.vp-stacked').first().isVisible(), true);
		const after = await main
			.locator('.vp-report-url')
			.evaluate((e) => getComputedStyle(e, '::after').content);
		assert.match(after, /overzicht/, 'the online link is not written out');
		// charts fit the paper: no wider than the report
		const tooWide = await main.evaluate((m) =>
			[...m.querySelectorAll('svg')].filter((s) => s.getBoundingClientRect().width > m.getBoundingClientRect().width + 1).length,
		);
		assert.equal(tooWide, 0, 'a chart is wider than the page');
		const facts = pdfFacts(await page.pdf({ preferCSSPageSize: true }));
		assert.ok(facts.pages >= 3, `${label}: ${facts.pages} pages`);
		assert.equal(facts.width, 595); // A4 in points
		assert.equal(facts.height, 842);
		await page.emulateMedia({ media: null });
	}
});

test('on a phone the patterns are cards, without sideways scrolling', async (t) => {
	const page = await openPage(browser, PHONE_390);
	t.after(() => page.context().close());
	const main = page.getByRole('main');
	await page.goto(`${server.url}/login`);
	await page.locator('#username').fill(server.adminUser);
	await page.locator('#password').fill(ADMIN_PASSWORD);
	await main.locator('button[type="submit"]').click();
	await page.waitForURL((u) => !u.pathname.startsWith('/login'));

	await page.goto(`${server.url}/verkennen/1/patronen?uitkomst=q-geholpen`);
	const row = main.locator('tr.vp-pattern').first();
	assert.equal(await row.evaluate((e) => getComputedStyle(e).display), 'block');
	const label = await row
		.locator('td[data-label]')
		.first()
		.evaluate((e) => getComputedStyle(e, '::before').content);
	assert.match(label, /:/);
	const box = await row.boundingBox();
	assert.ok(box.width <= 390, `a card is ${box.width} px wide`);
	await pageOk(page, 'patterns as cards (phone)');

	for (const path of ['/verkennen/1/overzicht', '/verkennen/1/mensen', '/verkennen/1/perspectieven', `/trajecten/${traj}/overzicht`]) {
		await page.goto(server.url + path);
		await pageOk(page, `${path} (phone)`);
	}
});
