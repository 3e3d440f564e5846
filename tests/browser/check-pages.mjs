// Real-browser checks of the badge pages: headless Chromium (Debian's /usr/bin/chromium) driven by
// puppeteer-core, audited by axe-core. Seeds the running service (seed.mjs), then opens each page at
// desktop (1280) and mobile (390) widths, with and without JavaScript, and prints one JSON report on
// standard output; the NUnit test BrowserPageTests asserts on it. With SCREENSHOT_DIR set it also
// writes the documentation screenshots there.
//
// Environment: BASE_URL (the service, e.g. http://127.0.0.1:5123), ADMIN_ID, ADMIN_SECRET,
// PUBLIC_BASE_URL (the service's configured public base URL), CHROMIUM (default /usr/bin/chromium),
// MAP_TOKEN (the token of a skills map with one experience, written by the caller).
import { readFileSync, existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import puppeteer from "puppeteer-core";
import { seed } from "./seed.mjs";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const env = (name, fallback) => process.env[name] ?? fallback ?? (() => { throw new Error(`${name} is not set`); })();
const base = env("BASE_URL").replace(/\/$/, "");
const publicBase = env("PUBLIC_BASE_URL", base).replace(/\/$/, "");
const chromium = env("CHROMIUM", "/usr/bin/chromium");
const shots = process.env.SCREENSHOT_DIR;
if (!existsSync(chromium)) {
  console.log(JSON.stringify({ fatal: `Chromium is missing at ${chromium}: run bash scripts/browser.sh (installs it from Debian packages).` }));
  process.exit(2);
}

const data = await seed(base, env("ADMIN_ID"), env("ADMIN_SECRET"));
const a = data.assertions;
const pages = [
  { name: "assertion-fr", path: `/public/assertions/${a.valid}?lang=fr`, status: 200, lang: "fr", linkedIn: { lang: "fr", id: a.valid, year: "2026", month: "3" } },
  { name: "assertion-nl", path: `/public/assertions/${a.valid}?lang=nl`, status: 200, lang: "nl", linkedIn: { lang: "nl", id: a.valid, year: "2026", month: "3" } },
  { name: "assertion-en", path: `/public/assertions/${a.valid}?lang=en`, status: 200, lang: "en", linkedIn: { lang: "en", id: a.valid, year: "2026", month: "3" } },
  { name: "revoked", path: `/public/assertions/${a.revoked}?lang=fr`, status: 410, lang: "fr", text: "Révoqué" },
  { name: "expired", path: `/public/assertions/${a.expired}?lang=en`, status: 200, lang: "en", text: "Expired" },
  { name: "catalogue", path: `/public/assertions/${a.catalogue}?lang=fr`, status: 200, lang: "fr", text: "RECTEC+" },
  { name: "badge-class", path: `/public/badges/${data.badgeClass.id}?lang=fr`, status: 200, lang: "fr", text: "Critères" },
  { name: "badge-class-nl", path: `/public/badges/${data.badgeClass.id}?lang=nl`, status: 200, lang: "nl", text: data.badgeClass.names.nl },
  { name: "issuer", path: `/public/issuers/${data.partner.id}?lang=fr`, status: 200, lang: "fr", text: data.partner.name },
  { name: "catalogue-issuer", path: `/public/issuers/${(await (await fetch(`${base}/public/badges/${data.catalogueClass.id}`)).json()).issuer.split("/").pop()}?lang=en`, status: 200, lang: "en", text: "RECTEC+" },
  { name: "claim", path: `/public/claims/${data.campaign.id}?code=${data.campaign.code}&lang=fr`, status: 200, lang: "fr", text: "Recevoir votre badge", form: true },
  { name: "claim-nl", path: `/public/claims/${data.campaign.id}?lang=nl`, status: 200, lang: "nl", text: data.badgeClass.names.nl, form: true },
  { name: "claim-generic", path: `/public/claims?lang=en`, status: 200, lang: "en", text: "Receive your badge", form: true },
  { name: "skills-map-new", path: `/public/skills-maps/new?lang=fr`, status: 200, lang: "fr", text: "Commencer ma carte de compétences" },
  { name: "skills-map-new-nl", path: `/public/skills-maps/new?lang=nl`, status: 200, lang: "nl", text: "Mijn competentiekaart beginnen" },
  { name: "skills-map", path: `/public/skills-maps/${env("MAP_TOKEN")}?lang=fr`, status: 200, lang: "fr", text: "Restos du Cœur Roubaix" },
  { name: "skills-map-en", path: `/public/skills-maps/${env("MAP_TOKEN")}?lang=en`, status: 200, lang: "en", text: "Oral communication" },
  { name: "data-access-new", path: `/public/my-data/new?lang=fr`, status: 200, lang: "fr", text: "Recevoir mes données" },
  { name: "data-access", path: `/public/my-data/${env("DATA_TOKEN")}?format=html&lang=fr`, status: 200, lang: "fr", text: "Restos du Cœur Roubaix" },
  { name: "data-access-nl", path: `/public/my-data/${env("DATA_TOKEN")}?format=html&lang=nl`, status: 200, lang: "nl", text: "Mijn gegevens" },
  { name: "not-found", path: `/public/assertions/0123456789abcdef01234567?lang=en`, status: 404, lang: "en", text: "Page not found" },
];
const screenshots = new Set(["assertion-fr", "assertion-nl", "assertion-en", "revoked", "expired", "badge-class", "issuer", "verification", "claim", "skills-map-new", "skills-map", "data-access"]);
const mobileScreenshots = new Set(["assertion-fr", "assertion-nl", "assertion-en", "claim", "skills-map"]);

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--lang=fr-FR"],
});
const report = { seed: data, pages: [] };
try {
  for (const spec of pages) {
    for (const width of [1280, 390]) {
      report.pages.push(await check(spec, width, true));
    }
    report.pages.push(await check(spec, 390, false));
  }
  report.pages.push(await revisit(pages[0]));
  report.pages.push(await verifyWithoutJavaScript(a.valid, "fr", "Ce badge est authentique et valide."));
  report.pages.push(await verifyWithoutJavaScript(a.revoked, "en", "This badge did not pass verification."));
  report.pages.push(await claimWithoutJavaScript("fr", data.campaign.code, `camille.${Date.now()}@example.org`, 200, "Votre badge vous est décerné", "claim-result"));
  report.pages.push(await claimWithoutJavaScript("en", "2222-3333-4444", `guess.${Date.now()}@example.org`, 422, "This code is not recognised", "claim-error"));
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));

