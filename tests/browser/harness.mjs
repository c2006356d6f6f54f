// harness.mjs: shared helpers for the browser tests (not a test file itself).
//
// - startServer(): a fresh Vertelpunt in a temporary folder, on a free port.
// - launchBrowser(): Debian's chromium through playwright-core, offline.
// - openPage(): a page in its own context that records console errors,
//   uncaught page errors and CSP violations, so a test can fail on them.
// - axeCheck(): axe-core, WCAG 2.1 A and AA only, zero violations allowed.
// - assertNoHorizontalScroll(): nothing wider than the viewport.
// - pageOk(): axe, no horizontal scrolling and no problems, in one call.
// - login() / loginWithLabels(): through the login form, the first time
//   choosing a new password instead of the one-time password.
// - publishCollection(): a script (as JSON) imported, published and a
//   collection on it, with the CLI.
// - sql(): rows of the server's database through the sqlite3 tool.
//
// The binary comes from VP_BIN (default build/vertelpunt); the Makefile's
// `browser` target sets it.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { after, before } from 'node:test';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

export const VP_BIN = path.resolve(process.env.VP_BIN || 'build/vertelpunt');
export const CHROMIUM = process.env.VP_CHROMIUM || '/usr/bin/chromium';

export const DESKTOP = { viewport: { width: 1280, height: 800 } };
export const PHONE = {
	viewport: { width: 360, height: 740 },
	deviceScaleFactor: 2,
	isMobile: true,
	hasTouch: true,
};
/** A larger phone (390x844), as the story form tests use. */
export const PHONE_390 = {
	viewport: { width: 390, height: 844 },
	deviceScaleFactor: 2,
	isMobile: true,
	hasTouch: true,
};

/** Runs the CLI against a database and returns its JSON output. */
export async function cli(db, ...args) {
	const { stdout } = await run(VP_BIN, [...args, '--db', db], { timeout: 30_000 });
	const line = stdout.split('\n').find((l) => l.startsWith('{'));
	assert.ok(line, `no JSON from vertelpunt ${args.join(' ')}: ${stdout}`);
	return JSON.parse(line);
}

/**
 * Starts a fresh server: a temporary folder, `init` (which prints the
 * administrator's one-time password), then `serve --listen 127.0.0.1:0`,
 * waiting for the {"event":"listening"} log line on stderr.
 * Returns { url, db, adminUser, adminPassword, addUser(), stop() }.
 */
export async function startServer() {
	const dir = await mkdtemp(path.join(tmpdir(), 'vp-browser-'));
	const db = path.join(dir, 'vp.db');
	const init = await cli(db, 'init');
	assert.equal(init.initialised, true, 'init did not initialise');
	const adminUser = init.admin.username;
	const adminPassword = init.admin.one_time_password;
	assert.ok(adminPassword, 'init printed no one-time password');

	const proc = spawn(VP_BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '2'], {
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	const log = [];
	const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
	// Safety net: a test process that ends without stop() takes its server
	// and its folder along.
	const orphan = () => {
		proc.kill('SIGKILL');
		rmSync(dir, { recursive: true, force: true });
	};
	process.once('exit', orphan);
	const url = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`server did not start:\n${log.join('\n')}`)), 15_000);
		proc.once('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		exited.then(({ code, signal }) => {
			clearTimeout(timer);
			reject(new Error(`server exited (${code ?? signal}) before listening:\n${log.join('\n')}`));
		});
		readline.createInterface({ input: proc.stderr }).on('line', (line) => {
			log.push(line);
			if (log.length > 200)
				log.shift();
			try {
				const ev = JSON.parse(line);
				if (ev.event === 'listening') {
					clearTimeout(timer);
					resolve(ev.msg.replace(/\/$/, ''));
				}
			} catch {
				/* not JSON: keep it in the log only */
			}
		});
	});

	let stopped = null;
	return {
		url,
		db,
		adminUser,
		adminPassword,
		log,
		/** Adds an account with the CLI; returns its one-time password. */
		async addUser(username, name, role) {
			const out = await cli(db, 'user', 'add', username, '--name', name, '--role', role);
			return out.one_time_password;
		},
		/** SIGTERM, wait for a clean exit (SIGKILL after 10 s), remove the folder. */
		stop() {
			stopped ??= (async () => {
				process.removeListener('exit', orphan);
				if (proc.exitCode === null && proc.signalCode === null) {
					proc.kill('SIGTERM');
					const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
					const { code, signal } = await exited;
					clearTimeout(timer);
					assert.equal(code, 0, `server exited with ${code ?? signal}:\n${log.join('\n')}`);
				}
				await rm(dir, { recursive: true, force: true });
			})();
			return stopped;
		},
	};
}

