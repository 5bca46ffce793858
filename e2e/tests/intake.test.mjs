// Mass intake at Karachi seaport, as issue 4 asks: an intake officer imports the list sent with a
// deportation from Oman, then the list of a handover from Iran that repeats two of the deportees
// and has an Afghan passport among the "Pakistanis"; works through the flags; interviews a woman
// trafficked for domestic work (referred to a shelter), a man smuggled through Iran and Turkey to
// Greece (a new smuggling case with his agent as suspect) and a man with nothing to report
// (released); exports the batch report; loses nothing typed on a reload; and reads the batch in Urdu.
//
// The tests below run in order and share one signed-in page: each step builds on the one before.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startServer, launchBrowser, signIn } from "./harness.mjs";

const fixture = (name) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

let server;
let browser;
let context;
let page;
const pageErrors = [];
// Filled in as the steps go.
const state = {};

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  context = await browser.newContext({ locale: "en-GB", acceptDownloads: true });
  page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await signIn(page, server, "intake.khi");
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

const daysAgo = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

async function createBatch({ kind, post, country, date, reference }) {
  await page.goto(`${server.url}/intake`);
  await page.selectOption("#f-kind", kind);
  await page.selectOption("#f-post", post);
  await page.fill("#f-arrival_date", date);
  await page.selectOption("#f-country", country);
  await page.fill("#f-reference", reference);
  await Promise.all([page.waitForURL(new RegExp(`/intake/batches/${UUID}\\?msg=created`)), page.click("#create-batch")]);
  assert.ok(await page.isVisible(".flash"), "the batch is created");
  return page.url().split("?")[0];
}

async function uploadManifest(batchUrl, file) {
  await page.goto(batchUrl);
  await page.setInputFiles("#f-file", fixture(file));
  await Promise.all([page.waitForSelector("#import-summary"), page.click("#upload-submit")]);
  return (await page.textContent("#import-summary")).trim();
}

async function counts() {
  const n = async (id) => Number((await page.textContent(id)).trim());
  return { done: await n("#count-done"), pending: await n("#count-pending"), flagged: await n("#count-flagged") };
}

// The batch's row for a person (by name), on the page shown.
const rowOf = (name) => page.locator("#entries tbody tr", { hasText: name });

async function openEntry(batchUrl, name) {
  await page.goto(`${batchUrl}?show=all`);
  await Promise.all([page.waitForURL(new RegExp(`/intake/entries/${UUID}`)), rowOf(name).locator("a").first().click()]);
  assert.match(await page.textContent("#person-card"), new RegExp(name));
  return page.url().split("?")[0].split("#")[0];
}

async function completeInterview() {
  await Promise.all([page.waitForURL(/msg=interviewed/), page.click("#complete-interview")]);
  await page.waitForSelector("#assessment");
  return (await page.textContent("#suggestion")).trim();
}

async function recordOutcome({ decision, outcome, service, organisation, chainRole }) {
  await page.check(`input[name=decision][value=${decision}]`);
  await page.selectOption("#f-outcome", outcome);
  if (service) await page.selectOption("#f-service", service);
  if (organisation) await page.fill("#f-organisation", organisation);
  if (chainRole) await page.selectOption("#f-chain_role", chainRole);
  await Promise.all([page.waitForURL(/\/intake\/batches\/.*msg=outcome/), page.click("#record-outcome")]);
}

