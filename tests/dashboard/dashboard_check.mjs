// Drives Debian's Chromium (headless, through playwright-core) against the bridge's
// dashboard page: connect with a token, see the equity curve and the order table update
// live over the WebSocket, press Halt and see the trading state turn "halted".
// Usage: node dashboard_check.mjs <page url> <admin token> <screenshot.png>
// Prints one JSON line with what it saw; exit code 0 only when every step held.
import { chromium } from "playwright-core";

const [url, token, screenshot] = process.argv.slice(2);
const executablePath = process.env.TW_CHROMIUM || "/usr/bin/chromium";
// Flags this machine needs: no sandbox as root, and no background networking (the closed
// network refuses Chromium's own connections).
const args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];

const seen = { steps: [] };
const step = (name, extra = {}) => { seen.steps.push(name); Object.assign(seen, extra); };

const browser = await chromium.launch({ executablePath, headless: true, args, timeout: 60_000 });
let ok = false;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(60_000);
  page.on("pageerror", (e) => { seen.page_errors = (seen.page_errors || []).concat(String(e)); });
  await page.goto(url);
  step("loaded", { title: await page.title() });

  await page.fill("#token", token);
  await page.click("#connect");
  await page.waitForFunction(() => document.getElementById("status").textContent === "live");
  await page.waitForFunction(() => document.getElementById("trading-state").dataset.state === "active");
  step("connected", { node: await page.textContent("#node") });

  // Live equity: the curve gains points and the equity figure changes (fills pay fees, prices move).
  const points = async () => Number(await page.getAttribute("#equity", "data-points") || 0);
  const equity0 = await page.textContent("#equity");
  const points0 = await points();
  await page.waitForFunction(([p0, e0]) => {
    const el = document.getElementById("equity");
    return Number(el.dataset.points || 0) >= p0 + 5 && el.textContent !== e0;
  }, [points0, equity0]);
  step("equity_live", { equity_before: equity0, equity_after: await page.textContent("#equity"),
                        points_before: points0, points_after: await points() });

  // Live orders: a client order id that was not in the table appears.
  const cids = () => page.$$eval("#orders tr.order-row", (rows) => rows.map((r) => r.dataset.cid));
  const before = await cids();
  await page.waitForFunction((known) => [...document.querySelectorAll("#orders tr.order-row")]
    .some((r) => !known.includes(r.dataset.cid)), before);
  const after = await cids();
  step("orders_live", { orders_before: before.length, new_orders: after.filter((c) => !before.includes(c)) });

  await page.click("#halt");
  await page.waitForFunction(() => document.getElementById("message").textContent === "halt sent");
  await page.waitForFunction(() => document.getElementById("trading-state").dataset.state === "halted");
  step("halted", { trading_state: await page.textContent("#trading-state") });
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  ok = !seen.page_errors;
} catch (e) {
  seen.error = String(e && e.message || e).split("\n")[0];
} finally {
  await browser.close();
}
console.log(JSON.stringify({ ok, ...seen }));
process.exit(ok ? 0 : 1);