/** Debian's chromium; the flags keep it from reaching for the (absent) internet. */
export function launchBrowser() {
	return chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
}

/**
 * A page in a fresh context (own cookies) that records problems:
 * console errors (CSP violations are reported there too), uncaught
 * exceptions, failed requests and subresources answered with 4xx/5xx. page.problems lists them;
 * assertNoProblems(page) fails with the list.
 */
export async function openPage(browser, device = DESKTOP, options = {}) {
	const context = await browser.newContext({ ...device, locale: 'nl-NL', ...options });
	// A local server answers in milliseconds: fail well before the default
	// 30 s, but leave room for a busy machine.
	context.setDefaultTimeout(15_000);
	// Chromium logs CSP violations on the console; this makes sure each one
	// is reported as an error even where it would not be. Init scripts come
	// through the DevTools protocol, so the page's CSP does not block them.
	await context.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) => {
			console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
		});
	});
	const page = await context.newPage();
	page.problems = [];
	// Documents that answered 4xx on purpose (404 page, wrong password):
	// chromium logs "Failed to load resource" for them, which is no fault.
	const errorDocuments = new Set();
	page.on('console', (msg) => {
		if (msg.type() !== 'error')
			return;
		if (msg.text().startsWith('Failed to load resource:') && errorDocuments.has(msg.location().url))
			return;
		page.problems.push(`console error on ${page.url()}: ${msg.text()}`);
	});
	page.on('pageerror', (err) => page.problems.push(`page error on ${page.url()}: ${err.message}`));
	// A navigation cancels requests still in flight (often the favicon):
	// net::ERR_ABORTED is not a problem of the page.
	page.on('requestfailed', (req) => {
		const why = req.failure()?.errorText;
		if (why !== 'net::ERR_ABORTED')
			page.problems.push(`request failed: ${req.method()} ${req.url()}: ${why}`);
	});
	// Pages may answer 4xx on purpose (404 page, wrong password); their
	// stylesheets, icons and scripts may not.
	page.on('response', (res) => {
		if (res.status() < 400)
			return;
		if (res.request().resourceType() === 'document')
			errorDocuments.add(res.url());
		else
			page.problems.push(`HTTP ${res.status()} for ${res.url()}`);
	});
	return page;
}

export function assertNoProblems(page) {
	assert.deepEqual(page.problems, [], `problems in the browser:\n${page.problems.join('\n')}`);
}

/**
 * No horizontal scrolling: the document is not wider than the viewport.
 * On an emulated phone (isMobile) the browser widens the layout viewport,
 * and so window.innerWidth, to fit content that overflows; comparing with
 * innerWidth alone would then always pass. So the width is also checked
 * against the viewport the context was made with.
 */
export async function assertNoHorizontalScroll(page) {
	const { scrollWidth, innerWidth } = await page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		innerWidth: window.innerWidth,
	}));
	const width = Math.min(innerWidth, page.viewportSize()?.width ?? innerWidth);
	assert.ok(
		scrollWidth <= width,
		`horizontal scrolling on ${page.url()}: scrollWidth ${scrollWidth} > ${width} ` +
			`(innerWidth ${innerWidth}, viewport ${page.viewportSize()?.width})`,
	);
}

let axeSource;

/**
 * Runs axe-core on the page with the WCAG 2.1 A and AA rules only and fails
 * with a readable list of violations (id, impact, target, help).
 *
 * The pages' CSP (script-src 'self') forbids inline scripts, so
 * page.addScriptTag({path}) would be blocked. page.evaluate() goes through
 * the DevTools protocol, which CSP does not govern, so the axe source is
 * evaluated that way and no bypassCSP context is needed: the page is tested
 * under exactly the policy it is served with.
 */
export async function axeCheck(page, label = page.url()) {
	axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
	if (!(await page.evaluate(() => typeof window.axe === 'object')))
		await page.evaluate(axeSource);
	const violations = await page.evaluate(async () => {
		const result = await window.axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
			resultTypes: ['violations'],
		});
		return result.violations.map((v) => ({
			id: v.id,
			impact: v.impact,
			help: v.help,
			helpUrl: v.helpUrl,
			nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
		}));
	});
	const text = violations
		.map(
			(v) =>
				`- ${v.id} (${v.impact}): ${v.help}\n` +
				v.nodes.map((n) => `    at ${n.target}\n      ${(n.summary || '').replace(/\n/g, '\n      ')}`).join('\n'),
		)
		.join('\n');
	assert.equal(violations.length, 0, `axe: ${violations.length} WCAG 2.1 A/AA violation(s) on ${label}:\n${text}`);
}

