// explore.test.mjs: the explorer (/verkennen/{id}) on 3000 demo stories at
// phone size (390x844): every chart drawn with its figures, a click on a
// bar puts its condition in the filter field and the URL and the count
// drops, a cross-table shows as a heat-map, a bad filter shows the
// parser's message; axe (WCAG 2.1 A/AA) on
// each state and no horizontal scrolling.
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

async function storyCount(page) {
	const text = await page.locator('#verhalen-aantal').textContent();
	return Number(text.trim());
}

test('an analyst explores the demo collection on a phone', async (t) => {
	const page = await openPage(demo.browser, PHONE_390);
	t.after(() => page.context().close());
	const main = page.getByRole('main');

	await loginWithLabels(page, demo.server, ADMIN_PASSWORD);

	// From the collection's page to the explorer.
	await page.goto(`${demo.server.url}/verzamelingen/1`);
	await main.locator('a.vp-coll-explore').click();
	await page.waitForURL('**/verkennen/1');
	await main.getByRole('heading', { level: 1 }).waitFor();
	const all = await storyCount(page);
	assert.equal(all, 3000);

	// Every kind of chart: a ternary plot, histograms, bars; each with its figures.
	assert.ok((await main.locator('#v-q-steun svg .vp-chart-frame').count()) === 1, 'no ternary plot');
	assert.ok((await main.locator('#v-q-geholpen svg .vp-chart-bar').count()) >= 5, 'no dyad histogram');
	assert.ok((await main.locator('#v-q-situatie svg .vp-chart-whisker').count()) === 6, 'no bars with intervals');
	const details = main.locator('#v-q-situatie details');
	await details.locator('summary').click();
	await details.getByRole('table').waitFor();
	// The charts scale down to the phone's width.
	const box = await main.locator('#v-q-situatie svg').boundingBox();
	assert.ok(box.width <= 390, `chart ${box.width}px wide`);
	await axeCheck(page, 'explorer (phone)');
	await assertNoHorizontalScroll(page);

	// A click on the "Ik woon alleen" bar opens its stories.
	await main.locator('#v-q-situatie svg a').first().click();
	await page.waitForURL(/\/verhalen\?filter=q-situatie/);
	assert.match(decodeURIComponent(page.url()), /filter=q-situatie = alleen-wonend/);
	await page.locator('main article, main .vp-story').first().waitFor();
	await page.goBack();

	// "Only these" in the bar's figures narrows the view to it.
	const figures = main.locator('#v-q-situatie details');
	if (!(await figures.evaluate((d) => d.open)))
		await figures.locator('summary').click();
	await figures.locator('a.vp-chart-narrow').first().click();
	await page.waitForURL(/verkennen\/\d+\?filter=q-situatie/);
	assert.match(decodeURIComponent(page.url()), /filter=q-situatie = alleen-wonend/);
	assert.equal(await page.getByLabel('Filter').inputValue(), 'q-situatie = alleen-wonend');
	const some = await storyCount(page);
	assert.ok(some > 0 && some < all, `count ${some} after the click, ${all} before`);
	await axeCheck(page, 'explorer filtered (phone)');
	await assertNoHorizontalScroll(page);

	// A second narrows further: both conditions in one flat filter.
	const wijk = main.locator('#v-q-wijk details');
	await wijk.locator('summary').click();
	await wijk.locator('a.vp-chart-narrow').first().click();
	await page.waitForURL(/q-wijk/);
	assert.equal(
		await page.getByLabel('Filter').inputValue(),
		'q-situatie = alleen-wonend and q-wijk = centrum',
	);
	assert.ok((await storyCount(page)) < some);

	// A cross-table of two questions as a heat-map, chosen in the form.
	await page.locator('#rij').selectOption('q-situatie');
	await page.locator('#kolom').selectOption('q-leeftijd');
	await main.locator('form.vp-explore-filter button[type=submit]').click();
	await page.waitForURL(/kolom=q-leeftijd/);
	await main.locator('#kruistabel svg .vp-heat').first().waitFor();
	// every cell carries its figure as text, not only a colour
	const cells = await main.locator('#kruistabel svg .vp-heat-label').count();
	assert.ok(cells >= 6, `${cells} cell labels`);
	await axeCheck(page, 'explorer with a cross-table (phone)');
	await assertNoHorizontalScroll(page);

	// A filter with a mistake: the parser's message, the field marked, 400.
	await page.getByLabel('Filter').fill('q-situatie = ');
	const [resp] = await Promise.all([
		page.waitForResponse((r) => r.url().includes('/verkennen/1?')),
		main.locator('form.vp-explore-filter button[type=submit]').click(),
	]);
	assert.equal(resp.status(), 400);
	const summary = main.locator('.vp-error-summary');
	await summary.waitFor();
	assert.match(await summary.textContent(), /at \d+/);
	assert.equal(await page.getByLabel('Filter').getAttribute('aria-invalid'), 'true');
	assert.equal(await main.locator('svg').count(), 0);
	await axeCheck(page, 'explorer with a bad filter (phone)');
	await assertNoHorizontalScroll(page);
	assertNoProblems(page);
});