/** Opens one page and collects what the test asserts. */
async function check(spec, width, javaScript) {
  const result = { name: spec.name, width, javaScript, problems: [] };
  // A fresh context each time: an empty cache, so each check sees the page as a first visit.
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const consoleErrors = watchConsole(page, base + spec.path);
  try {
    await page.setJavaScriptEnabled(javaScript);
    await page.setViewport({ width, height: width > 600 ? 900 : 844, deviceScaleFactor: 1 });
    const response = await page.goto(base + spec.path, { waitUntil: "networkidle0", timeout: 30000 });
    result.status = response.status();
    // Bring lazy images in before looking at them (and before a full-page screenshot).
    if (javaScript) {
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.waitForNetworkIdle({ idleTime: 200, timeout: 15000 });
      await page.evaluate(() => window.scrollTo(0, 0));
    }
    if (result.status !== spec.status) { result.problems.push(`status ${result.status}, expected ${spec.status}`); }
    if (!(response.headers()["content-type"] ?? "").startsWith("text/html")) { result.problems.push(`content-type ${response.headers()["content-type"]}`); }
    const facts = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      h1: document.querySelector("h1")?.textContent?.trim() ?? "",
      text: document.body.innerText,
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      stylesheetLoaded: [...document.styleSheets].some((s) => { try { return s.cssRules.length > 20; } catch { return false; } }),
      brokenImages: [...document.images].filter((i) => i.complete && i.naturalWidth === 0).map((i) => i.src),
      linkedIn: document.querySelector("a.button--linkedin")?.href ?? null,
      copyButton: !!document.querySelector(".copy button"),
      copyInput: document.querySelector("#badge-url")?.value ?? null,
      verifyForm: !!document.querySelector("form[method=post] button[type=submit]"),
      claimForm: !!document.querySelector("form.claim-form input[name=code]") && !!document.querySelector("form.claim-form input[name=email]"),
    }));
    if (facts.lang !== spec.lang) { result.problems.push(`<html lang> is '${facts.lang}', expected '${spec.lang}'`); }
    if (!facts.h1) { result.problems.push("no h1"); }
    if (spec.text && !facts.text.includes(spec.text)) { result.problems.push(`the page does not show '${spec.text}'`); }
    if (facts.overflow > 0) { result.problems.push(`the page is ${facts.overflow}px wider than the ${width}px viewport`); }
    if (!facts.stylesheetLoaded) { result.problems.push("the stylesheet did not load"); }
    if (facts.brokenImages.length > 0) { result.problems.push(`broken images: ${facts.brokenImages.join(", ")}`); }
    if (spec.form && !facts.claimForm) { result.problems.push("no claim form"); }
    if (spec.linkedIn) {
      result.linkedIn = facts.linkedIn;
      result.problems.push(...checkLinkedIn(facts.linkedIn, spec.linkedIn));
      if (facts.copyInput !== `${publicBase}/public/assertions/${spec.linkedIn.id}`) { result.problems.push(`copy field holds '${facts.copyInput}'`); }
      if (facts.copyButton !== javaScript) { result.problems.push(`copy button ${facts.copyButton ? "present" : "absent"} with JavaScript ${javaScript ? "on" : "off"}`); }
      if (!facts.verifyForm) { result.problems.push("no verify form"); }
    }
    if (javaScript) {
      await page.evaluate(axeSource);
      const axe = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
      result.violations = axe.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
      for (const v of result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
        result.problems.push(`axe ${v.impact}: ${v.id} (${v.help}) at ${v.nodes.join("; ")}`);
      }
    }
    if (shots && javaScript && (width === 1280 ? screenshots.has(spec.name) : mobileScreenshots.has(spec.name))) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, `${spec.name}-${width === 1280 ? "desktop" : "mobile"}.png`), fullPage: true });
    }
  } catch (e) {
    result.problems.push(`error: ${e.message}`);
  } finally {
    result.consoleErrors = consoleErrors;
    result.problems.push(...consoleErrors.map((m) => `console: ${m}`));
    await context.close();
  }
  return result;
}

