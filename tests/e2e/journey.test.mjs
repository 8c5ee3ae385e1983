// End-to-end: the real wizard (debug `ferry`), driven through tauri-driver + WebKitWebDriver
// under Xvfb. Run it with tests/e2e/run, which sets up the display, the driver, a throwaway
// HOME and the data. Screenshots go to tests/e2e/screenshots/.
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Builder, By, Key, until } from "selenium-webdriver";

const here = dirname(fileURLToPath(import.meta.url));
const BIN = process.env.FERRY_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, ".cache/ferry-target"), "debug/ferry");
const SERVER = process.env.TAURI_DRIVER_URL ?? "http://127.0.0.1:4444/";
const SHOTS = process.env.FERRY_SCREENSHOTS ?? join(here, "screenshots");
const MANY = process.env.FERRY_E2E_MANY; // a folder of many NetCDF files (tests/e2e/run makes 1000)
const T = 20_000;
const OPENED = process.env.FERRY_E2E_OPENED; // where the recording xdg-open writes the URLs it was given
const S3 = process.env.FERRY_E2E_S3; // "endpoint key secret bucket" of a loopback S3 server (tests/e2e/run starts one)
const NOTIFY = process.env.FERRY_E2E_NOTIFY === "1"; // tests/e2e/run started dunst on a session bus
const GCS = process.env.FERRY_E2E_GCS; // "endpoint token renewed-token dir" of the loopback GCS stub (the app reaches it via FERRY_GCS_BASE_URL)
const PYTHON = join(process.env.FERRY_VENV ?? join(process.env.REAL_HOME ?? process.env.HOME, ".cache/ferry-venv"), "bin/python");
const SAMPLE = join(here, "../fixtures/derived/A1B_by_year");

/** xarray opens the store the catalog's way and finds it equal to its sources (tests/interop/store_compare.py). */
function verifyStore(url, sources, s3) {
  const code = `
import sys, glob
sys.path.insert(0, ${JSON.stringify(join(here, "../interop"))})
from store_compare import compare
kw = {}
if ${s3 ? "True" : "False"}:
    kw = dict(storage_options={"key": ${JSON.stringify(s3?.key ?? "")}, "secret": ${JSON.stringify(s3?.secret ?? "")}, "client_kwargs": {"endpoint_url": ${JSON.stringify(s3?.endpoint ?? "")}}})
compare(${JSON.stringify(url)}, sorted(glob.glob(${JSON.stringify(sources + "/*.nc")})), store_kw=kw)
print("store verified")
`;
  const out = execFileSync(PYTHON, ["-c", code], { timeout: 120_000 }).toString();
  assert.match(out, /store verified/);
}
mkdirSync(SHOTS, { recursive: true });

let driver;

/** Start Ferry; the first-run welcome, if it shows, is closed with "Start with my own files" unless `welcome`. */
async function launch({ welcome = false } = {}) {
  driver = await new Builder()
    .usingServer(SERVER)
    .withCapabilities({ browserName: "wry", "tauri:options": { application: BIN } })
    .build();
  await driver.wait(until.elementLocated(By.css(".step-link")), T);
  await windowPainted();
  if (!welcome) await dismissWelcome();
  return driver;
}

/**
 * Under Xvfb a first launch leaves the window blank for a second or two, longer if it is clicked at
 * once: wait for real pixels on the screen, so that screen() pictures show the app.
 */
async function windowPainted() {
  const probe = join(tmpdir(), `ferry-e2e-paint-${process.pid}.png`);
  const spread = () => {
    execFileSync("import", ["-window", "root", probe]);
    return Number(execFileSync("identify", ["-format", "%[fx:standard_deviation]", probe]).toString());
  };
  await driver.wait(() => spread() > 0.01, T, "the window was never painted");
  rmSync(probe, { force: true });
}

const welcomeShown = async () => {
  const b = await driver.findElements(By.css("#try-sample"));
  return b.length > 0 && (await b[0].isDisplayed().catch(() => false));
};

/** Every run has a fresh HOME, so the first launch shows the welcome; later launches remember it was closed. */
async function dismissWelcome() {
  if (!(await welcomeShown())) return;
  await driver.findElement(By.css("#start-own")).click();
  await driver.wait(async () => !(await welcomeShown()), T, "the welcome stays open");
}

afterEach(async (t) => {
  // A failed test leaves a picture of where it stopped.
  if (driver && t && t.passed === false) await screen(`FAILED-${t.name.slice(0, 40).replace(/[^a-z0-9]+/gi, "-")}`).catch(() => undefined);
  if (driver) await driver.quit().catch(() => undefined);
  driver = undefined;
});

const $ = (css) => driver.findElement(By.css(css));
const $$ = (css) => driver.findElements(By.css(css));
const textOf = async (css) => (await $(css).getText()).replace(/\s+/g, " ").trim();
const waitText = (css, re) =>
  driver.wait(async () => {
    const els = await $$(css);
    for (const e of els) if (re.test(await e.getText().catch(() => ""))) return true;
    return false;
  }, T, `no ${css} matching ${re}`);
/** Click `css` after centring it in its scroll box (WebKitWebDriver clicks a button half under the footer, and misses). */
const press = async (css) => {
  const el = await $(css);
  await driver.executeScript("arguments[0].scrollIntoView({ block: 'center' })", el);
  await el.click();
};
const nextEnabled = () => driver.wait(async () => (await $("#next").isEnabled()) && (await $("#next").getText()) !== "Working…", T, "Next stays disabled");
const currentStep = async () => $(".step-link[aria-current=step]").then((e) => e.getAttribute("data-step"));
const waitStep = (id) => driver.wait(async () => (await currentStep()) === id, T, `not on ${id}`);

/** The whole screen (window and any GTK dialog over it), as a person sees it. */
async function screen(name) {
  await driver.sleep(250); // let WebKit paint what the DOM already shows
  const file = join(SHOTS, `${name}.png`);
  execFileSync("import", ["-window", "root", file]);
  return file;
}

/** The webview only, through WebDriver. */
async function webview(name) {
  const file = join(SHOTS, `${name}.png`);
  writeFileSync(file, Buffer.from(await driver.takeScreenshot(), "base64"));
  return file;
}

