// themes.test.mjs: the explorer's themes on 3000 demo stories at phone size
// (390x844): from /verkennen/1 to Themes; the page shows progress and
// refreshes by itself (no script; its Refresh header) until the seven
// planted topics are there, with their bars, words and links; a theme's
// stories open with the filter "theme = N"; the table of what is rising links
// each theme's stories per quarter; a bad number of themes is an error on its field;
// the pattern finder then has themes among its groups, with a link to them; axe
// (WCAG 2.1 A/AA) on every state and no horizontal scrolling.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	PHONE_390,
	assertNoHorizontalScroll,
	axeCheck,
	loginWithLabels,
	openPage,
	withDemo,
} from './harness.mjs';

const ADMIN_PASSWORD = 'een lange zin als wachtwoord';

const demo = withDemo();

test('an analyst sees what people talk about, on a phone', async (t) => {
	const page = await openPage(demo.browser, PHONE_390);
	t.after(() => page.context().close());
	const main = page.getByRole('main');
	await loginWithLabels(page, demo.server, ADMIN_PASSWORD);

	await page.goto(`${demo.server.url}/verkennen/1`);
	// the progress page held still for axe: its Refresh header taken off
	let refresh = null;
	await page.route('**/verkennen/1/themas', async (route) => {
		const response = await route.fetch();
		const headers = response.headers();
		refresh = headers.refresh ?? null;
		delete headers.refresh;
		await route.fulfill({ response, headers });
	});
	await main.locator('a[href="/verkennen/1/themas"]').click();
	await page.waitForURL('**/verkennen/1/themas');
	if ((await main.locator('progress').count()) > 0) {
		assert.equal(refresh, '2');
		assert.equal(await main.locator('form[action$="/themas/stoppen"] button').count(), 1);
		await axeCheck(page, 'themes: computing (phone)');
	}
	await page.unroute('**/verkennen/1/themas');
	// then the themes, once the page has refreshed itself (no script)
	await page.reload();
	await main.locator('#themas-kop').waitFor({ timeout: 60000 });
	const themes = main.locator('article.vp-theme');
	assert.equal(await themes.count(), 7);
	assert.equal(await main.locator('figure.vp-chart svg.vp-chart-svg').count(), 1);
	const text = await main.textContent();
	for (const word of ['taxi', 'mantelzorg', 'woning', 'schoonmaakster'])
		assert.ok(text.includes(word), `no ${word} among the themes' words`);
	await axeCheck(page, 'themes (phone)');
	await assertNoHorizontalScroll(page);

	// what is rising: a table of the seven themes in the last two quarters,
	// each share a link to the theme's stories of that quarter
	const rising = main.locator('section[aria-labelledby="stijgers-kop"]');
	assert.equal(await rising.locator('tbody tr').count(), 7);
	const later = rising.locator('tbody tr').first().locator('a[href*="/verhalen?filter="]').last();
	await later.click();
	await page.waitForURL(/\/verkennen\/1\/verhalen\?filter=/);
	assert.match(new URL(page.url()).searchParams.get('filter'), /^period = 2025-Q4 and theme = [1-7]$/);
	const inQuarter = Number((await page.locator('#verhalen-aantal').textContent()).trim());
	assert.ok(inQuarter > 10 && inQuarter < 600, `rising theme in 2025-Q4: ${inQuarter} stories`);
	await axeCheck(page, "a rising theme's stories (phone)");
	await page.goBack();
	await main.locator('#stijgers-kop').waitFor();

	// a theme's stories: the explorer's stories page with that filter
	const link = themes.first().locator('a[href*="/verhalen?filter="]');
	await link.click();
	await page.waitForURL(/\/verkennen\/1\/verhalen\?filter=theme/);
	assert.equal(new URL(page.url()).searchParams.get('filter'), 'theme = 1');
	const shown = Number((await page.locator('#verhalen-aantal').textContent()).trim());
	assert.ok(shown > 300 && shown < 3000, `theme 1: ${shown} stories`);
	await axeCheck(page, "a theme's stories (phone)");

	// a bad number: the message in the error summary, the field marked
	await page.goto(`${demo.server.url}/verkennen/1/themas?k=99`);
	await page.locator('.vp-error-summary').waitFor();
	assert.equal(await main.locator('#k').getAttribute('aria-invalid'), 'true');
	await axeCheck(page, 'themes with an error (phone)');

	// the pattern finder, now that the themes are there: themes among its
	// groups ("Theme N: words"), and a link to the themes
	await page.goto(`${demo.server.url}/verkennen/1/patronen?uitkomst=q-geholpen&filter=`);
	await main.locator('#patronen-kop').waitFor();
	const groups = await main.locator('th.vp-pattern-group').allTextContents();
	assert.ok(
		groups.some((g) => /(Theme|Thema) [1-7]: \S/.test(g)),
		`no theme among the groups: ${groups.slice(0, 5).join(' | ')}`,
	);
	assert.equal(await main.locator('.vp-pattern-themes a[href="/verkennen/1/themas"]').count(), 1);
	await axeCheck(page, 'patterns with themes (phone)');
	await assertNoHorizontalScroll(page);
});
