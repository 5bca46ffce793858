// An officer's day, in English and in Urdu: sign in, register a TIP case and a SOM case, add a
// victim and a suspect, move a case to challan, find people by name in either script and by CNIC,
// and get clear errors in the page's language for bad input.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, signIn } from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const today = new Date().toISOString().slice(0, 10);

async function registerCase(page, { title, crime, province, district, date, provision }) {
  await page.click("#nav-new-case");
  await page.fill("#f-title", title);
  await page.check(`input[name=crime_types][value=${crime}]`);
  await page.selectOption("#f-province", province);
  await page.selectOption("#f-district", district);
  await page.fill("#f-offence_date", date);
  // The script shows only the provisions that apply to the crime type and date.
  const box = page.locator(`input[name=provisions][value=${provision}]`);
  await box.waitFor({ state: "visible" });
  await box.check();
  await Promise.all([page.waitForURL(/\/cases\/[0-9a-f-]{36}/), page.click("#register-case")]);
  const number = (await page.textContent("#case-number")).trim();
  assert.match(number, /^FIA-AHTC-LHE-\d{4}-\d{6}$/);
  return { number, url: page.url().split("?")[0] };
}

async function addPerson(page, caseUrl, fields, { serverChecksOnly = false } = {}) {
  await page.goto(`${caseUrl}/persons/new`);
  // The browser's own checks (required, max date) come first; to test the server's checks as an
  // old browser or a hand-made request would meet them, they can be switched off.
  if (serverChecksOnly) await page.$eval("#person-form", (f) => { f.noValidate = true; });
  await page.selectOption("#f-role", fields.role);
  if (fields.chain) await page.selectOption("#f-chain_role", fields.chain);
  for (const [id, value] of Object.entries(fields.text || {})) await page.fill(`#f-${id}`, value);
  for (const [id, value] of Object.entries(fields.select || {})) await page.selectOption(`#f-${id}`, value);
  await page.click("#add-person-submit");
}

