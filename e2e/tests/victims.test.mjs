// Victim protection, as issue 7's "done when" asks: an intake officer at Karachi seaport
// identifies a girl of fifteen as a victim, assesses her needs, records her guardian's consent
// (per field and per recipient), and refers her to a shelter and to legal aid; the shelter, signed
// in as its own user, sees only the fields consented for it, accepts and records the service; the
// manager's measures count it. The steps run in order; each user has a browser context of their own.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, signIn } from "./harness.mjs";

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
let server;
let browser;
const pages = {};
const pageErrors = [];
const state = {};

async function pageFor(username) {
  const context = await browser.newContext({ locale: "en-GB", acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await signIn(page, server, username);
  return page;
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  pages.intake = await pageFor("intake.khi");
  pages.shelter = await pageFor("shelter.khi");
  pages.manager = await pageFor("supervisor");
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const daysAgo = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

async function sheltersCounted() {
  const page = pages.manager;
  await page.goto(`${server.url}/measures`);
  const row = page.locator("#table-services tr", { hasText: "Shelter" });
  return (await row.count()) ? Number((await row.locator("td").textContent()).trim()) : 0;
}

test("the manager's measures before", async () => {
  state.sheltersBefore = await sheltersCounted();
  assert.ok(await pages.manager.isVisible("#table-by-status"), "the demo's referrals are counted");
});

test("an intake officer identifies a girl of fifteen as a victim", async () => {
  const page = pages.intake;
  await page.goto(`${server.url}/intake`);
  await page.selectOption("#f-kind", "deportation");
  await page.selectOption("#f-post", "KHI-SEAPORT");
  await page.fill("#f-arrival_date", daysAgo(1));
  await page.selectOption("#f-country", "OMN");
  await page.fill("#f-reference", "MV Noor 0911");
  await Promise.all([page.waitForURL(new RegExp(`/intake/batches/${UUID}`)), page.click("#create-batch")]);
  await page.fill("#f-name_roman", "Shazia Parveen");
  await page.fill("#f-parentage_roman", "Ghulam Nabi");
  await page.selectOption("#f-sex", "female");
  await page.fill("#f-estimated_age", "15");
  await Promise.all([page.waitForURL(/\/intake\/entries\/.*msg=added/), page.click("#quick-submit")]);
  await Promise.all([page.waitForURL(new RegExp(`/victims/${UUID}\\?msg=identified`)), page.click("#identify-victim")]);
  state.file = page.url().split("?")[0];
  assert.ok(await page.isVisible("#minor-badge"), "a minor: child-specific handling is flagged");
  assert.match(await page.textContent("#victim-label"), /^P-[A-Z2-9]{5}$/);

  // Needs: safety, health, family.
  await page.check("#ans-in_danger_now-yes");
  await page.check("#ans-injured_or_ill-yes");
  await page.check("#ans-family_involved_in_trafficking-yes");
  await page.fill("#f-note_health", "Bruises on both arms");
  await page.fill("#f-note_family", "Stepfather took money for her");
  await Promise.all([page.waitForURL(/msg=needs/), page.click("#save-needs")]);
});

async function recordConsent(provider, fields) {
  const page = pages.intake;
  await page.$eval("#consent-add", (d) => { d.open = true; });
  await page.selectOption("#f-consent-provider", { label: provider });
  for (const f of fields) await page.check(`#consent-field-${f}`);
  await page.selectOption("#f-given_by", "guardian");
  await page.fill("#f-giver_name", "Nasreen Bibi (mother)");
  await Promise.all([page.waitForURL(/msg=consent/), page.click("#record-consent")]);
}

async function refer(provider, service, fields) {
  const page = pages.intake;
  await page.$eval("#referral-add", (d) => { d.open = true; });
  await page.selectOption("#f-provider", { label: provider });
  await page.selectOption("#f-service", service);
  await page.selectOption("#f-district", "keamari");
  for (const f of fields) await page.check(`#refer-field-${f}`);
  await page.click("#send-referral");
}

test("her guardian's consent is recorded per field and recipient, and she is referred", async () => {
  const page = pages.intake;
  // A child's consent is not hers alone to give.
  await page.$eval("#consent-add", (d) => { d.open = true; });
  await page.selectOption("#f-consent-provider", { label: "Dastak Shelter, Karachi" });
  await page.check("#consent-field-name");
  await page.selectOption("#f-given_by", "self");
  await page.click("#record-consent");
  await page.waitForSelector("#form-errors");
  assert.match(await page.textContent("#form-errors"), /A child's consent is given by a guardian or a child protection officer/);

  await page.goto(state.file);
  await recordConsent("Dastak Shelter, Karachi", ["name", "age", "health"]);
  await recordConsent("Legal Aid Society for Survivors, Karachi", ["name", "age", "legal_status"]);
  assert.equal(await page.locator("#consents tbody tr").count(), 6);

  // Asking to share what she did not consent to is refused, field named, nothing sent.
  await refer("Dastak Shelter, Karachi", "shelter", ["name", "family"]);
  await page.waitForSelector("#form-errors");
  assert.match(await page.textContent("#form-errors"), /has not consented to share “family” with this provider/);
  // A provider that does not offer the service.
  await page.goto(state.file);
  await refer("Legal Aid Society for Survivors, Karachi", "shelter", []);
  await page.waitForSelector("#form-errors");
  assert.match(await page.textContent("#form-errors"), /does not offer “shelter”/);

  await page.goto(state.file);
  await refer("Dastak Shelter, Karachi", "shelter", ["name", "age", "health"]);
  await page.waitForURL(/msg=referred/);
  await refer("Legal Aid Society for Survivors, Karachi", "legal_aid", ["name", "age"]);
  await page.waitForURL(/msg=referred/);
  const rows = page.locator("#file-referrals tbody tr");
  assert.equal(await rows.count(), 2);
  assert.equal(await page.locator("#file-referrals tr[data-status=sent]").count(), 2);
});

test("the shelter sees only the consented fields, accepts and records the service", async () => {
  const page = pages.shelter;
  await page.goto(`${server.url}/referrals`);
  const row = page.locator("#referral-list tbody tr", { hasText: "Shazia Parveen" });
  assert.equal(await row.count(), 1, "the shelter's list names her: she consented to share her name");
  assert.equal(await page.locator("#referral-list tbody tr", { hasText: "Legal aid" }).count(), 0, "not the legal aid referral");
  await Promise.all([page.waitForURL(new RegExp(`/referrals/${UUID}`)), row.locator("a").click()]);
  state.referral = page.url().split("?")[0];
  const fields = await page.locator("#shared-fields tr").evaluateAll((trs) => trs.map((t) => t.dataset.field));
  assert.deepEqual(fields, ["name", "age", "health"], "exactly the fields consented for this shelter");
  const shared = await page.textContent("#shared-fields");
  assert.match(shared, /Shazia Parveen/);
  assert.match(shared, /15/);
  assert.match(shared, /Bruises on both arms/);
  const body = await page.textContent("main");
  for (const never of ["Ghulam Nabi", "Stepfather took money", "In danger now", "Legal status", "Nasreen Bibi"]) {
    assert.ok(!body.includes(never), `the shelter must not see “${never}”`);
  }
  assert.ok(await page.isVisible("#minor-badge"));
  await page.check("#decision-accept");
  await Promise.all([page.waitForURL(/msg=accepted/), page.click("#respond-submit")]);
  await page.fill("#f-service-note", "Bed, meals and clothes; seen by the doctor");
  await Promise.all([page.waitForURL(/msg=service/), page.click("#service-submit")]);
  assert.match(await page.textContent("#services-delivered"), /Shelter/);
  assert.equal(await page.getAttribute("#referral-status", "data-status"), "in_service");
  const history = await page.locator("#referral-history tbody tr").count();
  assert.equal(history, 3, "sent, accepted, receiving services");
  // The file itself is not the shelter's to open.
  const r = await page.goto(state.file);
  assert.ok([403, 404].includes(r.status()), `refused, not shown (${r.status()})`);
});

test("the referring officer sees the answer; the manager's measures count the service", async () => {
  const page = pages.intake;
  await page.goto(state.file);
  assert.equal(await page.locator("#file-referrals tr[data-status=in_service]").count(), 1);
  assert.equal(await sheltersCounted(), state.sheltersBefore + 1);
  const m = pages.manager;
  assert.match(await m.textContent("#table-by-status"), /Receiving services/);
  await m.waitForSelector("#chart-services[data-ready]");
  const csv = await (await m.request.get(`${server.url}/measures/export?format=csv`)).text();
  assert.match(csv, /Services delivered by type,Shelter,\d+/);
  const xlsx = await m.request.get(`${server.url}/measures/export?format=xlsx`);
  assert.equal(xlsx.status(), 200);
  assert.deepEqual(pageErrors, []);
});
