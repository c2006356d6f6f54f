// keyness.test.mjs: the words a group uses more and the stories page's
// search field on 3000 demo stories, as a person uses them at phone size
// (390x844): from the explorer to the words of one intervention, a word to
// its stories, a search with marked words; axe (WCAG 2.1 A/AA) on each page
// and no horizontal scrolling.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	PHONE_390,
	assertNoHorizontalScroll,
	assertNoProblems,
	axeCheck,
	loginWithLabels,
	openPage,
	withDemo,
} from './harness.mjs';

const ADMIN_PASSWORD = 'een lange zin als wachtwoord';

const demo = withDemo();

test('the words of one group, a word to its stories, a search with marks', async (t) => {
	const page = await openPage(demo.browser, PHONE_390);
	t.after(() => page.context().close());
	const main = page.getByRole('main');
	await loginWithLabels(page, demo.server, ADMIN_PASSWORD);

	// the explorer with a filter links to the words of its stories
	await page.goto(`${demo.server.url}/verkennen/1?filter=${encodeURIComponent('q-interventie = woningaanpassing')}`);
	await main.locator('a.vp-explore-words').click();
	await page.waitForURL(/\/verkennen\/1\/woorden\?filter=/);
	assert.equal(await main.getByLabel('Groep', { exact: true }).inputValue(), 'q-interventie = woningaanpassing');
	const rows = main.locator('tr.vp-keyness-row');
	assert.ok((await rows.count()) >= 5, 'words listed');
	// the planted word of a home adaptation comes first
	const first = rows.first().locator('a.vp-keyness-word');
	assert.equal((await first.textContent()).trim(), 'traplift');
	await axeCheck(page, 'words');
	await assertNoHorizontalScroll(page);

	// a word opens its stories within the group
	await first.click();
	await page.waitForURL(/\/verkennen\/1\/verhalen\?filter=/);
	const n = Number((await main.locator('#verhalen-aantal').textContent()).trim());
	assert.ok(n > 10);
	assert.match(await main.locator('.vp-stories-filter__text').textContent(), /text matches traplift/);

	// the search field: the best-matching stories with the words marked
	await page.goto(`${demo.server.url}/verkennen/1/verhalen?filter=${encodeURIComponent('q-wijk = centrum')}`);
	await main.getByLabel(/Zoeken in deze verhalen|Search in these stories/).fill('rolstoel');
	await main.getByRole('button', { name: /^(Zoeken|Search)$/ }).click();
	await page.waitForURL(/zoek=rolstoel/);
	assert.ok((await main.locator('.vp-search-snippet mark').count()) > 0, 'marked words');
	assert.match((await main.locator('.vp-search-snippet mark').first().textContent()).toLowerCase(), /rolstoel/);
	await axeCheck(page, 'stories searched');
	await assertNoHorizontalScroll(page);
	assertNoProblems(page);

	// only common words: a clear message, not a crash
	await main.getByLabel(/Zoeken in deze verhalen|Search in these stories/).fill('de het een');
	await main.getByRole('button', { name: /^(Zoeken|Search)$/ }).click();
	await page.waitForURL(/zoek=de/);
	assert.match(await page.locator('.vp-error-summary').textContent(), /common words|gewone woorden|veelvoorkomende|alleen/i);
});
