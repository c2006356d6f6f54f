// screenshots.mjs: writes PNG screenshots of the main pages at desktop and
// phone size (not a test; run by hand when the look changes):
//
//   VP_BIN=build/vertelpunt node tests/browser/screenshots.mjs [OUTDIR]
//
// OUTDIR defaults to docs/screenshots. Files: start-, login-, staff- and
// home- (logged in) with -desktop.png and -phone.png.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DESKTOP, PHONE, assertNoProblems, launchBrowser, openPage, startServer } from './harness.mjs';

const out = path.resolve(process.argv[2] || 'docs/screenshots');
await mkdir(out, { recursive: true });

const server = await startServer();
const browser = await launchBrowser();
try {
	await server.addUser('avries', 'Anna de Vries', 'meelezer');
	await server.addUser('jbakker', 'Jeroen Bakker', 'onderzoeker');
	await server.addUser('fel-amrani', 'Fatima el Amrani', 'gespreksvoerder');
	const password = 'een lange zin als wachtwoord';
	let first = true;
	for (const [name, device] of [['desktop', DESKTOP], ['phone', PHONE]]) {
		const page = await openPage(browser, device);
		// The whole page, but never wider than the viewport (the staff table
		// scrolls inside its own frame).
		const shot = async (file) => {
			const { width, height } = await page.evaluate(() => ({
				width: window.innerWidth,
				height: document.documentElement.scrollHeight,
			}));
			await page.screenshot({
				path: path.join(out, `${file}-${name}.png`),
				fullPage: true,
				clip: { x: 0, y: 0, width, height },
			});
		};
		await page.goto(`${server.url}/`);
		await shot('start');
		await page.goto(`${server.url}/login`);
		await shot('login');
		await page.getByLabel('Gebruikersnaam').fill(server.adminUser);
		await page.getByLabel('Wachtwoord').fill(first ? server.adminPassword : password);
		await page.getByRole('button', { name: 'Inloggen' }).click();
		if (first) {
			await page.waitForURL('**/account/password');
			await page.getByLabel('Huidig wachtwoord').fill(server.adminPassword);
			await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(password);
			await page.getByLabel('Nieuw wachtwoord nog een keer').fill(password);
			await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
			await page.getByRole('heading', { name: 'Wachtwoord opgeslagen' }).waitFor();
			first = false;
		}
		await page.goto(`${server.url}/`);
		await shot('home');
		await page.goto(`${server.url}/beheer/gebruikers`);
		await shot('staff');
		await page.goto(`${server.url}/account`);
		await shot('account');
		assertNoProblems(page);
		await page.context().close();
	}
	console.log(`screenshots written to ${out}`);
} finally {
	await browser.close();
	await server.stop();
}
