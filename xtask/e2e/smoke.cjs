// End-to-end smoke test: loads the built playground in headless Chromium and
// fails on any page error, any console error, or an app that did not mount.
// Usage: node smoke.cjs <url> <screenshot-dir>   (NODE_PATH must reach playwright-core)
'use strict';
const { chromium } = require('playwright-core');
const path = require('path');

const [url, shotDir] = process.argv.slice(2);

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const problems = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`); });
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));

    const started = Date.now();
    await page.goto(url, { waitUntil: 'load' });
    const verdict = page.getByTestId('selftest-verdict');
    await verdict.waitFor({ timeout: 15000 });
    const mountedMs = Date.now() - started;

    const title = await page.locator('h1').textContent();
    if (!/KMS Playground/.test(title || '')) problems.push(`heading is ${JSON.stringify(title)}`);
    const value = await verdict.textContent();
    if (value !== 'passed') problems.push(`core value in the page is ${JSON.stringify(value)}, expected "passed"`);

    const shot = path.join(shotDir, 'smoke.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`mounted in ${mountedMs} ms; core value "${value}"; screenshot ${shot}`);

    // Play a whole story in the built page: the S5 Aurora story.
    await page.getByTestId('story-aurora-disable-key').click();
    await page.getByTestId('next').click();
    await page.getByTestId('run-to-end').click();
    const progress = await page.getByTestId('progress').textContent();
    const m = /^(\d+) of (\d+) steps · (\d+) as expected$/.exec(progress || '');
    if (!m || m[1] !== m[2] || m[3] !== m[2]) problems.push(`story progress is ${JSON.stringify(progress)}`);
    const story = path.join(shotDir, 'story.png');
    await page.screenshot({ path: story, fullPage: false });
    const narrow = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await narrow.goto(url, { waitUntil: 'load' });
    await narrow.getByTestId('story-key-policies').click();
    await narrow.getByTestId('run-to-end').click();
    await narrow.screenshot({ path: path.join(shotDir, 'story-phone.png'), fullPage: false });
    console.log(`story played: ${progress}; screenshots ${story}, story-phone.png`);

    // Leave the story and experiment: the clock and the console.
    await page.getByTestId('experiment').click();
    await page.getByTestId('clock-5').click();
    await page.getByTestId('send').click();
    const rule = await page.getByTestId('rule').first().textContent();
    if (rule !== 'identity policy allows') problems.push(`free play's first request decided by ${JSON.stringify(rule)}`);
    await page.screenshot({ path: path.join(shotDir, 'free.png'), fullPage: false });
  } finally {
    await browser.close();
  }
  if (problems.length) {
    console.error(problems.map((p) => `  - ${p}`).join('\n'));
    throw new Error(`${problems.length} problem(s) on the page`);
  }
}

main().catch((e) => { console.error(`smoke test failed: ${e.message}`); process.exit(1); });