for (const lang of ["en", "ur"]) {
  test(`an officer registers, builds and moves cases (${lang})`, async () => {
    const context = await browser.newContext({ locale: "en-GB" });
    const page = await context.newPage();
    const pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    await signIn(page, server);
    if (lang === "ur") {
      await page.click("#lang-switch");
    }
    const html = page.locator("html");
    assert.equal(await html.getAttribute("lang"), lang);
    assert.equal(await html.getAttribute("dir"), lang === "ur" ? "rtl" : "ltr");
    if (lang === "ur") {
      // The Nastaliq font is served by Nigehban itself and used for Urdu text.
      await page.evaluate(() => document.fonts.ready);
      const loaded = await page.evaluate(() => document.fonts.check('17px "Noto Nastaliq Urdu"', "نگہبان"));
      assert.ok(loaded, "Nastaliq font loaded");
      assert.match(await page.textContent("nav"), /مقدم/);
    }

    // A trafficking case and a smuggling case, each with provisions that fit.
    const tip = await registerCase(page, {
      title: `Girls sold for domestic work (${lang})`, crime: "tip", province: "PB", district: "lahore",
      date: "2025-02-14", provision: "PTPA-2018-S3",
    });
    assert.ok(await page.isVisible(".flash"));
    const som = await registerCase(page, {
      title: `Boat intercepted off Jiwani (${lang})`, crime: "som", province: "BA", district: "gwadar",
      date: "2025-05-02", provision: "PSMA-2018-S3",
    });
    assert.notEqual(tip.number, som.number);
    // Every message is filled in: no Fluent placeholder ever reaches the page.
    assert.doesNotMatch(await page.content(), /\{\s*\$/);

    // A victim (Urdu and Roman names, CNIC) and a suspect with a chain role.
    const cnic = lang === "en" ? "32304-7654321-2" : "32304-7654323-4";
    await addPerson(page, tip.url, {
      role: "victim",
      text: { name_roman: `Shazia Bibi ${lang}`, name_urdu: "شازیہ بی بی", parentage_roman: "Allah Ditta", estimated_age: "16", cnic },
      select: { sex: "female", parentage_relation: "daughter_of", origin_district: "muzaffargarh" },
    });
    await page.waitForURL(/msg=person-added/);
    await addPerson(page, tip.url, {
      role: "suspect", chain: "main_agent",
      text: { name_roman: "Muhammad Arshad", name_urdu: "محمد ارشد", phone: "0301-7654321" },
      select: { sex: "male" },
    });
    await page.waitForURL(/msg=person-added/);
    // The victim appears by pseudonym; the suspect by name.
    const persons = await page.textContent("#case-persons");
    assert.doesNotMatch(persons, /Shazia Bibi/);
    assert.doesNotMatch(persons, /شازیہ بی بی/);
    assert.match(persons, /P-[A-Z2-9]{5}/);
    assert.match(persons, /Muhammad Arshad/);

    // Move the TIP case: complaint -> FIR -> investigation -> challan.
    for (const stage of ["fir", "investigation", "challan"]) {
      await page.selectOption("#f-to", stage);
      if (stage === "fir") await page.fill("#f-reference", "FIR 45/2025 PS Kot Lakhpat");
      await Promise.all([page.waitForURL(/msg=moved/), page.click("#move-case")]);
      assert.equal(await page.getAttribute("#case-stage", "data-stage"), stage);
    }
    assert.equal(await page.locator("#case-history li").count(), 3);
    assert.doesNotMatch(await page.content(), /\{\s*\$/);

    // Find the victim by Urdu name and by CNIC: the result shows the pseudonym, not the name.
    await page.goto(`${server.url}/search?q=${encodeURIComponent("شازیہ")}`);
    assert.match(await page.textContent("#person-results"), /P-[A-Z2-9]{5}/);
    await page.goto(`${server.url}/search?q=${encodeURIComponent(cnic)}`);
    const results = await page.textContent("#person-results");
    assert.doesNotMatch(results, /Shazia/);
    await page.click("#person-results a");
    assert.ok(await page.isVisible("#protected-notice"), "victims are marked protected");
    assert.ok(await page.isVisible("#pseudonym-notice"));
    assert.doesNotMatch(await page.textContent("main"), /Shazia|32304/);

    // Revealing the identity asks for a reason, then shows it and records who asked and why.
    await page.click("#reveal summary");
    await page.$eval("#reveal-form", (f) => { f.noValidate = true; });
    await page.click("#reveal-submit");
    assert.ok(await page.isVisible("#form-errors"), "a reason is required");
    await page.fill("#f-reason", `Recording her statement before the magistrate (${lang})`);
    await page.click("#reveal-submit");
    await page.waitForSelector("#person-reveals");
    assert.match(await page.textContent("#person-name"), new RegExp(`Shazia Bibi ${lang}`));
    assert.match(await page.textContent("#person-identifiers"), new RegExp(cnic));
    assert.match(await page.textContent("#person-reveals"), /magistrate/);

    await page.goto(`${server.url}/search?q=${tip.number}`);
    assert.match(await page.textContent("main"), new RegExp(tip.number));

    // Bad input: clear errors in the page's language, and nothing typed is lost.
    await addPerson(page, som.url, {
      role: "smuggled_migrant",
      text: { name_roman: "Bilal Ahmed", cnic: "35202-123456-1", date_of_birth: "2090-01-01" },
      select: { sex: "male" },
    }, { serverChecksOnly: true });
    const errors = await page.textContent("#form-errors");
    if (lang === "en") {
      assert.match(errors, /A CNIC has 13 digits/);
      assert.match(errors, /This date is in the future/);
    } else {
      assert.match(errors, /[\u0600-\u06FF]/);
      assert.doesNotMatch(errors, /A CNIC has 13 digits/);
    }
    assert.equal(await page.inputValue("#f-name_roman"), "Bilal Ahmed");
    assert.equal(await page.inputValue("#f-cnic"), "35202-123456-1");

    await page.screenshot({ path: `test-results/case-${lang}.png`, fullPage: true });
    assert.deepEqual(pageErrors, []);
    await context.close();
  });
}

test("a browser that prefers Urdu gets Urdu from the first page", async () => {
  const context = await browser.newContext({ locale: "ur-PK" });
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  assert.equal(await page.getAttribute("html", "dir"), "rtl");
  assert.match(await page.textContent("h1"), /[\u0600-\u06FF]/);
  await context.close();
});

test("the core path works without JavaScript", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, server);
  await page.goto(`${server.url}/cases/new`);
  await page.fill("#f-title", "Brick kiln family held for debt (no script)");
  await page.check("input[name=crime_types][value=tip]");
  await page.selectOption("#f-province", "PB");
  await page.selectOption("#f-district", "kasur");
  await page.fill("#f-offence_date", "2024-11-30");
  // Without the script, the officer asks the server for the matching provisions.
  await page.click("#refresh-provisions");
  assert.equal(await page.inputValue("#f-title"), "Brick kiln family held for debt (no script)");
  const box = page.locator("input[name=provisions][value=PTPA-2018-S3]");
  assert.ok(await box.isVisible());
  assert.ok(!(await page.locator("input[name=provisions][value=PACHTO-2002-S3]").isVisible()), "repealed law is not offered");
  await box.check();
  await Promise.all([page.waitForURL(/\/cases\/[0-9a-f-]{36}/), page.click("#register-case")]);
  assert.match(await page.textContent("#case-number"), /^FIA-AHTC-LHE-/);
  await context.close();
});

