// The organized-crime assessment, as issue 6 asks: the FIA analyst opens Pakistan's profile of
// the Global Organized Crime Index (2021: criminality 6.28, 29th of 193; resilience 4.00, 133rd),
// scores a district from the keyboard with one score out of range, sees the error next to it,
// corrects it and saves, then compares the district with a province scored in the demo, Pakistan's
// published national scores beside them. Once in English, once in Urdu (right to left). Charts
// must be drawn under the Content Security Policy, each with its table.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, signIn } from "./harness.mjs";

let server;
let browser;
const pageErrors = [];
const consoleErrors = [];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function analystPage(locale) {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("console", (m) => {
    // A style or script refused by the Content Security Policy shows up here. (Answers such as
    // the form's 422 are logged as failed loads: expected, not errors of the page.)
    if (m.type() === "error" && !/^Failed to load resource/.test(m.text())) consoleErrors.push(m.text());
  });
  await signIn(page, server, "analyst");
  return page;
}

async function chartReady(page, id) {
  await page.waitForFunction((i) => document.getElementById(i)?.dataset.state === "ready", id);
  const data = JSON.parse(await page.textContent(`#${id}-data`));
  const canvas = await page.locator(`#${id} canvas`).count();
  assert.ok(canvas > 0, `${id} is drawn`);
  return data;
}

// Every indicator of the form from the keyboard: the score, Tab, the reasons, Tab.
async function scoreFromKeyboard(page, scores) {
  const codes = await page.$$eval("#assessment-form .indicator", (els) => els.map((e) => e.dataset.indicator));
  assert.equal(codes.length, 32, "the 2023 indicators: 15 markets, 5 actor types, 12 resilience");
  await page.focus(`#f-score-${codes[0]}`);
  for (const code of codes) {
    assert.equal(await page.evaluate(() => document.activeElement.id), `f-score-${code}`);
    await page.keyboard.type(scores[code] ?? "6.5");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.id), `f-justification-${code}`);
    await page.keyboard.type(`Cases and intake interviews of the year (${code}).`);
    await page.keyboard.press("Tab");
  }
  assert.equal(await page.evaluate(() => document.activeElement.id), "save-assessment");
}

test("the analyst reads Pakistan's profile, scores Gujrat with one error, fixes it and compares it with Punjab", async () => {
  const page = await analystPage("en-GB");
  await page.click("#nav-assessments");
  await page.fill("#f-q", "Pakistan");
  await Promise.all([page.waitForURL(/q=Pakistan/), page.click("#country-search button[type=submit]")]);
  await Promise.all([page.waitForURL(/\/assessments\/countries\/PAK/), page.click("#countries a")]);
  await page.click("#edition-2021");
  await page.waitForURL(/edition=2021/);
  assert.equal(await page.textContent("#criminality .big"), "6.28");
  assert.equal(await page.textContent("#markets"), "6.30");
  assert.equal(await page.textContent("#actors"), "6.25");
  assert.equal(await page.textContent("#resilience .big"), "4.00");
  const ranks = await page.locator("#criminality .ranks li").allTextContents();
  assert.deepEqual(ranks, ["29 of 193 countries", "10 of 46 in Asia", "2 of 8 in Southern Asia"]);
  assert.deepEqual(await page.locator("#resilience .ranks li").allTextContents(), ["133 of 193 countries", "29 of 46 in Asia", "5 of 8 in Southern Asia"]);
  const profile = await chartReady(page, "profile-chart");
  assert.equal(profile.categories.length, 26);
  assert.equal(profile.series[0].values[0], 8, "human trafficking 8.00, as in the table");
  assert.equal(await page.textContent('#pillar-markets tr[data-indicator="human_trafficking"] td'), "8.00");
  await chartReady(page, "history-chart");

  // Score Gujrat for 2024, with human smuggling out of range.
  await page.goto(`${server.url}/assessments`);
  await Promise.all([page.waitForURL(/\/assessments\/new/), page.click("#new-assessment")]);
  await page.selectOption("#f-scope", "district:gujrat");
  await page.fill("#f-year", "2024");
  await scoreFromKeyboard(page, { human_smuggling: "12", human_trafficking: "8" });
  await Promise.all([page.waitForLoadState("domcontentloaded"), page.keyboard.press("Enter")]);
  await page.waitForSelector("#form-errors");
  assert.match(await page.textContent("#form-errors"), /Human smuggling: score/);
  assert.equal(await page.textContent("#e-score-human_smuggling"), "Out of range: scores go from 1 to 10.");
  assert.equal(await page.getAttribute("#f-score-human_smuggling", "aria-invalid"), "true");
  assert.equal(await page.inputValue("#f-justification-prevention"), "Cases and intake interviews of the year (prevention).", "typed text kept");
  // The error list links to the field.
  await page.click('#form-errors a[href="#f-score-human_smuggling"]');
  assert.equal(await page.evaluate(() => document.activeElement.id), "f-score-human_smuggling");
  await page.fill("#f-score-human_smuggling", "9.5");
  await Promise.all([page.waitForURL(/\/assessments\/[0-9a-f-]+\?msg=saved/), page.click("#save-assessment")]);
  assert.match(await page.textContent(".flash"), /Assessment saved/);
  assert.match(await page.textContent("#assessment-title"), /Gujrat 2024/);
  await chartReady(page, "assessment-chart");

  // Compare Gujrat 2024 with Punjab 2023.
  await page.goto(`${server.url}/assessments`);
  await page.locator('#subnational tr[data-scope="district:gujrat"] input[name=id]').check();
  await page.locator('#subnational tr[data-scope="province:PB"] input[name=id]').check();
  await Promise.all([page.waitForURL(/\/assessments\/compare\?/), page.click("#compare-selected")]);
  const heads = await page.locator("#comparison thead th").allTextContents();
  assert.ok(heads.some((h) => /Gujrat/.test(h)), heads.join(" | "));
  assert.ok(heads.some((h) => /Punjab/.test(h)), heads.join(" | "));
  assert.ok(heads.some((h) => /Pakistan \(published 2023\)/.test(h)), heads.join(" | "));
  const compare = await chartReady(page, "compare-chart");
  assert.equal(compare.series.length, 3);
  assert.equal(compare.dir, "ltr");
  await page.context().close();
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(consoleErrors, []);
});

