// explore_stories.test.mjs: the stories behind the explorer's marks on 3000
// demo stories at phone size (390x844): a ternary bin of the triad (a chart
// mark) opens its stories, a pattern row opens its stories, each story with
// its text and its signification as glyphs; the story cards; an XLSX
// download opened again with openpyxl (python3-openpyxl); a chart as PNG;
// axe (WCAG 2.1 A/AA) on every new page and no horizontal scrolling.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import {
	PHONE_390,
	assertNoHorizontalScroll,
	assertNoProblems,
	axeCheck,
	cli,
	launchBrowser,
	loginWithLabels,
	openPage,
	startServer,
} from './harness.mjs';

const run = promisify(execFile);
const ADMIN_PASSWORD = 'een lange zin als wachtwoord';

let browser;
let server;
let dir;
before(async () => {
	[browser, server] = await Promise.all([launchBrowser(), startServer()]);
	const demo = await cli(server.db, 'demo', '--stories', '3000', '--seed', '1');
	assert.equal(demo.collection, 1);
	dir = await mkdtemp(path.join(tmpdir(), 'vp-explore-stories-'));
});
after(async () => {
	await browser?.close();
	await server?.stop();
	if (dir)
		await rm(dir, { recursive: true, force: true });
});

async function storyCount(page) {
	return Number((await page.locator('#verhalen-aantal').textContent()).trim());
}