test("a victim's record is not reachable from another agency or role", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, server);
  await page.goto(`${server.url}/search?q=${encodeURIComponent("شازیہ")}`);
  const href = await page.getAttribute("#person-results a", "href");
  assert.match(href, /^\/persons\//);
  // And a suspect's record, and the case holding both.
  await page.goto(`${server.url}/search?q=${encodeURIComponent("Muhammad Arshad")}`);
  const suspectHref = await page.getAttribute("#person-results a", "href");
  await page.click("#person-results a");
  const caseHref = await page.getAttribute("#person-cases a", "href");
  const suspectId = suspectHref.split("/").pop();
  const caseId = caseHref.split("/").pop();
  await context.clearCookies();
  await signIn(page, server, "ngo.worker");
  const resp = await page.goto(`${server.url}${href}`);
  assert.equal(resp.status(), 403);
  assert.doesNotMatch(await page.textContent("body"), /Shazia|شازیہ/);
  const urls = ["/cases", "/search?q=Shazia", "/search?q=Arshad", `/api/v1/persons?q=Shazia`, `/api/v1/persons?q=Arshad`,
    suspectHref, `/api/v1/persons/${suspectId}`, caseHref, `/api/v1/cases/${caseId}`, `${caseHref}/persons/new`, `/api/v1/cases?q=Arshad`];
  for (const path of urls) {
    const r = await page.goto(`${server.url}${path}`);
    assert.ok([403, 404].includes(r.status()), `${path}: ${r.status()}`);
    assert.doesNotMatch(await page.textContent("body"), /Shazia|شازیہ|Arshad|ارشد/);
  }
  await context.clearCookies();
  await signIn(page, server, "police.ryk");
  const resp2 = await page.goto(`${server.url}${href}`);
  assert.equal(resp2.status(), 404);
  assert.doesNotMatch(await page.textContent("body"), /Shazia/);
  // Another FIA unit does not see a Lahore victim either: need to know is per unit.
  await context.clearCookies();
  await signIn(page, server, "inv.karachi");
  const resp3 = await page.goto(`${server.url}${href}`);
  assert.equal(resp3.status(), 404);
  await context.close();
});

test("the reveal shows up in the auditor's log", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, server, "auditor");
  await page.goto(`${server.url}/audit`);
  assert.match(await page.textContent("#chain-status"), /intact/);
  assert.match(await page.textContent("main"), /identity\.reveal/);
  // The NGO worker's and the other agency's attempts to open the victim's record raised an alert.
  const alerts = await page.textContent("#alert-list");
  assert.match(alerts, /ngo\.worker|police\.ryk/);
  await page.fill("#alert-list form.ack input[name=comment]", "Checked: test activity");
  await page.click("#alert-list form.ack button");
  assert.match(await page.textContent("#alert-list"), /Checked: test activity/);
  // Filter the review by action.
  await page.fill("#f-action", "identity.reveal");
  await page.click("#audit-filter button");
  const rows = await page.locator("#audit-entries tr").count();
  assert.ok(rows >= 2, `reveals listed: ${rows}`);
  assert.doesNotMatch(await page.textContent("#audit-entries"), /case\.view/);
  await context.close();
});

test("an administrator adds an officer of their agency, who signs in", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, server, "admin");
  await page.click("#nav-users");
  assert.match(await page.textContent("#user-list"), /investigator/);
  assert.doesNotMatch(await page.textContent("#user-list"), /police\.ryk/, "only the own agency's users");
  await page.fill("#f-username", "new.officer");
  await page.fill("#f-display_name", "ASI Naveed Akhtar");
  await page.selectOption("#f-role", "intake_officer");
  await page.selectOption("#f-unit", "FIA-IMM-ISB-AIRPORT");
  await page.click("#add-user-submit");
  const notice = await page.textContent("#admin-notice");
  const password = notice.match(/([A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4})/)[1];
  await context.clearCookies();
  await page.goto(`${server.url}/login`);
  await page.fill("#f-username", "new.officer");
  await page.fill("#f-password", password);
  await Promise.all([page.waitForURL((u) => u.pathname === "/"), page.click("button[type=submit]")]);
  assert.match(await page.textContent("header"), /ASI Naveed Akhtar/);
  await context.close();
});