test("in Urdu, right to left: Quetta scored with an error in Urdu, then compared with Balochistan", async () => {
  const page = await analystPage("ur-PK");
  await page.goto(`${server.url}/lang?to=ur&next=/assessments/countries/PAK?edition=2021`);
  assert.equal(await page.getAttribute("html", "dir"), "rtl");
  assert.equal(await page.textContent("#criminality .big"), "6.28");
  assert.equal((await page.locator("#criminality .ranks li").allTextContents())[0], "193 ممالک میں 29 واں");
  const profile = await chartReady(page, "profile-chart");
  assert.equal(profile.dir, "rtl");
  assert.equal(profile.categories[0], "انسانی ٹریفکنگ");

  await page.goto(`${server.url}/assessments/new`);
  await page.selectOption("#f-scope", "district:quetta");
  await page.fill("#f-year", "2024");
  await scoreFromKeyboard(page, { arms_trafficking: "0" });
  await Promise.all([page.waitForLoadState("domcontentloaded"), page.keyboard.press("Enter")]);
  await page.waitForSelector("#form-errors");
  assert.equal(await page.textContent("#e-score-arms_trafficking"), "حد سے باہر: نمبر 1 سے 10 تک ہوتے ہیں۔");
  assert.match(await page.textContent("#form-errors"), /اسلحے کی اسمگلنگ: نمبر/);
  await page.fill("#f-score-arms_trafficking", "8");
  await Promise.all([page.waitForURL(/msg=saved/), page.click("#save-assessment")]);
  assert.match(await page.textContent(".flash"), /جائزہ محفوظ ہو گیا/);

  await page.goto(`${server.url}/assessments`);
  await page.locator('#subnational tr[data-scope="district:quetta"] input[name=id]').check();
  await page.locator('#subnational tr[data-scope="province:BA"] input[name=id]').check();
  await Promise.all([page.waitForURL(/\/assessments\/compare\?/), page.click("#compare-selected")]);
  assert.equal(await page.getAttribute("html", "dir"), "rtl");
  const heads = await page.locator("#comparison thead th").allTextContents();
  assert.ok(heads.some((h) => /کوئٹہ/.test(h)), heads.join(" | "));
  assert.ok(heads.some((h) => /بلوچستان/.test(h)), heads.join(" | "));
  assert.ok(heads.some((h) => /پاکستان \(شائع شدہ 2023\)/.test(h)), heads.join(" | "));
  const compare = await chartReady(page, "compare-chart");
  assert.equal(compare.dir, "rtl");
  assert.equal(compare.categories[0], "جرائم کی سطح");
  await page.context().close();
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(consoleErrors, []);
});
