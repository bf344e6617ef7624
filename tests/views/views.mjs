// The inline views, headless: each view's real HTML (from resources/read) runs in jsdom, driven
// by @modelcontextprotocol/ext-apps's AppBridge as a host would, against the real server over
// stdio on the sandbox. Run by tests/interaction/test_views.py, which passes the environment:
//   VIEW_MODULES   .tools/views/node_modules (pinned by tests/views/package-lock.json)
//   SERVER_PYTHON  the Python that runs `-m pictory_mcp`; SANDBOX_ROOT  the sandbox's root URL
//   POLL_INTERVAL  the server's PICTORY_MCP_POLL_INTERVAL; PICTORY_*  the server's settings
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";

const modules = pathToFileURL(process.env.VIEW_MODULES.replace(/\/?$/, "/"));
const load = (path) => import(new URL(path, modules).href);
const { Client } = await load("@modelcontextprotocol/sdk/dist/esm/client/index.js");
const { StdioClientTransport } = await load("@modelcontextprotocol/sdk/dist/esm/client/stdio.js");
const { AppBridge } = await load("@modelcontextprotocol/ext-apps/dist/src/app-bridge.js");
const { JSDOM } = (await load("jsdom/lib/api.js")).default;

const UI = "io.modelcontextprotocol/ui";
const APP_MIME = "text/html;profile=mcp-app";
const SANDBOX = process.env.SANDBOX_ROOT;
const INTERVAL = Number(process.env.POLL_INTERVAL);
const passed = [];

function step(name) {
  passed.push(name);
  console.log(`ok ${passed.length} - ${name}`);
}

async function until(what, check, seconds = 20) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function control(method, path, body) {
  const response = await fetch(SANDBOX + path, {
    method, headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `sandbox control ${path}: ${response.status}`);
  return response.json();
}

// --- the host: an MCP client that advertises MCP Apps, and one AppBridge per mounted view ----

const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("PICTORY_") || ["PATH", "HOME", "LANG"].includes(k)));
const client = new Client(
  { name: "pictory-view-tests", version: "1.0.0" },
  { capabilities: { extensions: { [UI]: { mimeTypes: [APP_MIME] } } } },
);
await client.connect(new StdioClientTransport({
  command: process.env.SERVER_PYTHON, args: ["-m", "pictory_mcp"], env, stderr: "inherit",
}));
const tools = Object.fromEntries((await client.listTools()).tools.map((t) => [t.name, t]));

async function call(name, args) {
  const result = await client.callTool({ name, arguments: args });
  assert.ok(!result.isError, `${name}: ${JSON.stringify(result.content)}`);
  return result;
}

/** Carries the bridge's messages into the view's window and the view's posts back, as
    postMessage would between a host page and its iframe (asynchronously, as copies). The
    host listens before the view loads, as a host page does before it sets the iframe's src. */
class WindowTransport {
  constructor(hostWindow) {
    this.hostWindow = hostWindow;
    this.view = null;
    this.fromView = [];
    this.early = [];
    hostWindow.postMessage = (data) => {
      const message = JSON.parse(JSON.stringify(data));
      this.fromView.push({ at: Date.now(), message });
      if (this.onmessage) setTimeout(() => this.onmessage(message), 0);
      else this.early.push(message);
    };
  }
  async start() {
    for (const message of this.early.splice(0)) setTimeout(() => this.onmessage?.(message), 0);
  }
  async send(message) {
    const w = this.view;
    const data = w.JSON.parse(JSON.stringify(message));
    setTimeout(() => w.dispatchEvent(new w.MessageEvent("message", { data, source: this.hostWindow })), 0);
  }
  async close() {
    this.onclose?.();
  }
  calls(tool) {
    return this.fromView.filter((m) => m.message.method === "tools/call" && (!tool || m.message.params.name === tool));
  }
}

const HOST_CONTEXT = {
  theme: "dark",
  styles: { variables: { "--color-background-primary": "rgb(16, 16, 16)", "--font-sans": "Inter, sans-serif" } },
  displayMode: "inline",
  availableDisplayModes: ["inline"],
};

/** Mount `uri` as a host would for a call of `toolName`: read the resource, check what a host
    checks, run the HTML, initialize, then send the tool's input and result. */