test("an intake officer imports the list of a deportation from Oman", async () => {
  state.oman = await createBatch({ kind: "deportation", post: "KHI-SEAPORT", country: "OMN", date: daysAgo(20), reference: "MV Al Salam 0412" });
  const summary = await uploadManifest(state.oman, "intake_oman_deportation.csv");
  assert.match(summary, /intake_oman_deportation\.csv: 6 persons added/);
  assert.match(summary, /0 rows refused/);
  await page.click("#back-to-batch");
  await page.waitForSelector("#entries");
  assert.equal(await page.locator("#entries tbody tr").count(), 6);
  const c = await counts();
  assert.equal(c.done, 0);
  assert.equal(c.pending, 6);
  assert.match(await page.textContent("#entries"), /Nasreen Akhtar/);
  assert.match(await page.textContent("#entries"), /KB4471906/);

  // The same file again adds nobody twice.
  const again = await uploadManifest(state.oman, "intake_oman_deportation.csv");
  assert.match(again, /already imported/);

  // A list with a formula in a name is refused whole (all or nothing), the problem located.
  const refused = await uploadManifest(state.oman, "intake_oman_formula_row.csv");
  assert.match(refused, /1 of 2 rows have errors, so nothing was imported/);
  const problem = page.locator("#import-problems tbody tr.error").first();
  assert.deepEqual(
    (await problem.locator("td").allTextContents()).slice(1, 3).map((t) => t.trim()),
    ["3", "B"],
  );
  assert.match(await problem.textContent(), /intake_oman_formula_row\.csv, row 3, column B \(Name\): Starts with “=”, which a spreadsheet would run as a formula/);
  await page.goto(state.oman);
  assert.equal(await page.locator("#entries tbody tr").count(), 6);

  // A name typed with a stray leading hyphen is refused at the field, everything typed kept.
  await page.goto(state.oman);
  await page.fill("#f-name_roman", "-Rashid Minhas");
  await page.fill("#f-parentage_roman", "Minhas Ali");
  await page.selectOption("#f-sex", "male");
  await page.fill("#f-cnic", "42201-7783162-3");
  await page.click("#quick-submit");
  await page.waitForSelector("#form-errors");
  assert.match(await page.textContent("#form-errors"), /Name/);
  assert.equal(await page.inputValue("#f-name_roman"), "-Rashid Minhas");
  // Persons on no list are added by hand.
  for (const [name, father, cnic] of [["Abdul Qayyum", "Abdul Hameed", "42101-3345671-9"], ["Rashid Minhas", "Minhas Ali", "42201-7783162-3"]]) {
    await page.goto(state.oman);
    await page.fill("#f-name_roman", name);
    await page.fill("#f-parentage_roman", father);
    await page.selectOption("#f-sex", "male");
    await page.fill("#f-cnic", cnic);
    await Promise.all([page.waitForURL(/\/intake\/entries\/.*msg=added/), page.click("#quick-submit")]);
    assert.match(await page.textContent("#person-card"), new RegExp(name));
  }
  await page.goto(state.oman);
  assert.equal(await page.locator("#entries tbody tr").count(), 8);
  assert.equal((await counts()).pending, 8);
  // Exported again, no cell of the report is one a spreadsheet would run.
  const report = await (await page.request.get(`${state.oman}/report.csv`)).text();
  assert.match(report, /Rashid Minhas/);
  assert.doesNotMatch(report, /(^|,)"?[=+\-@]/m);
});

test("a handover from Iran: repeat deportees and an Afghan passport are flagged with reasons", async () => {
  state.iran = await createBatch({ kind: "handover", post: "KHI-SEAPORT", country: "IRN", date: daysAgo(2), reference: "Taftan handover 17/2025" });
  const summary = await uploadManifest(state.iran, "intake_iran_handover.csv");
  assert.match(summary, /6 persons added \(2 already on record\)/);
  assert.match(summary, /2 to screen as possible victims/);
  await page.click("#back-to-batch");
  await page.waitForSelector("#batch-progress");
  const c = await counts();
  assert.equal(c.pending, 6);
  assert.ok(c.flagged >= 3, `at least the two repeats and the Afghan passport are flagged (${c.flagged})`);

  // Only flagged persons under "Flagged"; each flag has a badge and its reasons.
  await Promise.all([page.waitForURL(/show=flagged/), page.click("#show-flagged")]);
  assert.equal(await page.locator("#entries tbody tr").count(), c.flagged);
  for (const name of ["Nasreen Akhtar", "Muhammad Tariq"]) {
    const row = rowOf(name);
    assert.equal(await row.count(), 1, `${name} is flagged`);
    const repeat = row.locator(".badge.flag-repeat-encounter");
    assert.equal((await repeat.textContent()).trim(), "Returned before");
    assert.match(await repeat.getAttribute("title"), /Deported, offloaded or intercepted 1 time\(s\) before.*Never a reason to charge/);
    assert.equal((await row.locator(".badge.flag-same-identifier").textContent()).trim(), "Same document");
    assert.match(await row.locator(".badge.flag-same-identifier").getAttribute("title"), /same passport/i);
  }
  const afghan = rowOf("Gul Agha").locator(".badge.flag-nationality-doubt");
  assert.equal((await afghan.textContent()).trim(), "Nationality doubt");
  assert.match(await afghan.getAttribute("title"), /Claims to be Pakistani but holds a passport of Afghanistan/);

  // A flagged entry: the reasons in full, with a link to the earlier record, and the banner.
  await Promise.all([page.waitForURL(new RegExp(`/intake/entries/${UUID}`)), rowOf("Gul Agha").locator("a").first().click()]);
  assert.match(await page.textContent("#flags"), /Nationality doubt: .*passport of Afghanistan/);
  assert.equal(await page.isVisible("#victim-screening"), false, "no earlier encounter, no victim-screening banner");
  await page.goto(`${state.iran}?show=flagged`);
  await Promise.all([page.waitForURL(new RegExp(`/intake/entries/${UUID}`)), rowOf("Nasreen Akhtar").locator("a").first().click()]);
  assert.match(await page.textContent("#victim-screening"), /Returned before: interview as a possible victim of trafficking/);
  const flags = await page.textContent("#flags");
  assert.match(flags, /Returned before: .*\(Deportation; last/);
  assert.match(flags, /Same document: Record P-[A-Z2-9]{5} .*same passport/i);
  assert.equal(await page.locator("#flags a[href^='/persons/']").count(), 1, "a link to the record already held");
});

test("person A: a woman recruited by deception for domestic work is referred to a shelter", async () => {
  state.entryA = await openEntry(state.iran, "Nasreen Akhtar");
  assert.ok(await page.isVisible("#victim-screening"));
  await page.selectOption("#f-origin_district", "sialkot");
  await page.selectOption("#f-destination_country", "OMN");
  await page.check("input[name=mode][value=air]");
  for (const code of ["recruitment", "transportation", "deception", "purpose_domestic_servitude", "ilo_retention_of_documents"]) {
    await page.check(`#ind-${code}`);
  }
  await page.check("input[name=crossed_border][value=yes]");
  await page.check("input[name=consented][value=yes]");
  await page.fill("#f-notes", "Promised a job as a nurse in Muscat; kept as a maid without pay, passport taken by the employer.");
  const suggestion = await completeInterview();
  assert.match(suggestion, /trafficking/i);
  assert.doesNotMatch(suggestion, /smuggling/i);
  // Consent is irrelevant to trafficking, and the reasons say so in plain words.
  const reasons = await page.textContent("#assessment");
  assert.match(reasons, /act, the purpose and, for an adult, the means are all shown/);
  // The officer's decision is preselected from the suggestion.
  assert.ok(await page.isChecked("input[name=decision][value=trafficking]"));

  const before = await (async () => { await page.goto(state.iran); return counts(); })();
  await page.goto(state.entryA);
  await recordOutcome({ decision: "trafficking", outcome: "referred", service: "shelter", organisation: "NGO-DASTAK-LHE" });
  const after = await counts();
  assert.equal(after.done, before.done + 1);
  assert.equal(after.pending, before.pending - 1);
  await page.goto(state.entryA);
  assert.match(await page.textContent("#outcome-done"), /Decision: Trafficking in persons\. Outcome: Referred to services\./);
  assert.equal(await page.isVisible("#interview-form"), false, "a done entry is not interviewed again");
});

test("person B: smuggled through Iran and Turkey to Greece; a smuggling case names his agent", async () => {
  state.entryB = await openEntry(state.iran, "Muhammad Tariq");
  await page.selectOption("#f-origin_district", "gujranwala");
  await page.selectOption("#f-exit_point", "TAFTAN");
  await page.selectOption("#f-transit_countries", ["IRN", "TUR"]);
  await page.fill("#f-transit_places", "Mirjaveh, Tehran, Van");
  await page.selectOption("#f-destination_country", "GRC");
  await page.check("input[name=mode][value=land]");
  await page.fill("#f-departure_date", daysAgo(60));
  await page.fill("#f-apprehension_date", daysAgo(10));
  await page.fill("#f-payments-0-amount", "25 lakh");
  await page.selectOption("select[name='payments[0].currency']", "PKR");
  await page.fill("input[name='payments[0].paid_to']", "Bashir Ahmad");
  await page.selectOption("select[name='payments[0].method']", "hawala");
  await page.fill("#f-agents-0-name", "Bashir Ahmad");
  await page.fill("input[name='agents[0].phone']", "0300-1234567");
  await page.fill("input[name='agents[0].place']", "Gujranwala");
  await page.selectOption("select[name='agents[0].chain_role']", "main_agent");
  await page.check("input[name=crossed_border][value=yes]");
  await page.check("input[name=irregular_crossing][value=yes]");
  await page.check("input[name=benefit_to_facilitator][value=yes]");
  await page.check("input[name=consented][value=yes]");
  await page.check("input[name=exploited_en_route][value=no]");
  const suggestion = await completeInterview();
  assert.match(suggestion, /smuggling/i);
  assert.doesNotMatch(suggestion, /trafficking/i);
  assert.match(await page.textContent("#assessment"), /international border crossing .* all three were recorded/);

  await recordOutcome({ decision: "smuggling", outcome: "victim_in_case" });
  assert.ok((await counts()).done >= 2);
  await page.goto(state.entryB);
  assert.match(await page.textContent("#outcome-done"), /Decision: Smuggling of migrants\. Outcome: Victim in a case\./);
  await Promise.all([page.waitForURL(new RegExp(`/cases/${UUID}`)), page.click("#outcome-case")]);
  state.caseNumber = (await page.textContent("#case-number")).trim();
  assert.match(state.caseNumber, /^FIA-IMM-KHI-SEAPORT-\d{4}-\d{6}$/);
  assert.match(await page.textContent("#case-crime-types"), /Smuggling of migrants/);
  assert.doesNotMatch(await page.textContent("#case-crime-types"), /Trafficking/);
  const agent = page.locator("#case-persons tbody tr", { hasText: "Bashir Ahmad" });
  assert.equal(await agent.count(), 1, "the agent named in the interview is in the case");
  assert.match(await agent.textContent(), /Suspect \(Main agent\)/);
  // The migrant himself is in the case as a smuggled migrant (shown by pseudonym, being protected).
  assert.match(await page.textContent("#case-persons"), /Smuggled migrant/);
});

test("person C: nothing indicates trafficking or smuggling, and he is released", async () => {
  // Keyboard first: Alt+N from the batch opens the next person to process (No. 3, the Afghan
  // passport, still pending), Alt+N again the one after, and Ctrl+Enter completes the interview.
  await page.goto(state.iran);
  await Promise.all([page.waitForURL(new RegExp(`/intake/entries/${UUID}`)), page.keyboard.press("Alt+N")]);
  assert.match(await page.textContent("h1"), /No\. 3: Gul Agha/);
  const gulAgha = page.url();
  await Promise.all([page.waitForURL((u) => u.href !== gulAgha), page.keyboard.press("Alt+N")]);
  assert.match(await page.textContent("h1"), /No\. 4: Waseem Abbas/);
  state.entryC = page.url().split("?")[0];
  await page.check("input[name=crossed_border][value=no]");
  await Promise.all([page.waitForURL(/msg=interviewed/), page.keyboard.press("Control+Enter")]);
  await page.waitForSelector("#assessment");
  const suggestion = (await page.textContent("#suggestion")).trim();
  assert.match(suggestion, /neither|Not enough facts/i);
  await recordOutcome({ decision: "neither", outcome: "released" });
  const c = await counts();
  assert.equal(c.done, 3);
  assert.equal(c.pending, 3);
  await page.goto(state.entryC);
  assert.match(await page.textContent("#outcome-done"), /Decision: Neither\. Outcome: Released\./);
  assert.equal(await page.locator("#outcome-case").count(), 0, "release opens no case");

  // On the batch, "Done" lists exactly the three, each with who processed them.
  await page.goto(`${state.iran}?show=done`);
  assert.equal(await page.locator("#entries tbody tr").count(), 3);
  for (const name of ["Nasreen Akhtar", "Muhammad Tariq", "Waseem Abbas"]) {
    assert.match(await rowOf(name).textContent(), /intake\.khi|Zubair Baloch/);
  }
});

test("the batch report lists every person with the outcome recorded", async () => {
  await page.goto(state.iran);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#report-csv")]);
  assert.match(download.suggestedFilename(), /^batch-KHI-SEAPORT-\d{4}-\d{2}-\d{2}\.csv$/);
  const path = await download.path();
  const csv = readFileSync(path, "utf8");
  const lines = csv.replace(/^\uFEFF/, "").trim().split(/\r?\n/);
  assert.equal(lines.length, 7, "a header and six persons");
  assert.match(lines[0], /Name/);
  const line = (name) => lines.find((l) => l.includes(name)) || "";
  for (const name of ["Nasreen Akhtar", "Muhammad Tariq", "Gul Agha", "Waseem Abbas", "Shahbaz Ahmed", "Imtiaz Hussain"]) {
    assert.ok(line(name), `${name} is in the report`);
  }
  assert.match(line("Nasreen Akhtar"), /Trafficking in persons.*Referred to services/);
  assert.match(line("Muhammad Tariq"), new RegExp(`Smuggling of migrants.*Victim in a case.*${state.caseNumber}`));
  assert.match(line("Waseem Abbas"), /Neither.*Released/);
  assert.match(line("Gul Agha"), /Nationality doubt/);
  // No cell starts with a formula character that a spreadsheet would run.
  assert.doesNotMatch(csv, /(^|,)"?[=+\-@]/m);

  // The Excel report is a real XLSX (a ZIP container).
  const xlsx = await page.request.get(`${state.iran}/report.xlsx`);
  assert.equal(xlsx.status(), 200);
  assert.equal((await xlsx.body()).subarray(0, 2).toString(), "PK");
});

test("the interview is saved as the officer types and survives a reload", async () => {
  state.entryD = await openEntry(state.iran, "Shahbaz Ahmed");
  assert.equal((await page.textContent("#save-state")).trim(), "", "nothing saved yet");
  await page.selectOption("#f-exit_point", "TAFTAN");
  await page.click("#f-transit_places");
  await page.keyboard.type("Mashkel, Zahedan, Kerman");
  await page.waitForFunction(() => /Saved at \d{2}:\d{2}:\d{2}/.test(document.getElementById("save-state").textContent));
  await page.reload();
  assert.equal(await page.inputValue("#f-transit_places"), "Mashkel, Zahedan, Kerman");
  assert.equal(await page.inputValue("#f-exit_point"), "TAFTAN");
  assert.match(await page.textContent("#save-state"), /Saved at \d{2}:\d{2}:\d{2}/);
  // Still to process: a draft is not an interview.
  await page.goto(`${state.iran}?show=pending`);
  assert.equal(await rowOf("Shahbaz Ahmed").count(), 1);
});

test("the batch reads in Urdu, right to left", async () => {
  await page.goto(state.iran);
  await page.click("#lang-switch");
  await page.waitForFunction(() => document.documentElement.getAttribute("lang") === "ur");
  assert.equal(await page.getAttribute("html", "dir"), "rtl");
  assert.match(await page.textContent("h1"), /[\u0600-\u06FF]/);
  assert.match(await page.textContent("#batch-progress"), /[\u0600-\u06FF]/);
  // Flags are explained in Urdu too, the kinds of earlier encounters included.
  const repeat = rowOf("Nasreen Akhtar").locator(".badge.flag-repeat-encounter");
  assert.match(await repeat.textContent(), /[\u0600-\u06FF]/);
  const reasons = await repeat.getAttribute("title");
  assert.match(reasons, /[\u0600-\u06FF]/);
  assert.doesNotMatch(reasons, /deportation|handover|interception|offloading/i, "no codes left in the reasons");
  // Names stay as written; no Fluent placeholder reaches the page.
  assert.match(await page.textContent("#entries"), /Nasreen Akhtar/);
  assert.doesNotMatch(await page.content(), /\{\s*\$/);
  await page.click("#lang-switch");
  await page.waitForFunction(() => document.documentElement.getAttribute("lang") === "en");
  assert.deepEqual(pageErrors, [], "no script errors on any page");
});
