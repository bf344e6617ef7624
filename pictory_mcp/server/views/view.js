/* Shared by the views: the MCP Apps conversation with the host (JSON-RPC over postMessage to
   the parent window), the host's theme, size reports, and the job card both views draw.
   Everything shown is put in the page as text, never as markup: it can come from users. */
(function () {
  "use strict";
  var PROTOCOL = "2026-01-26";
  var host = window.parent;
  var pending = {};
  var nextId = 1;
  var listeners = {};
  var lastHeight = -1;

  function post(message) {
    host.postMessage(message, "*");
  }

  function request(method, params) {
    var id = nextId++;
    return new Promise(function (resolve, reject) {
      pending[id] = { resolve: resolve, reject: reject };
      post({ jsonrpc: "2.0", id: id, method: method, params: params || {} });
    });
  }

  function notify(method, params) {
    post({ jsonrpc: "2.0", method: method, params: params || {} });
  }

  window.addEventListener("message", function (event) {
    if (event.source !== host) return; // only the host speaks to a view
    var msg = event.data;
    if (!msg || msg.jsonrpc !== "2.0") return;
    if (msg.method === undefined) {
      var waiting = pending[msg.id];
      if (!waiting) return;
      delete pending[msg.id];
      if (msg.error) waiting.reject(new Error(msg.error.message || "The host refused."));
      else waiting.resolve(msg.result || {});
      return;
    }
    if (msg.id !== undefined) {
      // Requests from the host: ping and teardown need nothing from a view but an answer.
      if (msg.method === "ping" || msg.method === "ui/resource-teardown") {
        post({ jsonrpc: "2.0", id: msg.id, result: {} });
      } else {
        post({ jsonrpc: "2.0", id: msg.id, error: { code: -32601, message: "Method not found" } });
      }
      return;
    }
    var handler = listeners[msg.method];
    if (handler) handler(msg.params || {});
  });

  function applyContext(context) {
    if (!context) return;
    var root = document.documentElement;
    if (context.theme === "light" || context.theme === "dark") {
      root.setAttribute("data-theme", context.theme);
      root.style.colorScheme = context.theme;
    }
    var styles = context.styles || {};
    var variables = styles.variables || {};
    Object.keys(variables).forEach(function (name) {
      if (name.indexOf("--") === 0 && typeof variables[name] === "string") {
        root.style.setProperty(name, variables[name]);
      }
    });
    var fonts = styles.css && styles.css.fonts;
    if (typeof fonts === "string" && !document.getElementById("host-fonts")) {
      var style = document.createElement("style");
      style.id = "host-fonts";
      style.textContent = fonts;
      document.head.appendChild(style);
    }
  }

  function reportSize() {
    var height = Math.ceil(
      Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)
    );
    if (height === lastHeight) return;
    lastHeight = height;
    notify("ui/notifications/size-changed", { height: height });
  }

  function start(options) {
    listeners["ui/notifications/tool-input"] = function (params) {
      if (options.onToolInput) options.onToolInput(params.arguments || {});
    };
    listeners["ui/notifications/tool-result"] = function (result) {
      if (options.onToolResult) options.onToolResult(result);
    };
    listeners["ui/notifications/tool-cancelled"] = function (params) {
      if (options.onCancelled) options.onCancelled(params.reason);
    };
    listeners["ui/notifications/host-context-changed"] = applyContext;
    return request("ui/initialize", {
      appInfo: { name: options.name, version: "1.0.0" },
      appCapabilities: { availableDisplayModes: ["inline"] },
      protocolVersion: PROTOCOL,
    }).then(function (result) {
      applyContext(result.hostContext);
      notify("ui/notifications/initialized", {});
      if (typeof ResizeObserver === "function") {
        new ResizeObserver(reportSize).observe(document.documentElement);
      }
      reportSize();
      return result;
    });
  }

  function resultText(result) {
    return (result.content || [])
      .filter(function (c) { return c.type === "text"; })
      .map(function (c) { return c.text; })
      .join(" ");
  }

  function callTool(name, args) {
    return request("tools/call", { name: name, arguments: args }).then(function (result) {
      if (result.isError) throw new Error(resultText(result) || name + " failed.");
      return result.structuredContent || {};
    });
  }

  function tellModel(text, structured) {
    var params = { content: [{ type: "text", text: text }] };
    if (structured) params.structuredContent = structured;
    return request("ui/update-model-context", params).catch(function () {
      return null; // a host that keeps no view context: the model learns it from the tools
    });
  }

  function openLink(url) {
    return request("ui/open-link", { url: url }).then(
      function (result) { return !result.isError; },
      function () { return false; }
    );
  }

  // --- drawing --------------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === undefined || value === null || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key.indexOf("on") === 0) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function seconds(value) {
    if (typeof value !== "number" || !isFinite(value)) return "";
    var whole = Math.round(value);
    var m = Math.floor(whole / 60);
    var s = whole % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  /* Only web addresses reach a src or href: a javascript: or data: URL from anywhere else
     would run or show something the server did not mean. */
  function webUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  function link(text, url, className) {
    if (!webUrl(url)) return null;
    return el("a", {
      href: url, target: "_blank", rel: "noopener", class: className, text: text,
      onclick: function (event) {
        event.preventDefault();
        openLink(url).then(function (opened) { if (!opened) window.open(url, "_blank", "noopener"); });
      },
    });
  }

  /* One job as both views show it: progress while it runs, the video once done, the error and
     its fix when it failed. */
  function jobCard(state) {
    var title = state.name || (state.kind === "preview" ? "Storyboard preview" : "Video");
    var header = el("div", { class: "row" }, [
      el("h1", { text: title }),
      el("span", { class: "badge " + state.status, text: state.status }),
    ]);
    var card = el("section", { class: "job", "data-status": state.status }, [header]);
    if (state.status === "completed" && webUrl(state.video_url)) {
      var video = el("video", {
        class: "player", controls: true, preload: "metadata", playsinline: true,
        poster: webUrl(state.thumbnail_url), src: state.video_url,
      });
      if (state.subtitles_vtt) {
        video.appendChild(el("track", {
          kind: "subtitles", label: "Subtitles", default: true,
          src: "data:text/vtt;charset=utf-8," + encodeURIComponent(state.subtitles_vtt),
        }));
      }
      video.addEventListener("loadedmetadata", reportSize);
      card.appendChild(video);
      var facts = [];
      if (state.duration_seconds) facts.push(seconds(state.duration_seconds));
      facts.push("job " + state.job_id);
      card.appendChild(el("div", { class: "row" }, [
        el("span", { class: "muted", text: facts.join(" · ") }),
        el("span", { class: "spacer" }),
        state.share_url ? link("Share page", state.share_url) : null,
        link("Download", state.video_url, "button"),
      ]));
    } else if (state.status === "failed" || state.error) {
      var error = state.error || { message: state.next_step, fix: "" };
      card.appendChild(el("div", { class: "error", role: "alert" }, [
        el("p", {}, [el("strong", { text: "Failed" + (error.code ? " (" + error.code + ")" : "") + ": " }), error.message]),
        error.fix ? el("p", { text: error.fix }) : null,
      ]));
    } else if (state.refresh_seconds) {
      var bar = el("progress", { max: 100 });
      if (typeof state.progress === "number") bar.value = state.progress;
      card.appendChild(bar);
      var pct = typeof state.progress === "number" ? Math.round(state.progress) + "% · " : "";
      card.appendChild(el("p", { class: "muted", text: pct + (state.message || state.status) }));
      card.appendChild(el("p", { class: "muted", text: "Renders take 3-15 minutes; this view checks every " + Math.round(state.refresh_seconds) + " s." }));
    } else {
      card.appendChild(el("p", { class: "muted", text: state.next_step }));
    }
    return card;
  }

  /* Follow a job through get_player_state: once now, then again after the interval the
     server gives while the job runs (never sooner). Returns a function that stops it. */
  function follow(jobId, onState, onError) {
    var timer = null;
    var stopped = false;
    function again(delay) {
      if (!stopped) timer = setTimeout(tick, Math.max(1, delay) * 1000);
    }
    function tick() {
      callTool("get_player_state", { job_id: jobId }).then(function (state) {
        if (stopped) return;
        onState(state);
        if (state.refresh_seconds) again(state.refresh_seconds);
      }, function (err) {
        if (stopped) return;
        onError(err);
        again(30);
      });
    }
    tick();
    return function () { stopped = true; clearTimeout(timer); };
  }

  window.View = {
    start: start, callTool: callTool, tellModel: tellModel, openLink: openLink,
    reportSize: reportSize, el: el, seconds: seconds, webUrl: webUrl, jobCard: jobCard, follow: follow,
  };
})();