async function mount(toolName, args, result) {
  const uri = tools[toolName]._meta?.ui?.resourceUri;
  assert.ok(uri?.startsWith("ui://"), `${toolName} links a view`);
  const read = await client.readResource({ uri });
  const content = read.contents[0];
  assert.equal(content.mimeType, APP_MIME);
  const csp = content._meta?.ui?.csp ?? {};
  assert.ok(csp.resourceDomains?.includes(new URL(SANDBOX).origin), "the CSP lists the sandbox's origin");
  assert.ok(csp.resourceDomains?.some((d) => d.includes("pictory")), "the CSP lists Pictory's hosts");
  assert.equal(csp.connectDomains, undefined, "a view makes no network requests of its own");

  const hostWindow = new JSDOM("<!doctype html><title>host</title>").window;
  const transport = new WindowTransport(hostWindow);
  const dom = new JSDOM(content.text, {
    runScripts: "dangerously",
    pretendToBeVisual: true,
    beforeParse(w) {
      Object.defineProperty(w, "parent", { value: hostWindow, configurable: true });
    },
  });
  const doc = dom.window.document;
  assert.equal(doc.querySelectorAll("script[src], link[href], iframe, object, embed").length, 0, "no external scripts or styles");
  transport.view = dom.window;
  const bridge = new AppBridge(
    client,
    { name: "pictory-view-tests", version: "1.0.0" },
    { openLinks: {}, serverTools: {}, updateModelContext: { text: {}, structuredContent: {} } },
    { hostContext: { ...HOST_CONTEXT, toolInfo: { tool: tools[toolName] } } },
  );
  const seen = { sizes: [], context: [], links: [] };
  bridge.addEventListener("sizechange", (size) => seen.sizes.push(size));
  bridge.onupdatemodelcontext = async (params) => { seen.context.push(params); return {}; };
  bridge.onopenlink = async (params) => { seen.links.push(params.url); return {}; };
  const initialized = new Promise((resolve) => bridge.addEventListener("initialized", resolve));
  await bridge.connect(transport);
  await initialized;
  await bridge.sendToolInput({ arguments: args });
  await bridge.sendToolResult(result);
  return { dom, doc, bridge, transport, seen, csp, close: async () => { await bridge.close(); dom.window.close(); } };
}

async function checkHandshakeAndTheme(view, name) {
  assert.equal(view.bridge.getAppVersion()?.name, name);
  const root = view.doc.documentElement;
  assert.equal(root.getAttribute("data-theme"), "dark");
  assert.equal(root.style.getPropertyValue("--color-background-primary"), "rgb(16, 16, 16)");
  const size = await until("a size report", () => view.seen.sizes[0]);
  assert.equal(typeof size.height, "number", "the view reports its height");
}

function checkHostRules(view) {
  // What a host enforces: a view calls only tools offered to views.
  for (const { message } of view.transport.calls()) {
    const visibility = tools[message.params.name]?._meta?.ui?.visibility ?? ["model", "app"];
    assert.ok(visibility.includes("app"), `the view called ${message.params.name}, which is not for views`);
  }
}

// --- listing ------------------------------------------------------------------------------

for (const name of ["check_job", "wait_for_job", "download_video"]) {
  assert.equal(tools[name]._meta?.ui?.resourceUri, "ui://pictory/player.html", name);
}
assert.equal(tools.get_preview._meta?.ui?.resourceUri, "ui://pictory/storyboard.html");
for (const name of ["get_player_state", "get_storyboard"]) {
  assert.deepEqual(tools[name]._meta?.ui?.visibility, ["app"], name);
}
step("tools link their views; the view-only tools are listed for views only");

// --- the player: progress, then the video ------------------------------------------------------

await control("PATCH", "/__sandbox/config", { render_seconds: 600 });
const made = await call("create_video_from_text", { script: "Oceans cover most of the planet. They make the air we breathe.", video_name: "Ocean facts" });
const jobId = made.structuredContent.job_id;
const checked = await call("check_job", { job_id: jobId });
assert.equal(checked.structuredContent.status, "in-progress");
const mountedAt = Date.now() / 1000;
const player = await mount("check_job", { job_id: jobId }, checked);
await checkHandshakeAndTheme(player, "pictory-player");
await until("the progress bar", () => player.doc.querySelector("progress"));
assert.equal(player.doc.querySelector(".badge").textContent, "in-progress");
assert.match(player.doc.body.textContent, /checks every \d+ s/);
step("player: handshake, host theme and size; a running job shows its progress");

