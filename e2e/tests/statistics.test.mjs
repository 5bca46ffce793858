// Statistics, as issue 6 asks: an analyst opens the dashboard on the demo data (charts drawn, each
// with its table and downloads), narrows it to a province, gets a clear error for a period that
// ends before it starts, explores a breakdown, and opens the US TIP report (printable, XLSX); the
// same in Urdu; a supervisor asking for another province is refused; an investigator sees no menu.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, signIn } from "./harness.mjs";

let server;
let browser;
const pageErrors = [];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function pageAs(username) {
  const context = await browser.newContext({ locale: "en-GB", acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await signIn(page, server, username);
  return page;
}

function lastYears() {
  const y = new Date().getUTCFullYear();
  return { from: `${y - 4}-01-01`, to: `${y}-12-31` };
}

test("the analyst's dashboard draws every chart with its table and downloads", async () => {
  const page = await pageAs("analyst");
  await page.click("#nav-statistics");
  const { from, to } = lastYears();
  await page.fill("#from", from);
  await page.fill("#to", to);
  await page.click("#stats-apply");
  await page.waitForSelector("#stats-state");
  // Charts are drawn from their JSON; each has its table.
  for (const id of ["funnel", "cases", "victims", "sources"]) {
    await page.waitForSelector(`#chart-${id}[data-drawn="true"]`);
    assert.ok(await page.locator(`#table-${id} tbody tr`).count() > 0, `table ${id}`);
  }
  const funnel = await page.textContent("#table-funnel");
  assert.match(funnel, /Trafficking in persons/);
  assert.match(funnel, /Smuggling of migrants/);
  // No names anywhere on the page: counts only.
  const body = await page.textContent("main");
  assert.doesNotMatch(body, /Asif Butt|Kaneez/);
  // A download of a chart's table.
  const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#csv-cases")]);
  assert.match(csv.suggestedFilename(), /^nigehban-cases-.*\.csv$/);
  const [xlsx] = await Promise.all([page.waitForEvent("download"), page.click("#xlsx-sources")]);
  assert.match(xlsx.suggestedFilename(), /\.xlsx$/);

  // A period that ends before it starts is a located error, not a crash.
  await page.fill("#from", "2025-06-01");
  await page.fill("#to", "2025-01-01");
  await page.click("#stats-apply");
  await page.waitForSelector("#form-errors");
  assert.match(await page.textContent("#form-errors"), /To/);

  // The explorer: victims by form of exploitation and sex.
  await page.goto(`${server.url}/statistics/explore`);
  await page.selectOption("#measure", "victims");
  await page.fill("#from", from);
  await page.fill("#to", to);
  await page.selectOption("#group1", "form");
  await page.selectOption("#group2", "sex");
  await page.click("#explore-run");
  await page.waitForSelector("#table-explore", { state: "attached" });
  assert.ok(await page.locator("#table-explore tbody tr").count() > 0);
  await page.waitForSelector('#chart-explore[data-drawn="true"]');
  assert.deepEqual(pageErrors, []);
});

test("the US TIP report prints and downloads; the same in Urdu", async () => {
  const page = await pageAs("analyst");
  await page.click("#nav-reports");
  const y = new Date().getUTCFullYear();
  await page.fill("#period-us_tip", String(y));
  await page.click("#open-us_tip");
  await page.waitForSelector("#report");
  const text = await page.textContent("#report");
  assert.match(text, /Investigations \(cases registered\) under each law/);
  assert.match(text, /PTPA/);
  const [xlsx] = await Promise.all([page.waitForEvent("download"), page.click("#report-xlsx")]);
  assert.match(xlsx.suggestedFilename(), /^nigehban-us_tip-.*\.xlsx$/);
  // The print stylesheet hides the menus and links.
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.isVisible("header.top"), false);
  assert.equal(await page.isVisible("#report-xlsx"), false);
  await page.emulateMedia({ media: "screen" });

  await page.click("#lang-switch");
  await page.waitForSelector("html[lang=ur]");
  assert.equal(await page.getAttribute("html", "dir"), "rtl");
  assert.match(await page.textContent("h1"), /امریکی/);
  await page.goto(`${server.url}/statistics`);
  await page.waitForSelector('#chart-funnel[data-drawn="true"]');
  assert.match(await page.textContent("#block-funnel h2"), /ایف آئی آر/);
  assert.deepEqual(pageErrors, []);
});

test("a supervisor counts only their unit; an investigator has no statistics", async () => {
  const sup = await pageAs("supervisor");
  await sup.goto(`${server.url}/statistics?place=province:SD`);
  await sup.waitForSelector("#form-errors");
  assert.match(await sup.textContent("#form-errors"), /outside what you may see/);
  const inv = await pageAs("investigator");
  assert.equal(await inv.locator("#nav-statistics").count(), 0);
  const r = await inv.goto(`${server.url}/statistics`);
  assert.equal(r.status(), 403);
});
