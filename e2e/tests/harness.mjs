// Shared set-up for the browser tests: a real Nigehban server with the demo dataset on a fresh
// database (SQLite in a temporary directory, or, when NIGEHBAN_E2E_POSTGRES_URL names a
// PostgreSQL server, a new database there for each server started), and Debian's Chromium driven
// by playwright-core. A database is never shared between servers: each creates its own data key.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHmac } from "node:crypto";
import { chromium } from "playwright-core";

const BIN = process.env.NIGEHBAN_BIN || new URL("../../target/debug/nigehban", import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), "nigehban-e2e-"));
  const args = ["demo", "--data-dir", dir, "--listen", "127.0.0.1:0", "--cases", "300", "--persons", "1500", "--seed", "7"];
  const env = { ...process.env, NIGEHBAN_LOG: "warn" };
  const admin = process.env.NIGEHBAN_E2E_POSTGRES_URL;
  if (admin) {
    const name = `nigehban_e2e_${process.pid}_${Date.now()}`;
    execFileSync("psql", [admin, "-qc", `CREATE DATABASE ${name}`]);
    env.NIGEHBAN_DATABASE_URL = admin.replace(/\/[^/]*$/, `/${name}`);
  }
  const child = spawn(BIN, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => { err += d; });
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${out}\n${err}`)), 180_000);
    child.stdout.on("data", (d) => {
      out += d;
      const url = out.match(/listening on (http:\/\/[^\s]+)/);
      const pw = out.match(/password: (\S+)/);
      if (url && pw) {
        clearTimeout(timer);
        resolve({ url: url[1].replace(/\/$/, ""), password: pw[1] });
      }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${out}\n${err}`)); });
  });
  return {
    ...ready,
    async stop() {
      child.kill("SIGINT");
      await new Promise((r) => { child.on("exit", r); setTimeout(r, 5000); });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

// TOTP (RFC 6238, SHA-1, 6 digits, 30 s) as an authenticator app computes it, for the roles that
// need a second factor. Secrets seen at enrolment are remembered per user for later sign-ins.
const totpSecrets = new Map();
let lastStep = new Map();

function base32(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of text.replace(/=+$/, "")) bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

export function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, "0");
}

export async function signIn(page, server, username = "investigator") {
  await page.goto(`${server.url}/login`);
  await page.fill("#f-username", username);
  await page.fill("#f-password", server.password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login") || u.pathname === "/login/totp"), page.click("button[type=submit]")]);
  if (new URL(page.url()).pathname === "/login/totp") {
    if (await page.isVisible("#totp-secret")) totpSecrets.set(username, (await page.textContent("#totp-secret")).trim());
    const secret = totpSecrets.get(username);
    // Each code is accepted once: use a step this user has not used yet.
    let step = Math.floor(Date.now() / 1000 / 30);
    if (lastStep.get(username) !== undefined && step <= lastStep.get(username)) step = lastStep.get(username) + 1;
    lastStep.set(username, step);
    await page.fill("#f-code", totp(secret, step));
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.click("#totp-submit")]);
  }
}