test('from a chart mark and a pattern row to the stories, cards and downloads, on a phone', async (t) => {
	const page = await openPage(browser, PHONE_390, { acceptDownloads: true });
	t.after(() => page.context().close());
	const main = page.getByRole('main');
	await loginWithLabels(page, server, ADMIN_PASSWORD);

	// A ternary bin of the triad is a link to the stories in that bin.
	await page.goto(`${server.url}/verkennen/1`);
	const bin = main.locator('#v-q-steun svg .vp-chart-bins a').first();
	await bin.waitFor();
	// a mark takes keyboard focus
	await bin.focus();
	assert.equal(await bin.evaluate((e) => e === document.activeElement), true);
	const binHref = await bin.getAttribute('href');
	assert.match(binHref, /^\/verkennen\/1\/verhalen\?filter=q-steun/);
	await bin.click();
	await page.waitForURL(/\/verkennen\/1\/verhalen\?filter=/);
	const inBin = await storyCount(page);
	assert.ok(inBin >= 10 && inBin < 3000, `${inBin} stories in the bin`);
	const stories = main.locator('article.vp-story-item');
	assert.equal(await stories.count(), Math.min(25, inBin));
	// each story: its text and its signification, a triangle with words beside it
	const first = stories.first();
	assert.ok((await first.locator('.vp-story-item__text').first().textContent()).length > 10);
	assert.ok((await first.locator('.vp-glyph svg').count()) >= 2, 'no glyphs');
	assert.ok((await first.locator('.vp-glyph-point').count()) >= 2);
	assert.ok((await first.locator('.vp-sig__words').count()) >= 4);
	await axeCheck(page, 'stories of a bin (phone)');
	await assertNoHorizontalScroll(page);

	// Tags and a set for a sensemaking session, from the first story.
	const tools = first.locator('details.vp-story-tools');
	await tools.locator('summary').click();
	await axeCheck(page, 'stories with the tags and sets form open (phone)');
	await assertNoHorizontalScroll(page);
	await tools.locator('input[name="labels"]').fill('wachtlijst, mooi');
	await tools.locator('form').first().locator('button').click();
	await page.waitForURL(/\/verhalen\?filter=/);
	assert.match(await stories.first().locator('.vp-story-tags').textContent(), /wachtlijst/);
	await stories.first().locator('details.vp-story-tools summary').click();
	await stories.first().locator('input[name="naam"]').fill('Sessie maart');
	await stories.first().locator('form').nth(1).locator('button').click();
	await page.waitForURL(/\/verhalen\?filter=/);
	await page.goto(`${server.url}/verkennen/1/selecties`);
	await main.getByRole('link', { name: 'Sessie maart' }).click();
	await page.waitForURL(/\/selecties\/\d+$/);
	assert.equal(await main.locator('article.vp-story-item').count(), 1);
	await axeCheck(page, 'a story set (phone)');
	await assertNoHorizontalScroll(page);
	await page.goBack();
	await page.goBack();

	// the next page
	if (inBin > 25) {
		await main.locator('a[rel="next"]').first().click();
		await page.waitForURL(/pagina=2/);
		assert.equal(await stories.count(), Math.min(25, inBin - 25));
		await axeCheck(page, 'stories, page 2 (phone)');
	}

	// A row of a chart's figures also leads to its stories.
	await page.goto(`${server.url}/verkennen/1`);
	const details = main.locator('#v-q-situatie details');
	await details.locator('summary').click();
	const rowLink = details.locator('a.vp-chart-stories').first();
	await rowLink.click();
	await page.waitForURL(/\/verhalen\?filter=q-situatie/);
	assert.ok((await storyCount(page)) > 10);

	// A pattern row opens its stories.
	await page.goto(`${server.url}/verkennen/1/patronen?uitkomst=q-geholpen`);
	const row = main.locator('tr.vp-pattern').first();
	await row.waitFor();
	const link = row.locator('a.vp-pattern-stories');
	const want = new URL(await link.getAttribute('href'), server.url).searchParams.get('filter');
	const n = Number((await row.locator('td').first().textContent()).trim());
	await link.click();
	await page.waitForURL(/\/verkennen\/1\/verhalen\?filter=/);
	assert.equal(new URL(page.url()).searchParams.get('filter'), want);
	// the pattern counts the stories with an answer to the outcome; all of
	// the group's stories are here
	const inGroup = await storyCount(page);
	assert.ok(inGroup >= n && inGroup < 3000, `${inGroup} stories for a group of ${n}`);
	await axeCheck(page, 'stories of a pattern (phone)');
	await assertNoHorizontalScroll(page);

	// The same stories as cards to print.
	await main.locator(`a[href^="/verkennen/1/verhalen/kaarten"]`).first().click();
	await page.waitForURL(/\/verhalen\/kaarten\?filter=/);
	assert.equal(await main.locator('article.vp-story-card').count(), Math.min(50, inGroup));
	await axeCheck(page, 'story cards (phone)');
	await assertNoHorizontalScroll(page);
	// printed: no header, two columns of cards
	await page.emulateMedia({ media: 'print' });
	assert.equal(await page.locator('.vp-header').isVisible(), false);
	await page.emulateMedia({ media: 'screen' });

	// Too few stories: said so, no story shown.
	// (7 of the demo's stories: `vertelpunt analyse count --min-group 1`)
	await page.goto(`${server.url}/verkennen/1/verhalen?filter=${encodeURIComponent('q-situatie = alleen-wonend and q-wijk = centrum and channel = paper and period = 2025')}`);
	assert.equal(await main.locator('.vp-chart-too-few').count(), 1);
	assert.equal(await main.locator('article').count(), 0);
	await axeCheck(page, 'stories: too few (phone)');

	// A bad filter: 400 and its message.
	const resp = await page.goto(`${server.url}/verkennen/1/verhalen?filter=${encodeURIComponent('q-situatie = ')}`);
	assert.equal(resp.status(), 400);
	assert.match(await main.locator('.vp-error-summary').textContent(), /at \d+/);
	await axeCheck(page, 'stories: bad filter (phone)');

	// The view's figures as XLSX, downloaded and opened again.
	await page.goto(`${server.url}/verkennen/1?filter=${encodeURIComponent('q-situatie = alleen-wonend')}&rij=q-situatie&kolom=q-wijk`);
	const xlsxLink = main.locator('.vp-explore-count ~ .vp-explore-downloads a[href*="export.xlsx"]').first();
	const [download] = await Promise.all([page.waitForEvent('download'), xlsxLink.click()]);
	assert.match(download.suggestedFilename(), /^verkennen-1-alles\.xlsx$/);
	const file = path.join(dir, 'view.xlsx');
	await download.saveAs(file);
	const { stdout } = await run('/usr/bin/python3', [
		'-c',
		[
			'import sys, openpyxl',
			'wb = openpyxl.load_workbook(sys.argv[1])',
			'print("|".join(wb.sheetnames))',
			'ws = wb[wb.sheetnames[0]]',
			'print(ws["E2"].value)',
			'print(wb["q-situatie"]["A2"].value, wb["q-situatie"]["E2"].value)',
		].join('\n'),
		file,
	]);
	const lines = stdout.trim().split('\n');
	const sheets = lines[0].split('|');
	assert.ok(sheets.includes('q-situatie') && sheets.includes('q-steun') && sheets.includes('Kruistabel'), lines[0]);
	const shown = await storyCount(page);
	assert.equal(Number(lines[1]), shown);
	assert.match(lines[2], /^q-situatie \d+$/);

	// A chart as PNG: a real picture.
	const png = await page.request.get(`${server.url}/verkennen/1/grafiek/q-steun.png`);
	assert.equal(png.status(), 200);
	assert.equal(png.headers()['content-type'], 'image/png');
	const bytes = await png.body();
	assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
	assertNoProblems(page);
});
