// explore_more.test.mjs: the explorer's pattern finder and comparison on
// 3000 demo stories at phone size (390x844): from /verkennen/1 to the
// patterns page, choose q-geholpen, open the first pattern's stories (the
// explorer shows that filter); the compare page lists every question;
// axe (WCAG 2.1 A/AA) on both pages and no horizontal scrolling.
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

test('an analyst finds a pattern, opens its stories and compares two years on a phone', async (t) => {
	const page = await openPage(demo.browser, PHONE_390);
	t.after(() => page.context().close());
	const main = page.getByRole('main');
	await loginWithLabels(page, demo.server, ADMIN_PASSWORD);

	await page.goto(`${demo.server.url}/verkennen/1`);
	await main.locator('a[href="/verkennen/1/patronen"]').click();
	await page.waitForURL('**/verkennen/1/patronen');
	await main.locator('#uitkomst').selectOption('q-geholpen');
	await main.locator('form button[type="submit"]').click();
	await page.waitForURL(/uitkomst=q-geholpen/);
	const rows = main.locator('tr.vp-pattern');
	assert.ok((await rows.count()) >= 5, 'too few patterns');
	assert.ok((await rows.first().locator('svg').count()) === 1, 'no interval bar');
	await axeCheck(page, 'patterns (phone)');
	await assertNoHorizontalScroll(page);

	const link = rows.first().locator('a.vp-pattern-link');
	const href = await link.getAttribute('href');
	const want = new URL(href, demo.server.url).searchParams.get('filter');
	assert.ok(want && want.includes('='), `no filter in ${href}`);
	await link.click();
	await page.waitForURL(/\/verkennen\/1\?filter=/);
	assert.equal(await page.locator('#filter').inputValue(), want);
	const n = Number((await page.locator('#verhalen-aantal').textContent()).trim());
	assert.ok(n > 0 && n < 3000, `count ${n}`);

	// Two groups compared: last year against this year.
	await page.goto(`${demo.server.url}/verkennen/1`);
	await main.locator('a[href="/verkennen/1/vergelijken"]').click();
	await page.waitForURL('**/verkennen/1/vergelijken');
	await main.locator('#a').fill('period = 2024');
	await main.locator('#b').fill('period = 2025');
	await main.locator('form button[type="submit"]').click();
	await page.waitForURL(/a=period/);
	assert.ok((await main.locator('tr.vp-compare-row').count()) >= 10, 'not every question');
	assert.equal(await main.locator('tr.vp-compare-row').first().getAttribute('data-question'), 'q-steun');
	await axeCheck(page, 'compare (phone)');
	await assertNoHorizontalScroll(page);

	// a bad filter: the message in the error summary, the field marked
	await main.locator('#b').fill('q-nee = 1');
	await main.locator('form button[type="submit"]').click();
	await page.locator('.vp-error-summary').waitFor();
	assert.equal(await main.locator('#b').getAttribute('aria-invalid'), 'true');
	await axeCheck(page, 'compare with an error (phone)');
});
