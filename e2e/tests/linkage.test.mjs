// Record linkage and the agent network, as issue 5 asks: a supervisor reviews the queue of likely
// duplicates (the demo's sub-agent recorded twice, under other spellings and with day and month
// swapped), reads why the two were paired, merges them and undoes the merge; the Gujrat
// investigator sees the alert for a new name on a known agent's phone, opens the agent's network,
// expands the shared phone to reach the new name and finds the shortest chain between them; a
// policeman of another agency is shown nothing of it.
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
  const context = await browser.newContext({ locale: "en-GB" });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await signIn(page, server, username);
  return page;
}

async function networkReady(page) {
  await page.waitForFunction(() => document.querySelector("#network-graph")?.dataset.state === "ready");
}

test("the supervisor merges a likely duplicate with its explanation, and undoes it", async () => {
  const page = await pageAs("supervisor");
  await page.click("#nav-duplicates");
  const pair = page.locator("li.duplicate", { hasText: "Mohd. Asif Butt" });
  await pair.waitFor();
  assert.match(await pair.textContent(), /Muhammad Asif Butt/);
  // Why: the explanation names the fields and how they agreed.
  const why = await pair.locator("table.explanation").textContent();
  assert.match(why, /name/i);
  assert.match(why, /parentage/i);
  assert.match(why, /date/i);
  const keep = pair.locator(".party", { hasText: "Muhammad Asif Butt" }).locator("button.keep");
  await Promise.all([page.waitForURL(/msg=merged/), keep.click()]);
  assert.match(await page.textContent(".flash"), /Merged/);
  assert.equal(await page.locator("li.duplicate", { hasText: "Mohd. Asif Butt" }).count(), 0);
  await page.click("#tab-confirmed");
  const merged = page.locator("li.duplicate", { hasText: "Mohd. Asif Butt" });
  await Promise.all([page.waitForURL(/msg=undone/), merged.locator("button.undo").click()]);
  assert.ok(await page.locator("li.duplicate", { hasText: "Mohd. Asif Butt" }).isVisible(), "back in the queue");
  // The queue reads in Urdu too.
  await page.goto(`${server.url}/lang?to=ur&next=/duplicates`);
  assert.equal(await page.getAttribute("html", "dir"), "rtl");
  assert.match(await page.textContent("h1"), /دہرے/);
  await page.context().close();
});

test("a new name on a known agent's phone is an alert, and the network shows the chain", async () => {
  const page = await pageAs("inv.gujrat");
  await page.click("#nav-agents");
  const alert = page.locator("#agent-alerts tr", { hasText: "Nadeem Akhtar" }).filter({ hasText: "Phone" });
  await alert.first().waitFor();
  const evidence = await alert.first().locator(".evidence").textContent();
  assert.match(evidence, /4321/);
  assert.doesNotMatch(evidence, /7654321/, "the phone is masked");
  const agentRow = page.locator("#agents tr", { hasText: "Haji Abdul Sattar Butt" });
  assert.match(await agentRow.textContent(), /Main agent/i);
  // The sub-agent's network.
  const asifRow = page.locator("#agents tr", { hasText: "Muhammad Asif Butt" }).first();
  await Promise.all([page.waitForURL(/\/network\?node=person:/), asifRow.locator("a.network-link").click()]);
  await networkReady(page);
  const focus = await page.getAttribute("#network-graph", "data-focus");
  const keys = await page.evaluate(() => window.nigehbanNetwork.nodeKeys());
  const phone = keys.find((k) => k.startsWith("phone:"));
  assert.ok(phone, `a phone among ${keys}`);
  assert.ok(keys.some((k) => k.startsWith("case:")), "the case");
  assert.ok(keys.some((k) => k.startsWith("hawala_account:")), "the hawala account");
  // Open the phone's neighbours from the keyboard list: the new name appears.
  await page.locator(`#network-list button[data-key="${phone}"]`).press("Enter");
  await networkReady(page);
  await page.waitForFunction(() => window.nigehbanNetwork.nodeKeys().length > 4);
  const labels = await page.locator("#network-list").textContent();
  assert.match(labels, /Nadeem Akhtar/);
  const nadeem = await page.locator("#network-list button", { hasText: "Nadeem Akhtar" }).first().getAttribute("data-key");
  assert.ok(nadeem);
  // The shortest chain from the agent to the new name runs through the shared phone.
  await page.fill("#path-to", nadeem);
  await page.click("#network-path button[type=submit]");
  await page.waitForFunction(() => (document.querySelector("#network-graph").dataset.path || "").length > 0);
  const path = (await page.getAttribute("#network-graph", "data-path")).split(" ");
  assert.deepEqual([path[0], path[path.length - 1]], [focus, nadeem]);
  assert.equal(path.length, 3, path.join(" "));
  assert.ok(path[1].startsWith("phone:"), path.join(" "));
  // Victims of the case appear by pseudonym only.
  const caseKey = keys.find((k) => k.startsWith("case:"));
  await page.evaluate((k) => window.nigehbanNetwork.expand(k), caseKey);
  await networkReady(page);
  const caseLabels = await page.locator("#network-list").textContent();
  assert.doesNotMatch(caseLabels, /Hamza Iqbal/);
  assert.match(caseLabels, /P-[0-9A-Z]{5}/);
  // FollowTheMoney export for Aleph.
  const res = await page.request.get(`${server.url}/network/export?node=${encodeURIComponent(focus)}&format=ftm&hops=2`);
  assert.equal(res.status(), 200);
  const entities = (await res.text()).trim().split("\n").map((l) => JSON.parse(l));
  assert.ok(entities.some((e) => e.schema === "Person"));
  await page.context().close();
  // Another agency's policeman is shown nothing of it.
  const police = await pageAs("police.ryk");
  await police.goto(`${server.url}/network?node=${encodeURIComponent(focus)}`);
  await police.waitForSelector("#network-details .error");
  assert.equal(await police.evaluate(() => window.nigehbanNetwork.nodeKeys().length), 0);
  await police.context().close();
  assert.deepEqual(pageErrors, []);
});
