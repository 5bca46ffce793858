// Data exchange, as issue 6 asks: the Lahore supervisor exports the unit's cases in the Human
// Trafficking Case Data Standard, imports an NGO's HTCDS sheet (the value Nigehban has no field
// for is listed and kept; the same file again adds nothing; a sheet with a foreign column is
// refused with the column named), and the analyst releases the anonymised CTDC table, which is
// refused when a group would be smaller than k. In English and Urdu.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launchBrowser, signIn } from "./harness.mjs";

let server;
let browser;
const pageErrors = [];
const FIXTURE = new URL("../fixtures/htcds-ngo.csv", import.meta.url).pathname;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  assert.deepEqual(pageErrors, []);
});

async function pageAs(username) {
  const context = await browser.newContext({ locale: "en-GB", acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await signIn(page, server, username);
  return page;
}

test("the supervisor exports HTCDS and imports an NGO's sheet once", async () => {
  const page = await pageAs("supervisor");
  await page.click("#nav-exchange");
  assert.match(await page.textContent("h1"), /Data exchange/);
  await page.fill("#f-from", "2000-01-01");
  await page.selectOption("#f-format", "csv");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#htcds-export")]);
  const csv = readFileSync(await download.path(), "utf8");
  assert.match(csv.split("\n")[0], /cas_Id,.*prs_FirstName/);
  assert.ok(csv.split("\n").length > 2, "the unit's cases are in the file");

  await page.setInputFiles("#f-file", FIXTURE);
  await page.click("#htcds-import");
  assert.match(await page.textContent("#import-summary"), /case\(s\) imported: 1 \(FIA-AHTC-LHE-/);
  const unmapped = await page.textContent("#import-unmapped");
  assert.match(unmapped, /prs_MaritalStatus/);
  assert.match(unmapped, /Single/);
  await page.setInputFiles("#f-file", FIXTURE);
  await page.click("#htcds-import");
  assert.match(await page.textContent("#import-summary"), /nothing new/);

  const dir = mkdtempSync(join(tmpdir(), "htcds-"));
  const bad = join(dir, "bad.csv");
  writeFileSync(bad, "cas_Id,Remarks\nK-9,call back\n");
  await page.setInputFiles("#f-file", bad);
  await page.click("#htcds-import");
  assert.match(await page.textContent("#import-summary"), /nothing was imported/);
  assert.match(await page.textContent("#import-problems"), /B \(Remarks\)/);

  // A period that ends before it starts is refused next to its field.
  await page.goto(`${server.url}/exchange/htcds/export?from=2025-12-31&to=2025-01-01&format=csv`);
  assert.match(await page.textContent("#form-errors"), /To \(offence date\)/);
});

test("the analyst releases the CTDC table only when it is k-anonymous", async () => {
  const page = await pageAs("analyst");
  await page.click("#nav-exchange");
  assert.equal(await page.locator("#htcds-export-form").count(), 0, "no HTCDS for analysts");
  await page.fill("#c-from", "2000-01-01");
  await page.fill("#c-k", "5");
  await page.click("#ctdc-release");
  const result = await page.textContent("#ctdc-result");
  assert.match(result, /Released \d+ of \d+ victims at k = 5/);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#ctdc-download")]);
  const release = readFileSync(await download.path(), "utf8");
  assert.match(release.split("\n")[0], /gender,ageBroad,citizenship,CountryOfExploitation/);
  assert.doesNotMatch(release, /FIA-|\d{5}-\d{7}-\d/);

  // Without suppression and with a k no group reaches: refused, no download offered.
  await page.fill("#c-from", "2000-01-01");
  await page.fill("#c-k", "1000");
  await page.uncheck("#c-suppress");
  await page.click("#ctdc-release");
  assert.match(await page.textContent("#ctdc-result"), /Not released: a group of \d+ victims/);
  assert.equal(await page.locator("#ctdc-download").count(), 0);

  await page.goto(`${server.url}/lang?to=ur&next=/exchange`);
  assert.equal(await page.getAttribute("html", "dir"), "rtl");
  assert.match(await page.textContent("h1"), /ڈیٹا کا تبادلہ/);
});