/**
 * A second visit revalidates the cached page (If-None-Match, 304). The browser merges the 304's
 * headers into its copy, so the page must still get its stylesheet, script and images.
 */
async function revisit(spec) {
  const result = { name: `${spec.name}-revisit`, width: 1280, javaScript: true, problems: [] };
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  try {
    await page.goto(base + spec.path, { waitUntil: "networkidle0" });
    const consoleErrors = watchConsole(page, base + spec.path);
    const response = await page.goto(base + spec.path, { waitUntil: "networkidle0" });
    result.status = response.status();
    const facts = await page.evaluate(() => ({
      styled: getComputedStyle(document.querySelector(".site-header")).backgroundColor,
      images: [...document.images].filter((i) => i.naturalWidth === 0).length,
      copyButton: !!document.querySelector(".copy button"),
    }));
    if (facts.styled !== "rgb(31, 78, 121)") { result.problems.push(`the revisited page is unstyled (${facts.styled})`); }
    if (facts.images > 0) { result.problems.push(`${facts.images} images did not load on the revisit`); }
    if (!facts.copyButton) { result.problems.push("the script did not run on the revisit"); }
    result.problems.push(...consoleErrors.map((m) => `console: ${m}`));
  } catch (e) {
    result.problems.push(`error: ${e.message}`);
  } finally {
    await context.close();
  }
  return result;
}