await until("three looks at the running job", () => player.transport.calls("get_player_state").length >= 3, 15);
await control("POST", "/__sandbox/clock/advance", { seconds: 700 });
const video = await until("the video", () => player.doc.querySelector("video.player"), 30);
const playingAt = Date.now() / 1000;
const state = JSON.parse(JSON.stringify((await call("check_job", { job_id: jobId, detail: true })).structuredContent));
assert.equal(video.getAttribute("src"), state.video_url);
assert.equal(video.getAttribute("poster"), state.details.thumbnail_url);
assert.ok(video.hasAttribute("controls"));
const track = video.querySelector("track");
assert.equal(track.getAttribute("kind"), "subtitles");
assert.match(decodeURIComponent(track.getAttribute("src")), /^data:text\/vtt;charset=utf-8,WEBVTT/);
assert.match(decodeURIComponent(track.getAttribute("src")), /Oceans cover most of the planet/);
assert.ok(player.csp.resourceDomains.includes(new URL(state.video_url).origin), "the video's host is in the CSP");
assert.equal(player.doc.querySelector("h1").textContent, "Ocean facts");
assert.match(player.doc.body.textContent, /\d+:\d\d · job /);
const download = [...player.doc.querySelectorAll("a")].find((a) => a.textContent === "Download");
assert.equal(download.getAttribute("href"), state.video_url);
download.dispatchEvent(new player.dom.window.MouseEvent("click", { bubbles: true, cancelable: true }));
await until("the download link opened by the host", () => player.seen.links.includes(state.video_url));
step("player: the finished video plays with its poster, subtitles, name, length and download link");

const refreshes = player.transport.calls("get_player_state").map((m) => m.at / 1000);
for (let i = 1; i < refreshes.length; i++) {
  assert.ok(refreshes[i] - refreshes[i - 1] >= INTERVAL * 0.9, `view refreshed after ${refreshes[i] - refreshes[i - 1]} s`);
}
const { requests } = await control("GET", `/__sandbox/requests?method=GET&path_prefix=/pictoryapis/v1/jobs/${jobId}`);
// Pictory's requests for this job while only the view followed it (the host asks again below).
const polls = requests.map((r) => r.time).filter((t) => t >= mountedAt && t <= playingAt);
for (let i = 1; i < polls.length; i++) {
  assert.ok(polls[i] - polls[i - 1] >= INTERVAL * 0.9, `Pictory was asked again after ${polls[i] - polls[i - 1]} s`);
}
assert.ok(refreshes.length >= 2, "the view refreshed through get_player_state");
checkHostRules(player);
await player.close();
step(`player: refreshes through get_player_state no faster than the poll interval (${refreshes.length} calls, ${polls.length} polls)`);

// download_video links the same player.
const saved = await call("download_video", { job_id: jobId });
const afterDownload = await mount("download_video", { job_id: jobId }, saved);
const again = await until("the video after download", () => afterDownload.doc.querySelector("video.player"));
assert.equal(again.getAttribute("src"), state.video_url);
await afterDownload.close();
step("player: download_video's answer shows the same video");

// A failed job: the error and its fix.
await control("PATCH", "/__sandbox/config", { render_seconds: 1 });
await control("POST", "/__sandbox/faults", { fail_next_jobs: 1, error_code: "SCENE_BACKGROUND_VISUAL_NOT_FOUND", error_message: "No visual found for scene 1." });
const doomed = (await call("create_video_from_text", { script: "This render is going to fail." })).structuredContent.job_id;
const waited = await call("wait_for_job", { job_id: doomed, timeout_seconds: 20 });
assert.equal(waited.structuredContent.status, "failed");
const failedView = await mount("wait_for_job", { job_id: doomed, timeout_seconds: 20 }, waited);
const alert = await until("the error", () => failedView.doc.querySelector(".error"));
assert.match(alert.textContent, /SCENE_BACKGROUND_VISUAL_NOT_FOUND/);
assert.match(alert.textContent, /No visual found for scene 1/);
assert.match(alert.textContent, /broader visual queries/);
assert.equal(failedView.doc.querySelector("video"), null);
await failedView.close();
step("player: a failed job shows the error and its fix");

