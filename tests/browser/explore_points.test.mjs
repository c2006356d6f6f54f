// explore_points.test.mjs: pin-on-image and stones answers in the explorer
// (/verkennen/{id}) on the spatial plan template (its map as the pin's
// picture, six stones) with 30 imported stories: the picture loads under
// the grid of counts, each count is written in its cell, the stones' means
// are drawn on their canvas, both tables open; a filter leaving too few
// stories shows the message; a cell opens its stories by keyboard (Tab,
// Enter). axe (WCAG 2.1 A/AA) and no horizontal
// scrolling at desktop size and at 390x844.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
	DESKTOP,
	PHONE_390,
	assertNoHorizontalScroll,
	assertNoProblems,
	axeCheck,
	cli,
	launchBrowser,
	login,
	loginWithLabels,
	openPage,
	startServer,
} from './harness.mjs';

const ADMIN_PASSWORD = 'een lange zin als wachtwoord';
const STONES = ['groen', 'parkeren', 'veilig-verkeer', 'spelen', 'rust', 'uitzicht'];

let browser;
let server;
let coll;
before(async () => {
	[browser, server] = await Promise.all([launchBrowser(), startServer()]);
	const script = await cli(server.db, 'script', 'add-template', 'ruimtelijk-plan-keukentafel');
	await cli(server.db, 'script', 'status', String(script.id), '1', 'published');
	coll = await cli(server.db, 'collection', 'add', '--script', String(script.id), '--title', 'Plan', '--purpose', 'Testen');
	// 30 stories: 20 pins at (25, 35), 10 at (75, 65); five stones placed
	// in 25 stories, two in the other 5 (so "uitzicht" is never placed);
	// 4 stories "verder" (too few to show on their own).
	const rows = ['channel,q-verhaal,q-plek-pin,q-belang-stenen,q-afstand'];
	for (let i = 0; i < 30; i++) {
		const pin = i < 20 ? '25,35' : '75,65';
		const placed = STONES.slice(0, i < 25 ? 5 : 2).map((s, k) => `${s}=${10 + 15 * k},${80 - 10 * k}`);
		rows.push(`paper,Verhaal ${i},"${pin}","${placed.join(';')}",${i < 26 ? 'dichtbij' : 'verder'}`);
	}
	const file = path.join(path.dirname(server.db), 'stories.csv');
	await writeFile(file, rows.join('\n') + '\n');
	const imported = await cli(server.db, 'import', 'stories', '--collection', String(coll.id), file);
	assert.equal(imported.imported, 30);
});
after(async () => {
	await browser?.close();
	await server?.stop();
});

async function checkCharts(page, label) {
	const main = page.getByRole('main');
	await page.goto(`${server.url}/verkennen/${coll.id}`);
	await main.getByRole('heading', { level: 1 }).waitFor();
	// the pin: the picture under the grid, the counts written in the cells
	const pin = main.locator('#v-q-plek-pin');
	const image = pin.locator('svg image');
	assert.equal(await image.count(), 1, 'no picture under the pins');
	const loaded = await page.evaluate(async (href) => {
		const r = await fetch(href);
		return r.ok && (r.headers.get('content-type') || '').startsWith('image/');
	}, await image.getAttribute('href'));
	assert.ok(loaded, 'the picture does not load');
	const cells = await pin.locator('svg .vp-chart-cell-text').allTextContents();
	assert.deepEqual(cells.sort(), ['10', '20']);
	assert.equal(await pin.locator('svg .vp-chart-mean').count(), 1);
	await pin.locator('details summary').click();
	await pin.getByRole('table').first().waitFor();
	assert.equal(await pin.getByRole('table').count(), 2, 'figures and grid tables');
	// the stones: five means on the canvas, the sixth never placed
	const stones = main.locator('#v-q-belang-stenen');
	assert.equal(await stones.locator('svg .vp-chart-stone').count(), 5);
	await stones.locator('details summary').click();
	const table = stones.getByRole('table');
	await table.waitFor();
	assert.equal(await table.locator('tbody tr').count(), 6);
	// the charts scale down to the page
	const box = await pin.locator('svg').boundingBox();
	const width = page.viewportSize().width;
	assert.ok(box.width <= width, `chart ${box.width}px wide at ${width}`);
	await axeCheck(page, `explorer with pins and stones (${label})`);
	await assertNoHorizontalScroll(page);

	// a filter leaving 4 stories: too few, no chart
	await page.getByLabel('Filter').fill('q-afstand = verder');
	await main.locator('form.vp-explore-filter button[type=submit]').click();
	await page.waitForURL(/filter=/);
	await main.locator('.vp-chart-too-few').first().waitFor();
	assert.equal(await main.locator('#v-q-plek-pin svg').count(), 0);
	await axeCheck(page, `explorer with too few stories (${label})`);
	await assertNoHorizontalScroll(page);
	assertNoProblems(page);
}