/** Elements that a person taps must be at least 44 x 44 CSS px (WCAG 2.5.5 AAA, our own rule). */
export async function assertTouchTargets(page, selector = '.vp-nav a, .vp-nav button, main button, main .utrecht-button-link') {
	const small = await page.$$eval(selector, (els) =>
		els
			.filter((e) => e.offsetParent !== null)
			.map((e) => {
				const r = e.getBoundingClientRect();
				return { text: e.textContent.trim(), w: Math.round(r.width), h: Math.round(r.height) };
			})
			.filter((r) => r.w < 44 || r.h < 44),
	);
	assert.deepEqual(small, [], `touch targets smaller than 44 px on ${page.url()}: ${JSON.stringify(small)}`);
}

/** axe, no sideways scrolling, no console errors: what every page gets. */
export async function pageOk(page, label) {
	await axeCheck(page, label);
	await assertNoHorizontalScroll(page);
	assertNoProblems(page);
}

/**
 * Logs in as user through the form, by the fields' ids (so in any
 * language). With newPassword, password is the one-time password: the
 * account page asks for a new one, and newPassword is chosen.
 */
export async function login(page, url, user, password, newPassword) {
	await page.goto(`${url}/login`);
	await page.locator('#username').fill(user);
	await page.locator('#password').fill(password);
	await Promise.all([page.waitForNavigation(), page.locator('#password').press('Enter')]);
	if (!newPassword)
		return;
	assert.match(page.url(), /\/account\/password$/);
	await page.locator('#current').fill(password);
	await page.locator('#new').fill(newPassword);
	await page.locator('#repeat').fill(newPassword);
	await Promise.all([page.waitForNavigation(), page.locator('#repeat').press('Enter')]);
}

/**
 * The administrator's first login through the Dutch labels of the form:
 * the one-time password, then newPassword chosen and saved.
 */
export async function loginWithLabels(page, server, newPassword) {
	const main = page.getByRole('main');
	await page.goto(`${server.url}/login`);
	await page.getByLabel('Gebruikersnaam').fill(server.adminUser);
	await page.getByLabel('Wachtwoord').fill(server.adminPassword);
	await main.getByRole('button', { name: 'Inloggen' }).click();
	await page.waitForURL('**/account/password');
	await page.getByLabel('Huidig wachtwoord').fill(server.adminPassword);
	await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(newPassword);
	await page.getByLabel('Nieuw wachtwoord nog een keer').fill(newPassword);
	await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
	await page.getByRole('heading', { level: 1, name: 'Wachtwoord opgeslagen' }).waitFor();
}

/**
 * Imports script (an object in our JSON format) with the CLI, publishes
 * version 1 and adds a collection on it. Returns the collection as the CLI
 * prints it ({ id, link, ... }) with link made absolute and the token.
 */
export async function publishCollection(server, script, title, purpose) {
	const file = path.join(tmpdir(), `vp-${script.key}-${process.pid}.json`);
	await writeFile(file, JSON.stringify(script));
	const imported = await cli(server.db, 'script', 'import', file);
	await cli(server.db, 'script', 'status', String(imported.id), '1', 'published');
	await rm(file, { force: true });
	const coll = await cli(server.db, 'collection', 'add', '--script', String(imported.id), '--title', title, '--purpose', purpose);
	return { ...coll, url: server.url + coll.link, token: coll.link.split('/').pop() };
}

/**
 * Rows of a query on the database as JSON, through the sqlite3 tool;
 * read-only unless { readonly: false } (a reader next to the server's WAL).
 */
export async function sql(db, query, { readonly = true } = {}) {
	const { stdout } = await run('sqlite3', [...(readonly ? ['-readonly'] : []), '-json', db, query]);
	return stdout.trim() ? JSON.parse(stdout) : [];
}

/**
 * A browser and a server with the demo's stories in collection 1, made
 * before the file's tests and stopped after them (node:test hooks).
 * Returns an object whose browser and server are set once before ran.
 */
export function withDemo(stories = 3000, seed = 1) {
	const ctx = {};
	before(async () => {
		[ctx.browser, ctx.server] = await Promise.all([launchBrowser(), startServer()]);
		const demo = await cli(ctx.server.db, 'demo', '--stories', String(stories), '--seed', String(seed));
		assert.equal(demo.collection, 1);
	});
	after(async () => {
		await ctx.browser?.close();
		await ctx.server?.stop();
	});
	return ctx;
}
