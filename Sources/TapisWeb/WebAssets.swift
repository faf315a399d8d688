import Hummingbird
import NIOCore
import TapisAPI

/// The page's stylesheet and its one script, part of the binary.
enum WebAssets {
    @Sendable static func serve(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let (type, text): (String, String)
        switch context.parameters.get("name") {
        case "style.css": (type, text) = ("text/css; charset=utf-8", style)
        case "live.js": (type, text) = ("text/javascript; charset=utf-8", live)
        default: return Response(status: .notFound)
        }
        var headers = WebPage.securityHeaders
        headers[.contentType] = type
        headers[.cacheControl] = "max-age=300"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Live updates of a job's page: its event stream (server-sent events) sets the status and adds
    /// each event to the history, the output's tail is read again 5 s after the last read and at each status;
    /// when the job has ended the page is read again (outputs and all).
    static let live = #"""
        "use strict";
        (function () {
          var live = document.getElementById("live");
          if (!live || live.dataset.ended === "true" || !window.EventSource) { return; }
          var history = document.getElementById("history");
          var status = document.getElementById("status");
          var reading = document.getElementById("reading");
          var section = document.getElementById("log-section");
          var log = document.getElementById("log");
          // One read at a time; the next 5 s after the last one ended.
          var ended = false, busy = false, tailTimer = null;
          var readTail = function () {
            if (busy) { return; }
            busy = true;
            clearTimeout(tailTimer);
            fetch(section.dataset.tail, { credentials: "same-origin" }).then(function (answer) {
              return answer.ok ? answer.text() : "";
            }).then(function (text) {
              if (!text) { return; }
              log.textContent = text;
              log.hidden = false;
              var empty = document.getElementById("no-log");
              if (empty) { empty.hidden = true; }
            }).catch(function () {}).then(function () {
              busy = false;
              if (!ended) { tailTimer = setTimeout(readTail, 5000); }
            });
          };
          tailTimer = setTimeout(readTail, 5000);
          var source = new EventSource(live.dataset.events);
          source.onmessage = function (message) {
            var event = JSON.parse(message.data);
            var parts = event.type.split(".");
            var data = {};
            try { data = JSON.parse(event.data); } catch (e) { data = { message: event.data }; }
            var item = document.createElement("li");
            var when = document.createElement("time");
            when.textContent = event.timestamp.replace("T", " ").replace(/\.\d+Z$/, " UTC");
            var what = document.createElement("strong");
            what.textContent = parts[2] || event.type;
            var text = document.createElement("span");
            text.className = "description";
            text.textContent = data.message || "";
            item.append(when, " ", what, document.createElement("br"), text);
            history.append(item);
            if (parts[1] === "JOB_NEW_STATUS") {
              status.textContent = parts[2];
              status.className = "status " + parts[2].toLowerCase();
              reading.textContent = data.message || "";
              readTail();
              if (["FINISHED", "FAILED", "CANCELLED"].indexOf(parts[2]) >= 0) {
                source.close();
                ended = true;
                clearTimeout(tailTimer);
                setTimeout(function () { window.location.reload(); }, 800);
              }
            }
          };
        })();
        """#

    static let style = """
        :root { --ink: #1d2733; --muted: #5b6675; --line: #d5dbe3; --accent: #0b5cad; --bg: #f7f9fb;
          --ok: #1e7b34; --bad: #b3261e; --wait: #8a5a00; font-family: system-ui, sans-serif; color: var(--ink); background: var(--bg); }
        body { margin: 0; } main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
        nav { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .6rem 1rem; background: #12324f; }
        nav a, nav .who { color: #fff; text-decoration: none; } nav .brand { font-weight: 700; } nav .who { margin-left: auto; opacity: .85; }
        nav button { background: transparent; color: #fff; border: 1px solid #fff6; border-radius: 4px; padding: .2rem .6rem; cursor: pointer; }
        a { color: var(--accent); } a:focus, button:focus, input:focus, select:focus, textarea:focus { outline: 3px solid #f5b400; outline-offset: 1px; }
        h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; border-bottom: 1px solid var(--line); } h3 { font-size: 1rem; }
        .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: .6rem; margin-bottom: 1rem; }
        .tile { display: flex; flex-direction: column; padding: .7rem; background: #fff; border: 1px solid var(--line); border-radius: 6px; text-decoration: none; color: var(--ink); }
        .tile[aria-current] { border-color: var(--accent); box-shadow: 0 0 0 2px var(--accent) inset; } .tile .count { font-size: 1.6rem; font-weight: 700; }
        .filters { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: end; margin-bottom: 1rem; }
        .filters label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
        table { width: 100%; border-collapse: collapse; background: #fff; } th, td { text-align: left; padding: .45rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        thead th { font-size: .85rem; color: var(--muted); } .facts th, .env th, .inputs th { width: 12rem; color: var(--muted); font-weight: 500; }
        .status { display: inline-block; padding: .05rem .45rem; border-radius: 999px; font-size: .8rem; font-weight: 600; background: #e8edf3; }
        .status.finished { background: #dff3e4; color: var(--ok); } .status.failed { background: #fbe3e1; color: var(--bad); }
        .status.running { background: #e1edfb; color: var(--accent); } .status.blocked, .status.cancelled { background: #fff2d6; color: var(--wait); }
        .condition { font-size: .8rem; color: var(--muted); } .headline { font-size: 1.1rem; } .reading { color: var(--muted); }
        .actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 1rem 0; }
        button { font: inherit; padding: .35rem .8rem; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
        .inline { display: inline; } .timeline { padding-left: 1.2rem; } .timeline li { margin-bottom: .45rem; } .lasted, .description, .hint { color: var(--muted); font-size: .9rem; }
        .log { background: #0f1720; color: #e6edf3; padding: .8rem; overflow: auto; max-height: 24rem; border-radius: 6px; }
        .error, .field-error { color: var(--bad); font-weight: 600; } .empty { color: var(--muted); }
        form.login, form.launch, form.annotations { display: flex; flex-direction: column; gap: .35rem; max-width: 36rem; }
        fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 1rem 0; display: flex; flex-direction: column; gap: .35rem; }
        input, select, textarea { font: inherit; padding: .35rem; border: 1px solid #aab4c0; border-radius: 4px; }
        .mode { font-size: .75rem; color: var(--muted); } .check { font-size: .9rem; } .pair { display: grid; grid-template-columns: 1fr 1fr; gap: .3rem; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        @media (max-width: 40rem) { table.jobs thead { display: none; } table.jobs td { display: block; border: 0; padding: .15rem .5rem; }
          table.jobs tr { display: block; border-bottom: 1px solid var(--line); padding: .4rem 0; } }
        """
}