test('an analyst sees where people put their pins and stones, on a desktop and a phone', async (t) => {
	const desk = await openPage(browser, DESKTOP);
	t.after(() => desk.context().close());
	await loginWithLabels(desk, server, ADMIN_PASSWORD);
	await checkCharts(desk, 'desktop');

	const phone = await openPage(browser, PHONE_390);
	t.after(() => phone.context().close());
	await login(phone, server.url, server.adminUser, ADMIN_PASSWORD);
	await checkCharts(phone, 'phone');
});

// Every mark opens its stories (issue 9), by keyboard too: Tab to the pin
// cell of the 20 pins at (25, 35), Enter, and its stories page lists those
// 20; axe still passes on the explorer and on that page.
test('an analyst tabs to a cell of the picture, presses Enter and reads its stories', async (t) => {
	const page = await openPage(browser, DESKTOP);
	t.after(() => page.context().close());
	await login(page, server.url, server.adminUser, ADMIN_PASSWORD);
	if (new URL(page.url()).pathname === '/login') // run on its own: the first login
		await login(page, server.url, server.adminUser, server.adminPassword, ADMIN_PASSWORD);
	await page.goto(`${server.url}/verkennen/${coll.id}`);
	const main = page.getByRole('main');
	await main.getByRole('heading', { level: 1 }).waitFor();
	// the cells with a count shown are links in the chart, the stones too
	const pin = main.locator('#v-q-plek-pin');
	assert.equal(await pin.locator('svg a').count(), 2);
	assert.equal(await main.locator('#v-q-belang-stenen svg a').count(), 5);
	let name = null;
	for (let i = 0; i < 400 && name === null; i++) {
		await page.keyboard.press('Tab');
		name = await page.evaluate(() => {
			const a = document.activeElement;
			if (!a || !a.closest('#v-q-plek-pin svg') || a.tagName.toLowerCase() !== 'a') return null;
			return a.querySelector('title')?.textContent ?? '';
		});
	}
	assert.ok(name !== null, 'no pin cell took keyboard focus');
	// the first cell in the page's order is the one at (25, 35): row 3, column 2
	assert.match(name, /20\u201330% .*, 30\u201340% .*, 20 /);
	const box = await page.evaluate(() => document.activeElement.getBoundingClientRect().width);
	assert.ok(box > 0, 'the focused cell is not visible');
	await axeCheck(page, 'explorer with links on the marks');
	await page.keyboard.press('Enter');
	await page.waitForURL(/\/verhalen\?filter=/);
	assert.match(decodeURIComponent(page.url()), /q-plek-pin\[x\] >= 20 and q-plek-pin\[x\] < 30 and q-plek-pin\[y\] >= 30 and q-plek-pin\[y\] < 40/);
	await page.locator('#verhalen-aantal').waitFor();
	assert.equal((await page.locator('#verhalen-aantal').textContent()).trim(), '20');
	assert.equal(await page.locator('article.vp-story-item').count(), 20);
	await axeCheck(page, 'the stories of a pin cell');
	assertNoProblems(page);
});