// --- the storyboard editor ---------------------------------------------------------------------

const preview = (await call("create_video_from_text", {
  script: "Forests are the lungs of the Earth. Rivers carry water to the sea. Mountains touch the sky.",
  preview: true,
})).structuredContent.job_id;
assert.equal((await call("wait_for_job", { job_id: preview, timeout_seconds: 20 })).structuredContent.status, "completed");
const page = await call("get_preview", { job_id: preview });
const editor = await mount("get_preview", { job_id: preview }, page);
await checkHandshakeAndTheme(editor, "pictory-storyboard");
const scenes = await until("the scenes", () => {
  const items = editor.doc.querySelectorAll("li.scene");
  return items.length ? [...items] : null;
});
assert.equal(scenes.length, page.structuredContent.total);
const first = page.structuredContent.items[0];
assert.equal(scenes[0].querySelector("textarea").value, first.text);
assert.ok(scenes[0].querySelector(".thumb"), "each scene shows its visual");
assert.match(scenes[0].textContent, /\d+\.\d s/);
step(`storyboard: lists the preview's ${scenes.length} scenes with text, visual and duration`);

const w = editor.dom.window;
const newText = "Forests breathe for the whole planet.";
const area = scenes[0].querySelector("textarea");
area.value = newText;
area.dispatchEvent(new w.Event("input", { bubbles: true }));
const save = [...scenes[0].querySelectorAll("button")].find((b) => b.textContent === "Save text");
assert.equal(save.disabled, false);
save.click();
await until("the saved text", () => /Scene 1 saved/.test(editor.doc.getElementById("status")?.textContent ?? ""));
const edits = editor.transport.calls("update_preview_scene");
assert.equal(edits.length, 1);
assert.deepEqual(edits[0].message.params.arguments, { text: newText, job_id: preview, scene: 1 });
const told = await until("the model context", () => editor.seen.context.at(-1));
assert.match(told.content[0].text, /scene 1: text/);
assert.match(told.content[0].text, new RegExp(preview));
let after = (await call("get_preview", { job_id: preview })).structuredContent.items;
assert.equal(after[0].text, newText);
step("storyboard: an edited text is saved through update_preview_scene, told to the model, and seen by get_preview");

const secondItem = () => editor.doc.querySelectorAll("li.scene")[1];
[...secondItem().querySelectorAll("button")].find((b) => b.textContent === "Change visual").click();
const panel = secondItem().querySelector(".picker");
assert.equal(panel.hidden, false);
const visual = "https://example.com/visuals/sky.jpg";
panel.querySelector("input[type=url]").value = visual;
[...panel.querySelectorAll("button")].find((b) => b.textContent === "Use URL").click();
await until("the saved visual", () => /Scene 2 saved/.test(editor.doc.getElementById("status")?.textContent ?? ""));
after = (await call("get_preview", { job_id: preview })).structuredContent.items;
assert.equal(after[1].visual, visual);
assert.equal(after[1].visual_type, "image");
assert.match(editor.seen.context.at(-1).content[0].text, /scene 1: text.*scene 2: visual/);
assert.equal(secondItem().querySelector("img.thumb").getAttribute("src"), visual);
step("storyboard: a picked visual is saved, told to the model, and seen by get_preview");

editor.doc.getElementById("render-button").click();
const rendering = await until("the render's progress", () => editor.doc.querySelector("#render .job"));
const renders = editor.transport.calls("render_preview");
assert.equal(renders.length, 1);
assert.deepEqual(renders[0].message.params.arguments, { job_id: preview });
assert.match(editor.seen.context.at(-1).content[0].text, /started rendering preview/);
assert.ok(["in-progress", "completed"].includes(rendering.getAttribute("data-status")));
checkHostRules(editor);
await editor.close();
step("storyboard: Render calls render_preview, tells the model and follows the new job");

await client.close();
console.log(`${passed.length} passed, 0 failed`);