/** Type into a field, replacing what it held. */
async function fill(css, v) {
  const el = await $(css);
  await driver.executeScript("arguments[0].scrollIntoView({ block: 'center' })", el);
  await el.clear();
  await el.sendKeys(v);
}

/** "Add a folder…" through the real GTK dialog: outside the webview, so xdotool types the path. */
async function pickFolder(folder, shot) {
  await $("button.add-folder").click();
  const win = execFileSync("xdotool", ["search", "--sync", "--onlyvisible", "--name", "Choose a folder of NetCDF files"], { timeout: T }).toString().trim().split("\n")[0];
  execFileSync("xdotool", ["windowfocus", "--sync", win]); // no window manager under Xvfb: focus, not activate
  execFileSync("xdotool", ["key", "--window", win, "ctrl+l"]);
  await new Promise((r) => setTimeout(r, 300));
  execFileSync("xdotool", ["type", "--delay", "20", `${folder}/`]);
  await new Promise((r) => setTimeout(r, 500));
  if (shot) await screen(shot);
  execFileSync("xdotool", ["key", "Return"]);
}

async function signInLocal(folder) {
  const path = await $('[data-panel="local"] input[name="path"]');
  await driver.wait(async () => (await path.getAttribute("value")) !== "", T);
  await path.clear();
  await path.sendKeys(folder);
  await waitText(".check", new RegExp(`Ready\\. ${folder.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
}


const planTotal = () => driver.executeScript("return document.querySelector('.plan-total').textContent.replace(/\\s+/g, ' ').trim()");

/**
 * From a signed-in Sign in step: the sample, time chunks of 2 (dozens of chunks), one upload at
 * once (remembered afterwards), the test write, and the upload started; returns once at least 5
 * chunks are confirmed, with [done, total] and the plan's summary line.
 */
async function startSlowUpload() {
  await nextEnabled();
  await $("#next").click();
  await waitStep("pick-files");
  await $("button.sample").click();
  await waitText(".summary", /^6 files/);
  await nextEnabled();
  await $("#next").click();
  await waitStep("preview");
  const time = await $('tr[data-var="air_temperature"] input.chunk-input[data-dim="time"]');
  await driver.executeScript("arguments[0].value = ''", time);
  await time.sendKeys("2", Key.ENTER);
  await nextEnabled();
  const total = await planTotal();
  assert.match(total, /in \d\d+ chunks/);
  await $("#next").click();
  await waitStep("test-write");
  // One upload at once: what the test does next lands between chunks, many still to go.
  await driver.executeScript(`
    const label = Array.from(document.querySelectorAll('[data-step="test-write"] label')).find((l) => l.textContent === "Uploads at once");
    const input = label.control; input.closest("details").open = true;
    input.value = "1"; input.dispatchEvent(new Event("input", { bubbles: true }));`);
  await press("#run-test-write");
  await waitText(".test-result", /The test write passed/);
  await nextEnabled();
  await $("#next").click();
  await waitStep("upload");
  await press("#start-upload");
  const done = await driver.wait(async () => {
    const m = /([\d,]+) of ([\d,]+) chunks/.exec(await textOf(".upload-progress .chunks").catch(() => ""));
    return m && Number(m[1]) >= 5 ? [Number(m[1]), Number(m[2])] : null;
  }, 60_000, "the upload did not get going");
  return { done, total };
}

/** The desktop notifications so far ({summary, body}), from dunst: shown ones are closed into its history. */
function notifications() {
  spawnSync("dunstctl", ["close-all"]);
  const r = spawnSync("dunstctl", ["history"]);
  if (r.status !== 0) return [];
  const list = JSON.parse(r.stdout.toString()).data?.[0] ?? [];
  return list.map((n) => ({ summary: n.summary?.data ?? "", body: n.body?.data ?? "" }));
}

/** The GCS stub keeps each object as a file named by its quoted key: the store `key` of bucket leap-persistent, rebuilt as a folder. */
function gcsStore(dir, key) {
  const local = mkdtempSync(join(tmpdir(), "ferry-e2e-gcs-store-"));
  execFileSync(PYTHON, ["-c", `
import os, sys, urllib.parse
src, dst, prefix = sys.argv[1:]
for name in os.listdir(src):
    key = urllib.parse.unquote(name)
    if key.startswith(prefix):
        out = os.path.join(dst, key[len(prefix):])
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(os.path.join(src, name), "rb") as f, open(out, "wb") as g: g.write(f.read())
`, join(dir, "leap-persistent"), local, `${key}/`]);
  return local;
}

/** From a signed-in Sign in step: the bundled sample as it comes, the test write, and the upload started. */
async function uploadSample() {
  await nextEnabled();
  await $("#next").click();
  await waitStep("pick-files");
  await $("button.sample").click();
  await waitText(".summary", /^6 files/);
  await nextEnabled();
  await $("#next").click();
  await waitStep("preview");
  await nextEnabled();
  await $("#next").click();
  await waitStep("test-write");
  await press("#run-test-write");
  await waitText(".test-result", /The test write passed/);
  await nextEnabled();
  await $("#next").click();
  await waitStep("upload");
  await press("#start-upload");
}

/** A fault proxy (tests/servers/fault_proxy.py) in front of `upstream`; resolves to its endpoint. */
async function slowProxy(upstream, delayMs) {
  const proxy = spawn(PYTHON, [join(here, "../servers/fault_proxy.py"), "--upstream", upstream, "--delay-ms", String(delayMs), "--exit-on-stdin-eof"], { stdio: ["pipe", "pipe", "inherit"] });
  const port = await new Promise((resolve, reject) => {
    proxy.stdout.once("data", (d) => resolve(String(d).trim().split("\n")[0]));
    proxy.once("exit", () => reject(new Error("the fault proxy did not start")));
  });
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => proxy.kill("SIGKILL") };
}

describe("the wizard", () => {
  let work;
  before(() => {
    work = mkdtempSync(join(tmpdir(), "ferry-e2e-"));
  });

  it("sign-in → bundled sample → preview → chunk edit → the last three steps", async () => {
    await launch();
    // 1. Sign in: the first-launch default is a local folder at ~/ferry-stores, checked live.
    assert.equal(await currentStep(), "sign-in");
    assert.equal(await $('[data-panel="local"] input[name="path"]').getAttribute("value"), "~/ferry-stores");
    await waitText(".check", /Ready\./);
    const stores = join(work, "stores");
    await signInLocal(stores);
    assert.match(await textOf(".check"), /does not exist yet: it will be created/);
    await screen("01-sign-in");
    // The cloud kinds validate their fields and wait for a sign-in before Next.
    await $('label.kind[data-kind="gcs"]').click();
    await $('[data-panel="gcs"] input[name="github-user"]').sendKeys("octocat");
    assert.equal(await $('[data-panel="gcs"] input[name="prefix"]').getAttribute("value"), "octocat/");
    await driver.wait(async () => !(await $("#next").isEnabled()), T, "Next enabled before sign-in");
    await screen("01b-sign-in-gcs");
    await $('[data-panel="gcs"] input[name="bucket"]').clear();
    await $('[data-panel="gcs"] input[name="bucket"]').sendKeys("leap-scratch");
    await waitText('[data-panel="gcs"] .field-issue.warning', /emptied after 7 days/);
    await screen("01c-sign-in-gcs-scratch");
    await $('label.kind[data-kind="local"]').click();
    await waitText(".check", /Ready\./);
    // Enter in the folder field means Next.
    await $('[data-panel="local"] input[name="path"]').sendKeys(Key.ENTER);
    await waitStep("pick-files");

    // 2. Pick files: the bundled sample (embedded in the binary, unpacked on demand).
    assert.equal(await $("#next").isEnabled(), false);
    await $("button.sample").click();
    await waitText(".summary", /^6 files, 702\.1 kB$/);
    assert.equal((await $$(".file-row")).length, 6);
    await screen("02-pick-files");
    await nextEnabled();
    assert.equal(await $("#next").getText(), "Scan and preview");
    await $("#next").click();

    // 3. Preview: time is the concat dimension, 72 long; air_temperature is there.
    await waitStep("preview");
    await waitText('[data-step="preview"] [data-dimension="time"]', /time = 72/);
    assert.match(await textOf('[data-dimension="time"] .badge.concat'), /concat dimension · 6 files/);
    assert.match(await textOf(".dataset"), /air_temperature float32 \(time: 72, latitude: 37, longitude: 49\)/);
    assert.match(await textOf(".facts.time"), /calendar 360_day/);
    await waitText(".snippet", new RegExp(`xr\\.open_dataset\\("${stores}/A1B_north_america_year\\.zarr", engine="zarr", chunks=\\{\\}\\)`));
    // The quick look draws a slice of the real data (kelvin over North America).
    await waitText(".quicklook-scale", /K/);
    const [lo, hi] = await driver.executeScript("return ['.lo', '.hi'].map((c) => Number(document.querySelector('.quicklook-scale ' + c).textContent))");
    assert.ok(lo > 180 && hi < 330 && lo < hi, `quick-look range ${lo}..${hi}`);
    await screen("03-preview");
    // Edit a chunk length: the core re-plans on Enter.
    const time = await $('tr[data-var="air_temperature"] input.chunk-input[data-dim="time"]');
    assert.equal(await time.getAttribute("value"), "72");
    // Select what is there and type over it (the field shows the whole length, 72, not blank).
    await driver.executeScript("arguments[0].value = ''", time);
    await time.sendKeys("24");
    await waitText('tr[data-var="air_temperature"] .n', /^3$/);
    await $('tr[data-var="air_temperature"] input.chunk-input[data-dim="time"]').sendKeys(Key.ENTER);
    await nextEnabled();
    assert.equal(await $('tr[data-var="air_temperature"] input.chunk-input[data-dim="time"]').getAttribute("value"), "24");
    assert.match(await textOf(".plan-total"), /in 11 chunks/);
    assert.equal((await $$(".chunk-grid line")).length, 2);
    await driver.executeScript("document.querySelector('.chunk-grid').scrollIntoView({block: 'center'})");
    await screen("03b-preview-chunks");
    await driver.executeScript("document.querySelector('.quicklook-card').scrollIntoView({block: 'center'})");
    await screen("03c-preview-quicklook");

    // 4. Test write: a few steps written beside the store and read back.
    await $("#next").click();
    await waitStep("test-write");
    assert.ok(await $('[data-step="test-write"] details.why'), "the step explains why");
    assert.equal(await $("#next").isEnabled(), false);
    await $("#run-test-write").click();
    await waitText(".test-result", /The test write passed/);
    await screen("04-test-write");
    await nextEnabled();

    // 5. Upload: the checklist, progress, the summary with the snippet.
    await $("#next").click();
    await waitStep("upload");
    await waitText('.checklist li[data-check="merge"]', /./);
    // The sample is small: one chunk per array is right, whatever the MB.
    assert.equal(await $('.checklist li[data-check="chunks"]').getAttribute("data-level"), "green");
    assert.equal(await $('.checklist li[data-check="test"]').getAttribute("data-level"), "green");
    await screen("05-upload-checklist");
    await $("#start-upload").click();
    await waitText(".upload-summary", /A1B_north_america_year\.zarr/);
    const store = join(stores, "A1B_north_america_year.zarr");
    assert.match(await textOf(".upload-summary .snippet"), /xr\.open_dataset\(/);
    // The desktop was told too (a real notification daemon, dunst, on the session bus).
    if (NOTIFY) {
      const seen = await driver.wait(() => notifications().find((n) => n.summary === "Upload finished: A1B_north_america_year.zarr"), T, "no desktop notification");
      assert.match(seen.body, /chunks, [\d.]+ MB stored at \//);
    }
    await screen("05b-upload-done");
    // The store equals its sources, read by xarray the way the catalog shows.
    verifyStore(store, SAMPLE);

    // 6. Catalog request: drafted from the scan and the store; edits re-render the preview.
    await nextEnabled();
    await $("#next").click();
    await waitStep("catalog");
    await waitText(".markdown-preview", /### Dataset Name/);
    assert.match(await textOf(".markdown-preview"), /### Target Format\s+Zarr/);
    const license = await $('[data-step="catalog"] [data-field="license"] input');
    await license.clear();
    await license.sendKeys("CC-BY-4.0");
    await waitText(".markdown-preview", /CC-BY-4\.0/);
    assert.match(await textOf(".catalog-yaml"), /A1B_north_america_year\.zarr|a1b/i);
    assert.ok(!(await textOf(".markdown-preview")).includes(process.env.HOME), "no home path in the draft");
    await screen("06-catalog");
    // Save as .md through the real GTK save dialog (outside the webview: xdotool).
    const saved = join(work, "request.md");
    await driver.executeScript("document.querySelector('#save-markdown').scrollIntoView({block: 'center'})");
    await $("#save-markdown").click();
    const dlg = execFileSync("xdotool", ["search", "--sync", "--onlyvisible", "--name", "Save the draft"], { timeout: T }).toString().trim().split("\n")[0];
    execFileSync("xdotool", ["windowfocus", "--sync", dlg]);
    execFileSync("xdotool", ["key", "--window", dlg, "ctrl+a"]);
    execFileSync("xdotool", ["type", "--delay", "20", saved]);
    await new Promise((r) => setTimeout(r, 300));
    await screen("06b-catalog-save-dialog");
    execFileSync("xdotool", ["key", "Return"]);
    await waitText(".action-status", /Saved to /);
    assert.match(readFileSync(saved, "utf8"), /^# New Dataset \[A1B_north_america_year\][\s\S]*### License\s+CC-BY-4\.0/);
    // Open in browser: the required access protocol first, then the prefilled GitHub link goes
    // to the system's opener (tests/e2e/run puts a recording xdg-open first on PATH).
    if (OPENED) {
      const location = await $('[data-step="catalog"] [data-field="location"] select');
      await driver.executeScript("arguments[0].value = 'Other'; arguments[0].dispatchEvent(new Event('change', {bubbles: true})); arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", location);
      await driver.wait(async () => $("#open-issue").then((b) => b.isEnabled()), T, "Open in browser stays disabled");
      await driver.executeScript("document.querySelector('#open-issue').scrollIntoView({block: 'center'})");
      await $("#open-issue").click();
      await driver.wait(() => existsSync(OPENED) && readFileSync(OPENED, "utf8").length > 0, T, "nothing was opened");
      const url = readFileSync(OPENED, "utf8").trim();
      assert.match(url, /^https:\/\/github\.com\/leap-stc\/data-management\/issues\/new\?/);
      assert.match(url, /template=new_dataset\.yaml/);
      assert.match(url, /license=CC-BY-4\.0/);
    }

    // Back keeps what was entered.
    await $('.step-link[data-step="sign-in"]').click();
    await waitStep("sign-in");
    assert.equal(await $('[data-panel="local"] input[name="path"]').getAttribute("value"), stores);
    await $('.step-link[data-step="preview"]').click();
    await waitStep("preview");
    assert.equal(await $('tr[data-var="air_temperature"] input.chunk-input[data-dim="time"]').getAttribute("value"), "24");
  });

  it("remembers the destination for the next launch", async () => {
    await launch();
    assert.equal(await $('[data-panel="local"] input[name="path"]').getAttribute("value"), join(work, "stores"));
  });

  it("picks a folder through the real GTK dialog (xdotool), then scans many files with progress", { skip: !MANY && "FERRY_E2E_MANY not set" }, async () => {
    await launch();
    await waitText(".check", /Ready\./);
    await $("#next").click();
    await waitStep("pick-files");
    await pickFolder(MANY, "02b-gtk-folder-dialog");
    const n = readdirSync(MANY).filter((f) => f.endsWith(".nc")).length;
    await waitText(".summary", new RegExp(`^${n.toLocaleString("en-US")} files`));
    assert.ok((await $$(".file-row")).length < 60, "only the visible rows are in the DOM");
    await driver.sleep(1500);
    await screen("02c-pick-files-many");
    // Scroll the long list: still responsive.
    await driver.executeScript("const l = document.querySelector('.file-list'); l.scrollTop = l.scrollHeight / 2; l.dispatchEvent(new Event('scroll'));");
    // (textContent: WebKitWebDriver's getText() thinks rows far down a scrolled list are hidden)
    await driver.wait(() => driver.executeScript("return Array.from(document.querySelectorAll('.file-row .file-name')).some((e) => /f0[45]\\d\\d\\.nc/.test(e.textContent))"), T, "the list did not scroll");
    await $("#next").click();
    // Progress shows while the headers are read (the core sends ≤10 updates a second).
    const seen = await driver.wait(async () => {
      const t = await $(".scan-text").getText().catch(() => "");
      if (/Reading headers: [\d,]+ of/.test(t) || /merging/.test(t)) return t;
      return (await currentStep()) === "preview" ? "done before a look" : false;
    }, T);
    assert.ok(seen);
    await waitStep("preview");
    await waitText('[data-dimension="time"]', new RegExp(`time = ${n.toLocaleString("en-US")}`));
    await screen("03d-preview-many");
  });

  it("bad files: named in Preview with what to do, removed, then the rest goes on", async () => {
    // Three good yearly files, one cut short (a copy interrupted mid-way), one text file named .nc.
    const dir = mkdtempSync(join(tmpdir(), "ferry-e2e-bad-"));
    const names = readdirSync(SAMPLE).filter((f) => f.endsWith(".nc")).sort();
    for (const f of names.slice(0, 3)) copyFileSync(join(SAMPLE, f), join(dir, f));
    writeFileSync(join(dir, names[3]), readFileSync(join(SAMPLE, names[3])).subarray(0, 20_000));
    writeFileSync(join(dir, "notes.nc"), "these are my notes, not NetCDF\n");
    const before = readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).length]);
    await launch();
    await waitText(".check", /Ready\./);
    await $("#next").click();
    await waitStep("pick-files");
    await pickFolder(dir);
    await waitText(".summary", /^5 files/);
    await nextEnabled();
    await $("#next").click();
    // Either the scan stops with the file named, or Preview lists each bad file as an error.
    await driver.wait(async () => (await currentStep()) === "preview" || (await $$('[data-step="pick-files"] .inline-error:not([hidden])')).length > 0, T, "no answer to the scan");
    let shown;
    if ((await currentStep()) === "preview") {
      await waitText(".problems .problem.error", /./);
      shown = await textOf(".problems");
      assert.equal(await $("#next").isEnabled(), false);
      assert.match(await textOf("#blocker"), /Fix the errors listed under Problems first/);
    } else {
      shown = await textOf('[data-step="pick-files"] .inline-error');
    }
    assert.match(shown, new RegExp(names[3].replace(".", "\\.")), "the truncated file is named");
    assert.match(shown, /notes\.nc/, "the text file is named");
    assert.match(shown, /probably truncated or damaged/);
    assert.match(shown, /a text file/);
    assert.match(shown, /Remove it from the selection/, "each says what to do");
    await screen("03e-preview-bad-files");
    // Remove both from the list: the rest scans and previews cleanly.
    if ((await currentStep()) === "preview") await $("#back").click();
    await waitStep("pick-files");
    for (const name of [names[3], "notes.nc"]) await press(`button[aria-label="Remove ${name}"]`);
    await waitText(".summary", /^3 files/);
    await nextEnabled();
    await $("#next").click();
    await waitStep("preview");
    await waitText('[data-step="preview"] [data-dimension="time"]', /time = 36/);
    await nextEnabled();
    assert.equal((await $$(".problems .problem.error")).length, 0);
    // Nothing of the user's files was changed.
    assert.deepEqual(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).length]), before);
    rmSync(dir, { recursive: true, force: true });
  });

  it("is readable at 1024×700", async () => {
    await launch();
    await driver.manage().window().setRect({ width: 1024, height: 700 });
    await waitText(".check", /Ready\./);
    await webview("small-01-sign-in");
    await $("#next").click();
    await waitStep("pick-files");
    await $("button.sample").click();
    await waitText(".summary", /^6 files/);
    await webview("small-02-pick-files");
    await nextEnabled();
    await $("#next").click();
    await waitStep("preview");
    await waitText('[data-dimension="time"]', /time = 72/);
    await webview("small-03-preview");
    // Nothing overflows sideways.
    const overflow = await driver.executeScript("const b = document.querySelector('.step-body'); return b.scrollWidth - b.clientWidth;");
    assert.ok(overflow <= 1, `the step body scrolls sideways by ${overflow}px`);
  });
  it("newcomer: Try it with sample data", async () => {
    // The journey writes the sample's store where the destination points (an earlier test's folder
    // is remembered): start without one, as a newcomer would.
    for (const dir of [join(work, "stores"), join(process.env.HOME, "ferry-stores")]) rmSync(join(dir, "A1B_north_america_year.zarr"), { recursive: true, force: true });
    await launch({ welcome: true });
    // localStorage lives in this run's HOME: if an earlier test closed the welcome, make this a first launch again.
    if (!(await welcomeShown())) {
      await driver.executeScript("localStorage.removeItem('ferry.welcomed'); location.reload();");
      await driver.wait(welcomeShown, T, "no welcome after a reload");
    }
    assert.equal(await driver.executeScript("return document.activeElement && document.activeElement.id"), "try-sample");
    assert.equal(await $('[role="dialog"]').getAttribute("aria-labelledby"), "welcome-title");
    assert.equal(await textOf("#welcome-title"), "Welcome to Ferry");
    const painted = () => driver.executeAsyncScript("const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));");
    await screen("00-welcome");
    await driver.manage().window().setRect({ width: 1024, height: 700 });
    await driver.wait(async () => (await driver.executeScript("return window.innerWidth")) <= 1024, T, "the window did not shrink");
    await painted();
    await driver.sleep(250);
    await webview("small-00-welcome");
    const started = Date.now();
    await $("#try-sample").click();
    // One click: the local folder checked, the sample unpacked and scanned, its preview.
    await waitStep("preview");
    await waitText('[data-step="preview"] [data-dimension="time"]', /time = 72/);
    assert.equal(await welcomeShown(), false);
    assert.equal((await $$('[data-step="pick-files"] .file-row')).length, 6);
    // Every step explains itself in a folded "Why" panel, with a Learn more link that open_link allows.
    for (const id of ["sign-in", "pick-files", "preview", "test-write", "upload", "catalog"]) {
      const panels = await $$(`[data-step="${id}"] details.why[data-why="${id}"]`);
      assert.equal(panels.length, 1, `the ${id} step has no Why panel`);
      const href = await panels[0].findElement(By.css("a.learn-more")).getAttribute("href");
      assert.match(href, /^https:\/\/(github\.com|zarr\.readthedocs\.io|docs\.xarray\.dev|leap-stc\.github\.io|zarr\.dev)\//, `${id}: ${href}`);
    }
    // The preview's sits in the chunk plan, on screen now.
    assert.ok(await $('[data-step="preview"] .plan-card details.why summary').isDisplayed(), "the preview's Why panel is not shown");
    await webview("small-00b-welcome-sample-preview");
    // The sidebar opens it again.
    await $("#show-welcome").click();
    await driver.wait(welcomeShown, T, "Welcome / about does not open it");
    await $("#start-own").click();
    await driver.wait(async () => !(await welcomeShown()), T, "the welcome stays open");
    assert.equal(await currentStep(), "preview");
    // On to the end, as a newcomer clicks through: test write, upload, catalog draft.
    await nextEnabled();
    await $("#next").click();
    await waitStep("test-write");
    await $("#run-test-write").click();
    await waitText(".test-result", /The test write passed/);
    await webview("small-00c-newcomer-test-write");
    await nextEnabled();
    await $("#next").click();
    await waitStep("upload");
    await waitText('.checklist li[data-check="merge"]', /./);
    await webview("small-00d-newcomer-checklist");
    await $("#start-upload").click();
    await waitText(".upload-summary", /A1B_north_america_year\.zarr/);
    // It ends by saying where the store is and how to open it.
    const snippet = await textOf(".upload-summary .snippet");
    const path = /xr\.open_dataset\("([^"]+)"/.exec(snippet)?.[1];
    assert.ok(path && existsSync(join(path, ".zmetadata")), `no store at ${path}`);
    await webview("small-00e-newcomer-done");
    verifyStore(path, SAMPLE);
    await nextEnabled();
    await $("#next").click();
    await waitStep("catalog");
    await waitText(".markdown-preview", /### Dataset Name/);
    await webview("small-00f-newcomer-catalog");
    const seconds = (Date.now() - started) / 1000;
    console.log(`newcomer journey: ${seconds.toFixed(1)} s from "Try it with sample data" to the catalog draft`);
    assert.ok(seconds < 120, `the sample journey took ${seconds} s (promised: under two minutes)`);
  });

  it("the pre-upload checklist flags a gap in the files and a shared bucket without a folder of one's own", { skip: !S3 && "FERRY_E2E_S3 not set" }, async () => {
    const [endpoint, key, secret] = S3.split(" ");
    // Five of the six sample years: 1862 is missing, a gap in the monthly steps (a warning, not an error).
    const gap = join(work, "gap");
    mkdirSync(gap);
    for (const f of readdirSync(SAMPLE).filter((f) => f.endsWith(".nc") && !f.includes("year03"))) copyFileSync(join(SAMPLE, f), join(gap, f));
    await launch();
    await $('label.kind[data-kind="s3"]').click();
    await fill('[data-panel="s3"] input[name="endpoint"]', endpoint);
    await fill('[data-panel="s3"] input[name="bucket"]', "leap-pangeo-inbox");
    await driver.executeScript("const p = document.querySelector('[data-panel=\"s3\"] input[name=\"prefix\"]'); p.value = ''; p.dispatchEvent(new Event('input', { bubbles: true }));");
    await fill('input[name="access_key_id"]', key);
    await fill('input[name="secret_access_key"]', secret);
    await press("#sign-in-check");
    await waitText(".signed-in", /Signed in as access key/);
    await nextEnabled();
    await $("#next").click();
    await waitStep("pick-files");
    await pickFolder(gap);
    await waitText(".summary", /^5 files/);
    // Advanced: name the join dimension (the same one Ferry finds): the scan takes it through IPC.
    await $("details.join-options summary").click();
    await $('input[name="concat_dim"]').sendKeys("time");
    await nextEnabled();
    await $("#next").click();
    await waitStep("preview");
    await waitText('[data-step="preview"]', /gap/i);
    await waitText('[data-step="preview"] [data-dimension="time"]', /time = 60/);
    // A dimension the files do not have: a clear error on Pick files, not a wrong preview.
    await $("#back").click();
    await waitStep("pick-files");
    await $('input[name="concat_dim"]').sendKeys("x");
    await $("#next").click();
    await waitText('[data-step="pick-files"] .inline-error', /timex/);
    await screen("02d-pick-files-join-dimension-error");
    await driver.executeScript("const i = document.querySelector('input[name=\"concat_dim\"]'); i.value = 'time'; i.dispatchEvent(new Event('input', { bubbles: true }));");
    await nextEnabled();
    await $("#next").click();
    await waitStep("preview");
    await nextEnabled();
    await $("#next").click();
    await waitStep("test-write");
    await $("#run-test-write").click();
    await waitText(".test-result", /The test write passed/);
    await nextEnabled();
    await $("#next").click();
    await waitStep("upload");
    const line = (id) => $(`.checklist li[data-check="${id}"]`);
    await waitText('.checklist li[data-check="merge"]', /warning/);
    assert.equal(await (await line("merge")).getAttribute("data-level"), "amber");
    assert.match(await (await line("merge")).getText(), /gap|missing|irregular/i);
    assert.equal(await (await line("leap-rules")).getAttribute("data-level"), "amber");
    assert.match(await (await line("leap-rules")).getText(), /folder of your own/);
    assert.equal(await (await line("destination")).getAttribute("data-level"), "green");
    await screen("05d-upload-checklist-warnings");
    // Amber asks for a look; it does not block.
    assert.equal(await $("#start-upload").isEnabled(), true);
  });

  it("uploads to an S3-compatible server after a wrong key and an unreachable endpoint", { skip: !S3 && "FERRY_E2E_S3 not set" }, async () => {
    const [endpoint, key, secret, bucket] = S3.split(" ");
    await launch();
    await $('label.kind[data-kind="s3"]').click();
    await fill('[data-panel="s3"] input[name="endpoint"]', "http://127.0.0.1:9");
    await fill('[data-panel="s3"] input[name="bucket"]', bucket);
    await fill('[data-panel="s3"] input[name="prefix"]', "octocat/");
    await fill('input[name="access_key_id"]', key);
    await fill('input[name="secret_access_key"]', "wrong-secret-canary-1234");
    // Nothing listens on port 9: a clear error, fast.
    const t0 = Date.now();
    await press("#sign-in-check");
    await waitText('[data-step="sign-in"] .inline-error', /./);
    assert.ok(Date.now() - t0 < 12_000, "an unreachable endpoint is reported within seconds");
    await screen("01d-sign-in-unreachable");
    // The right endpoint, the wrong secret: access denied, with what to do.
    await fill('[data-panel="s3"] input[name="endpoint"]', endpoint);
    await fill('input[name="access_key_id"]', key);
    await fill('input[name="secret_access_key"]', "wrong-secret-canary-1234");
    await press("#sign-in-check");
    await waitText('[data-step="sign-in"] .inline-error', /denied|signature|refused|credentials|key/i);
    assert.equal(await $("#next").isEnabled(), false);
    await screen("01e-sign-in-wrong-key");
    // The right key: signed in, the secret field emptied.
    await fill('input[name="secret_access_key"]', secret);
    await press("#sign-in-check");
    await waitText(".signed-in", /Signed in as access key/);
    assert.equal(await $('input[name="secret_access_key"]').getAttribute("value"), "");
    const page = await driver.getPageSource();
    assert.ok(!page.includes(secret) && !page.includes("wrong-secret-canary"), "no secret in the page");
    await screen("01f-sign-in-s3");
    await uploadSample();
    await waitText(".upload-summary", /s3:\/\/.*A1B_north_america_year\.zarr/);
    await screen("05c-upload-s3");
    verifyStore(`s3://${bucket}/octocat/A1B_north_america_year.zarr`, SAMPLE, { endpoint, key, secret });
    await nextEnabled();
    await $("#next").click();
    await waitStep("catalog");
    await waitText(".markdown-preview", /### Access protocol\s+S3/);
    const page2 = await driver.getPageSource();
    assert.ok(!page2.includes(secret), "no secret in the catalog draft");
    // Nothing Ferry left on disk holds a secret: its folders under the throwaway HOME (settings,
    // resume records, cache, logs), the screenshots' folder and the driver's log.
    for (const canary of [secret, "wrong-secret-canary-1234"]) {
      const r = spawnSync("grep", ["-rlaF", "--", canary, process.env.HOME, SHOTS]);
      assert.equal(r.status, 1, `the secret was found in: ${r.stdout}`);
    }
  });

  it("signs in to GCS with Google in the browser (OAuth, PKCE) and uploads", { skip: !(GCS && process.env.FERRY_OAUTH_CLIENT) && "no loopback OAuth server" }, async () => {
    const [, , renewed, dir] = GCS.split(" ");
    await launch();
    await $('label.kind[data-kind="gcs"]').click();
    await fill('[data-panel="gcs"] input[name="bucket"]', "leap-persistent");
    await fill('[data-panel="gcs"] input[name="prefix"]', "browser/");
    await press('input[name="method"][value="gcs_browser"]');
    await waitText(".oauth-client", /OAuth client: .*client_secret\.json/);
    assert.equal(await textOf("#sign-in-check"), "Sign in with Google");
    const opened = () => (existsSync(OPENED) ? readFileSync(OPENED, "utf8").split("\n").filter((l) => l.includes("/authorize?")) : []);
    const before = opened().length;
    await press("#sign-in-check");
    // Ferry opened the "browser" (the recording xdg-open) on the consent page; the user agrees:
    // curl follows the authorization server's redirect back to Ferry's loopback address.
    const url = await driver.wait(() => opened()[before], T, "the browser was not opened");
    assert.match(url, /scope=https%3A%2F%2Fwww\.googleapis\.com%2Fauth%2Fdevstorage\.read_write&/);
    assert.match(url, /code_challenge_method=S256/);
    await waitText(".google-wait", /Waiting for the browser/);
    await screen("01g-sign-in-google-waiting");
    const page = execFileSync("curl", ["-fsSL", url]).toString();
    assert.match(page, /Ferry is signed in/);
    await waitText(".signed-in", /researcher@example\.org/);
    await screen("01h-sign-in-google");
    await uploadSample();
    await driver.wait(async () => /gs:\/\/leap-persistent\/browser\/A1B_north_america_year\.zarr/.test(await textOf(".upload-summary").catch(() => "")), 60_000, "the upload did not finish");
    verifyStore(gcsStore(dir, "browser/A1B_north_america_year.zarr"), SAMPLE);
    assert.ok(!(await driver.getPageSource()).includes(renewed), "no token in the page");
  });

  it("remembers a Google sign-in in the system keychain only when asked, and Sign out forgets it", { skip: !(GCS && process.env.FERRY_OAUTH_CLIENT) && "no loopback OAuth server" }, async () => {
    const refresh = process.env.FERRY_E2E_REFRESH;
    const inKeychain = () => spawnSync("secret-tool", ["search", "--all", "service", "org.leap-pangeo.ferry"], { encoding: "utf8" }).stdout.includes("google-oauth:");
    assert.equal(inKeychain(), false, "nothing remembered before it is asked");
    const opened = () => (existsSync(OPENED) ? readFileSync(OPENED, "utf8").split("\n").filter((l) => l.includes("/authorize?")) : []);
    const googleForm = async () => {
      await $('label.kind[data-kind="gcs"]').click();
      await fill('[data-panel="gcs"] input[name="bucket"]', "leap-persistent");
      await fill('[data-panel="gcs"] input[name="prefix"]', "browser/");
      await press('input[name="method"][value="gcs_browser"]');
      await waitText(".oauth-client", /OAuth client: .*client_secret\.json/);
    };
    await launch();
    await googleForm();
    await press("#remember-google");
    const before = opened().length;
    await press("#sign-in-check");
    const url = await driver.wait(() => opened()[before], T, "the browser was not opened");
    execFileSync("curl", ["-fsSL", url]);
    await waitText(".signed-in", /researcher@example\.org/);
    assert.equal(inKeychain(), true, "remembered in the keychain");
    await driver.quit();

    // The next launch signs in from the keychain: no browser.
    await launch();
    await googleForm();
    await waitText(".oauth-client .remembered", /A Google sign-in is remembered on this computer/);
    await screen("01i-sign-in-google-remembered");
    const n = opened().length;
    await press("#sign-in-check");
    await waitText(".signed-in", /researcher@example\.org/);
    assert.equal(opened().length, n, "no browser was opened");
    // Sign out forgets it.
    await press("#sign-out");
    await driver.wait(() => !inKeychain(), T, "Sign out left the sign-in in the keychain");
    // The refresh token is in the keychain only: not on disk in the clear, not in the page.
    assert.ok(!(await driver.getPageSource()).includes(refresh));
    const r = spawnSync("grep", ["-rlaF", "--", refresh, process.env.HOME, SHOTS]);
    assert.equal(r.status, 1, `the refresh token was found in: ${r.stdout}`);
  });

  it("signs in with gcloud's application default credentials, uploads, then deletes the file when asked", { skip: !(GCS && process.env.FERRY_E2E_OAUTH) && "no loopback OAuth server" }, async () => {
    const [, , , dir] = GCS.split(" ");
    const [oauth, clientSecret] = process.env.FERRY_E2E_OAUTH.split(" ");
    const refresh = process.env.FERRY_E2E_REFRESH;
    // What `gcloud auth application-default login` leaves behind (a user sign-in), pointing at the loopback token endpoint.
    const adcDir = join(process.env.XDG_CONFIG_HOME ?? join(process.env.HOME, ".config"), "gcloud");
    const adc = join(adcDir, "application_default_credentials.json");
    mkdirSync(adcDir, { recursive: true });
    writeFileSync(adc, JSON.stringify({ type: "authorized_user", client_id: "e2e.apps.googleusercontent.com", client_secret: clientSecret, refresh_token: refresh, token_uri: `${oauth}/token` }), { mode: 0o600 });
    await launch();
    await $('label.kind[data-kind="gcs"]').click();
    await fill('[data-panel="gcs"] input[name="bucket"]', "leap-persistent");
    await fill('[data-panel="gcs"] input[name="prefix"]', "adc/");
    await press('input[name="method"][value="gcs_application_default"]');
    await press("#sign-in-check");
    await waitText(".signed-in", /application default credentials \(authorized_user/);
    await uploadSample();
    await driver.wait(async () => /gs:\/\/leap-persistent\/adc\/A1B_north_america_year\.zarr/.test(await textOf(".upload-summary").catch(() => "")), 60_000, "the upload did not finish");
    verifyStore(gcsStore(dir, "adc/A1B_north_america_year.zarr"), SAMPLE);
    // The borrowed-access advice: delete the credentials file, after asking.
    await press("#forget-file");
    await waitText(".forget-file .confirm", /Delete .*application_default_credentials\.json\?/);
    assert.ok(existsSync(adc), "nothing deleted before the answer");
    await screen("05i-upload-delete-credentials");
    await press("#forget-file-yes");
    await waitText(".forget-file .done-note", /Deleted .* You are signed out/);
    assert.equal(existsSync(adc), false, "the file is gone");
    const r = spawnSync("grep", ["-rlaF", "--", refresh, process.env.HOME, SHOTS]);
    assert.equal(r.status, 1, `the refresh token was found in: ${r.stdout}`);
  });

  it("a GCS token that expires mid-upload: paused, a new token pasted, the upload continues", { skip: !GCS && "FERRY_E2E_GCS not set" }, async () => {
    const [endpoint, token, renewed, dir] = GCS.split(" ");
    await launch();
    await $('label.kind[data-kind="gcs"]').click();
    await fill('[data-panel="gcs"] input[name="bucket"]', "leap-persistent");
    await fill('[data-panel="gcs"] input[name="prefix"]', "renewer/");
    await fill('input[name="gcs_token"]', token);
    await press("#sign-in-check");
    await waitText(".signed-in", /temporary access token/);
    const { done } = await startSlowUpload();
    // The token expires now (the stub answers 401 to it from here on).
    execFileSync("curl", ["-fsS", "-X", "POST", `${endpoint}/_stub/expire`]);
    await waitText(".upload-outcome", /Paused: the access token was refused/);
    await screen("05g-upload-token-expired");
    await fill("#new-token", renewed);
    await press("#continue-upload");
    await driver.wait(async () => /already there from the interrupted upload/.test(await textOf(".upload-summary").catch(() => "")), 90_000, "the upload did not continue");
    const summary = await textOf(".upload-summary");
    const skipped = Number(/\(([\d,]+) already there/.exec(summary)[1].replace(/,/g, ""));
    assert.ok(skipped >= done[0], `${skipped} chunks kept; ${done[0]} were confirmed before the token expired`);
    await screen("05h-upload-token-renewed");
    const page = await driver.getPageSource();
    assert.ok(!page.includes(token) && !page.includes(renewed), "no token in the page");
    const local = gcsStore(dir, "renewer/A1B_north_america_year.zarr");
    verifyStore(local, SAMPLE);
    for (const canary of [token, renewed]) {
      const r = spawnSync("grep", ["-rlaF", "--", canary, process.env.HOME, SHOTS, local]);
      assert.equal(r.status, 1, `the token was found in: ${r.stdout}`);
    }
  });

  // Last: it leaves "1 upload at once" remembered. The app is killed mid-upload (SIGKILL, as a
  // crash or a power cut would), started again, and offers to resume at launch.
  it("resumes an upload after the app was killed in the middle of it", { skip: !S3 && "FERRY_E2E_S3 not set" }, async () => {
    const [endpoint, key, secret, bucket] = S3.split(" ");
    // Every request through the proxy waits up to 0.6 s: the upload is slow enough to be killed midway.
    const proxy = await slowProxy(endpoint, 600);
    try {
      const slow = proxy.endpoint;
      const signIn = async () => {
        await fill('input[name="access_key_id"]', key);
        await fill('input[name="secret_access_key"]', secret);
        await press("#sign-in-check");
        await waitText(".signed-in", /Signed in as access key/);
      };
      await launch();
      await $('label.kind[data-kind="s3"]').click();
      await fill('[data-panel="s3"] input[name="endpoint"]', slow);
      await fill('[data-panel="s3"] input[name="bucket"]', bucket);
      await fill('[data-panel="s3"] input[name="prefix"]', "resumer/");
      await signIn();
      const { done, total } = await startSlowUpload();
      assert.ok(done[0] < done[1] / 2, `killed too late: ${done}`);
      await screen("05e-upload-before-kill");
      execFileSync("pkill", ["-KILL", "-f", `^${BIN}`]);
      await driver.quit().catch(() => undefined);
      driver = undefined;

      // Started again: the interrupted upload is offered at once.
      await launch();
      await waitText(".resume-offer", /An upload did not finish: A1B_north_america_year\.zarr in s3:\/\/inbox\/resumer/);
      await screen("00b-resume-offer");
      await press(".resume-upload");
      // Typed keys are never kept: the walk stops at Sign in and says so.
      await waitText(".resume-status", /Sign in below/);
      assert.equal(await currentStep(), "sign-in");
      assert.equal(await $('[data-panel="s3"] input[name="endpoint"]').getAttribute("value"), slow);
      await screen("00c-resume-sign-in");
      await signIn();
      await press(".resume-upload");
      // Scan, the same plan (time chunks of 2), the test write, then the upload resumes by itself.
      await driver.wait(async () => (await currentStep()) === "upload", 60_000, "the walk did not reach the upload");
      assert.equal(await planTotal(), total, "the chunk plan is the interrupted upload's");
      await driver.wait(async () => /already there from the interrupted upload/.test(await textOf(".upload-summary").catch(() => "")), 90_000, "the resumed upload did not finish");
      const summary = await textOf(".upload-summary");
      const skipped = Number(/\(([\d,]+) already there/.exec(summary)[1].replace(/,/g, ""));
      assert.ok(skipped >= done[0] && skipped < done[1], `${skipped} chunks skipped; ${done[0]} of ${done[1]} were confirmed before the kill`);
      await screen("05f-upload-resumed");
      verifyStore(`s3://${bucket}/resumer/A1B_north_america_year.zarr`, SAMPLE, { endpoint, key, secret });
      // Finished: no offer at the next launch.
      await driver.quit();
      await launch();
      await driver.sleep(1000);
      assert.equal(await $(".resume-offer").isDisplayed(), false);
    } finally {
      proxy.stop();
    }
  });
});