/** The "verify" button is a plain form: with JavaScript off it posts and shows the verification page. */
async function verifyWithoutJavaScript(id, lang, expected) {
  const result = { name: `verify-${id}-${lang}`, width: 1280, javaScript: false, problems: [] };
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const consoleErrors = watchConsole(page, `${base}/public/assertions/${id}?lang=${lang}`);
  try {
    await page.setJavaScriptEnabled(false);
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`${base}/public/assertions/${id}?lang=${lang}`, { waitUntil: "networkidle0" });
    const [response] = await Promise.all([page.waitForNavigation({ waitUntil: "networkidle0" }), page.click("form[method=post] button[type=submit]")]);
    result.status = response.status();
    const text = await page.evaluate(() => document.body.innerText);
    if (result.status !== 200) { result.problems.push(`status ${result.status}`); }
    if (!text.includes(expected)) { result.problems.push(`the verification page does not say '${expected}'`); }
    if (!page.url().includes("/verification")) { result.problems.push(`ended on ${page.url()}`); }
    if (shots && lang === "fr") {
      await page.setJavaScriptEnabled(true);
      await page.screenshot({ path: path.join(shots, "verification-desktop.png"), fullPage: true });
    }
  } catch (e) {
    result.problems.push(`error: ${e.message}`);
  } finally {
    result.consoleErrors = consoleErrors;
    result.problems.push(...consoleErrors.map((m) => `console: ${m}`));
    await context.close();
  }
  return result;
}

/**
 * The claim page is a plain form: with JavaScript off it posts and shows the result (a badge, or the
 * form again with the reason), which axe then audits with JavaScript back on.
 */
async function claimWithoutJavaScript(lang, code, email, status, expected, name) {
  const result = { name, width: 1280, javaScript: false, problems: [] };
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const start = `${base}/public/claims/${data.campaign.id}?lang=${lang}`;
  const consoleErrors = watchConsole(page, `${base}/public/claims`);
  try {
    await page.setJavaScriptEnabled(false);
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(start, { waitUntil: "networkidle0" });
    await page.type("#claim-code", code);
    await page.type("#claim-email", email);
    const [response] = await Promise.all([page.waitForNavigation({ waitUntil: "networkidle0" }), page.click("form.claim-form button[type=submit]")]);
    result.status = response.status();
    const text = await page.evaluate(() => document.body.innerText);
    if (result.status !== status) { result.problems.push(`status ${result.status}, expected ${status}`); }
    if (!text.includes(expected)) { result.problems.push(`the result page does not say '${expected}'`); }
    if (status === 200 && !(await page.$("a.button--primary[href*='/public/assertions/']"))) { result.problems.push("no link to the badge"); }
    await page.setJavaScriptEnabled(true);
    await page.evaluate(axeSource);
    const axe = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    result.violations = axe.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
    for (const v of result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
      result.problems.push(`axe ${v.impact}: ${v.id} (${v.help}) at ${v.nodes.join("; ")}`);
    }
    if (shots) {
      await page.screenshot({ path: path.join(shots, `${name}-desktop.png`), fullPage: true });
      await page.setViewport({ width: 390, height: 844 });
      await page.screenshot({ path: path.join(shots, `${name}-mobile.png`), fullPage: true });
    }
  } catch (e) {
    result.problems.push(`error: ${e.message}`);
  } finally {
    result.consoleErrors = consoleErrors;
    result.problems.push(...consoleErrors.map((m) => `console: ${m}`));
    await context.close();
  }
  return result;
}

/** Console errors and uncaught exceptions, CSP violations included; the page's own intended status (404, 410) is not one. */
function watchConsole(page, mainUrl) {
  const errors = [];
  page.on("console", (message) => {
    if (message.type() !== "error") { return; }
    const url = message.location()?.url ?? "";
    if (message.text().startsWith("Failed to load resource") && url === mainUrl) { return; }
    errors.push(`${message.text()} ${url}`.trim());
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  page.on("requestfailed", (request) => errors.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ""}`));
  return errors;
}

/** LinkedIn's add-certification link, read back parameter by parameter. */
function checkLinkedIn(href, expected) {
  if (!href) { return ["no 'Add to LinkedIn' link"]; }
  const url = new URL(href);
  const want = {
    startTask: "CERTIFICATION_NAME",
    name: data.badgeClass.names[expected.lang],
    organizationName: data.partner.name,
    issueYear: expected.year,
    issueMonth: expected.month,
    certUrl: `${publicBase}/public/assertions/${expected.id}`,
    certId: expected.id,
  };
  const problems = [];
  if (url.origin + url.pathname !== "https://www.linkedin.com/profile/add") { problems.push(`LinkedIn link goes to ${url.origin + url.pathname}`); }
  for (const [key, value] of Object.entries(want)) {
    if (url.searchParams.get(key) !== value) { problems.push(`LinkedIn ${key} is '${url.searchParams.get(key)}', expected '${value}'`); }
  }
  return problems;
}
