// The Sightline console: plain JavaScript, no libraries. It asks the host's /console/api/ for
// JSON and draws tables and SVG charts; every number drawn is also in the SVG (data-value and a
// <title>) for screen readers and tests. Text from the server only ever goes in through
// textContent / setAttribute, never as HTML.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const STAGES = ["first_time_buyer", "active", "defecting", "inactive"];
const STAGE_LABELS = {first_time_buyer: "first-time buyers", active: "active",
                      defecting: "defecting", inactive: "inactive"};

function $(id) { return document.getElementById(id); }

class SessionEnded extends Error {}

// A JSON request to the console API. POSTs carry the X-Requested-With header the server requires
// against cross-site requests.
async function api(method, path, body) {
  const init = {method, credentials: "same-origin", headers: {"X-Requested-With": "sightline-console"}};
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  if (response.status === 401 && path !== "/console/login") throw new SessionEnded();
  if (!response.ok) {
    const message = data && data.error ? data.error.message : "HTTP " + response.status;
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return data;
}

function show(id, visible) { $(id).hidden = !visible; }

function setError(id, text) {
  const el = $(id);
  el.textContent = text || "";
  el.hidden = !text;
}

function svg(name, attributes, parent) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes || {})) el.setAttribute(k, String(v));
  if (parent) parent.appendChild(el);
  return el;
}

function titled(el, text) { svg("title", {}, el).textContent = text; return el; }

function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }

// Vertical bars, one per item {label, value (exact text), number}. The root carries
// data-total (exact, when given) and data-ready once drawn.
function barChart(container, items, options) {
  clear(container);
  const width = 640, height = 260, left = 64, bottom = 48, top = 16;
  const root = svg("svg", {viewBox: `0 0 ${width} ${height}`, role: "img",
                           "aria-label": options.label, "data-chart": options.name}, container);
  if (options.total !== undefined) root.setAttribute("data-total", options.total);
  titled(root, options.label);
  const numbers = items.map(i => i.number);
  const max = Math.max(1e-9, ...numbers.map(n => Math.max(n, 0)));
  const min = Math.min(0, ...numbers);
  const span = max - min;
  const plot = height - bottom - top;
  const y = n => top + (max - n) * plot / span;
  svg("line", {class: "axis", x1: left, x2: width - 8, y1: y(0), y2: y(0)}, root);
  const tick = svg("text", {x: left - 6, y: top + 4, "text-anchor": "end"}, root);
  tick.textContent = formatNumber(max);
  const slot = (width - left - 8) / Math.max(1, items.length);
  const every = Math.ceil(items.length / 12);
  items.forEach((item, i) => {
    const x = left + i * slot + slot * 0.15;
    const h = Math.abs(y(item.number) - y(0));
    const bar = svg("rect", {class: "bar", x: x.toFixed(1), width: Math.max(1, slot * 0.7).toFixed(1),
                             y: Math.min(y(item.number), y(0)).toFixed(1), height: h.toFixed(1),
                             "data-label": item.label, "data-value": item.value}, root);
    titled(bar, `${item.label}: ${item.value}`);
    if (i % every === 0) {
      const t = svg("text", {x: (x + slot * 0.35).toFixed(1), y: height - bottom + 14,
                             "text-anchor": "middle"}, root);
      t.textContent = item.label;
    }
    if (items.length <= 8) {
      const v = svg("text", {class: "value", x: (x + slot * 0.35).toFixed(1),
                             y: (Math.min(y(item.number), y(0)) - 4).toFixed(1),
                             "text-anchor": "middle"}, root);
      v.textContent = item.value;
    }
  });
  if (items.length === 0) {
    const t = svg("text", {x: width / 2, y: height / 2, "text-anchor": "middle"}, root);
    t.textContent = "no data in this range";
  }
  root.setAttribute("data-ready", "true");
}

// A small line chart of one segment's sizes over time.
function lineChart(container, name, points) {
  const width = 640, height = 120, left = 48, top = 12, bottom = 24;
  const root = svg("svg", {viewBox: `0 0 ${width} ${height}`, role: "img",
                           "aria-label": `size of segment ${name}`, "data-chart": "segment",
                           "data-segment": name}, container);
  titled(root, `size of segment ${name}`);
  const max = Math.max(1, ...points.map(p => p.customers));
  const x = i => left + (points.length > 1 ? i * (width - left - 8) / (points.length - 1) : 0);
  const y = n => top + (max - n) * (height - top - bottom) / max;
  svg("line", {class: "axis", x1: left, x2: width - 8, y1: y(0), y2: y(0)}, root);
  const label = svg("text", {x: left - 6, y: top + 4, "text-anchor": "end"}, root);
  label.textContent = String(max);
  svg("polyline", {class: "line",
                   points: points.map((p, i) => `${x(i).toFixed(1)},${y(p.customers).toFixed(1)}`).join(" ")}, root);
  points.forEach((p, i) => {
    const c = svg("circle", {class: "point", cx: x(i).toFixed(1), cy: y(p.customers).toFixed(1), r: 3,
                             "data-at": p.at, "data-value": p.customers}, root);
    titled(c, `${p.at}: ${p.customers} customers`);
  });
  root.setAttribute("data-ready", "true");
}

function formatNumber(n) {
  return Math.abs(n) >= 1e6 ? (n / 1e6).toFixed(1) + "M" : Math.abs(n) >= 1e3 ? (n / 1e3).toFixed(1) + "k"
       : String(Math.round(n * 100) / 100);
}

function row(tbody, cells) {
  const tr = document.createElement("tr");
  for (const c of cells) {
    const td = document.createElement("td");
    if (typeof c === "object" && c !== null) {
      td.textContent = c.text;
      if (c.className) td.className = c.className;
    } else {
      td.textContent = c === null || c === undefined ? "" : String(c);
    }
    tr.appendChild(td);
  }
  tbody.appendChild(tr);
}

function fillTable(id, rows, emptyText) {
  const tbody = $(id).querySelector("tbody");
  clear(tbody);
  if (rows.length === 0) row(tbody, [{text: emptyText, className: "empty"}]);
  rows.forEach(r => row(tbody, r));
}

function isoDay(date) { return date.toISOString().slice(0, 10); }

// Initial filters: the URL's #fragment (from=, to=, granularity=, tenant=, days=) or the last
// twelve months.
function initialFilters() {
  const today = new Date();
  const start = new Date(Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth(), 1));
  const values = {from: isoDay(start), to: isoDay(today), granularity: "month", days: "7", tenant: ""};
  const fragment = new URLSearchParams(location.hash.slice(1));
  for (const key of Object.keys(values)) if (fragment.get(key)) values[key] = fragment.get(key);
  return values;
}

function query(params) { return new URLSearchParams(params).toString(); }

async function loadDashboard() {
  const tenant = $("tenant").value;
  const days = $("days").value;
  const range = {tenant, name: "summary", from: $("from").value, to: $("to").value,
                 granularity: $("granularity").value};
  setError("dashboard-error", "");
  const [jobs, failed, volumes, segments, report] = await Promise.all([
    api("GET", "/console/api/jobs?" + query({days})),
    api("GET", "/console/api/jobs?" + query({days, failed: "true"})),
    api("GET", "/console/api/tenants"),
    tenant ? api("GET", "/console/api/segments?" + query({tenant, days: 30})) : {segments: []},
    tenant ? api("GET", "/console/api/report?" + query(range)).catch(e => ({error: e.message}))
           : {error: "no tenant"},
  ]);

  fillTable("jobs", jobs.jobs.map(j => [j.started, j.tenant, j.kind,
    {text: j.status, className: "status-" + j.status}, j.file, j.rows, j.bytes, j.operator]),
    "no jobs in these days");
  fillTable("failed", failed.jobs.map(j => [j.started, j.tenant, j.kind,
    {text: j.status, className: "status-" + j.status}, j.file, j.detail]), "no failed jobs");
  fillTable("volumes", volumes.tenants.map(t => t.error ? [t.tenant, {text: t.error, className: "error"}]
    : [t.tenant, t.lines, t.customers, t.revenue, t.catalog_items]), "no tenants");

  const segmentsBox = $("segments");
  clear(segmentsBox);
  if (segments.segments.length === 0) {
    const p = document.createElement("p");
    p.className = "empty";
    p.textContent = "no segment evaluations in the last 30 days";
    segmentsBox.appendChild(p);
  }
  for (const s of segments.segments) {
    const figure = document.createElement("figure");
    const caption = document.createElement("figcaption");
    caption.textContent = s.segment;
    figure.appendChild(caption);
    const box = document.createElement("div");
    box.className = "chart";
    figure.appendChild(box);
    segmentsBox.appendChild(figure);
    lineChart(box, s.segment, s.sizes);
  }

  if (report.error) {
    setError("dashboard-error", "Report: " + report.error);
    return;
  }
  const revenue = report.revenue;
  $("revenue-total").textContent = revenue.totals.revenue;
  $("orders-total").textContent = revenue.totals.orders;
  $("aov").textContent = revenue.totals.aov;
  barChart($("revenue-chart"), revenue.periods.map(p => ({label: p.label, value: p.revenue,
                                                          number: parseFloat(p.revenue)})),
           {name: "revenue", label: `revenue per ${revenue.granularity}`, total: revenue.totals.revenue});
  const lifecycle = report.lifecycle;
  $("active-days").textContent = lifecycle.active_days;
  $("inactive-days").textContent = lifecycle.inactive_days;
  barChart($("lifecycle-chart"), STAGES.map(s => ({label: STAGE_LABELS[s], value: String(lifecycle.at_to[s]),
                                                  number: lifecycle.at_to[s], stage: s})),
           {name: "lifecycle", label: "customers by lifecycle stage at the end of the range"});
  $("lifecycle-chart").querySelectorAll("rect.bar").forEach((r, i) => r.setAttribute("data-stage", STAGES[i]));
  const top = report["top-items"] ? report["top-items"].by_revenue || [] : [];
  fillTable("top-items", top.map(t => [t.name || t.item || t.id, t.revenue, t.buyers]), "no items");
}

async function refresh() {
  try {
    await loadDashboard();
  } catch (e) {
    if (e instanceof SessionEnded) return showLogin("Your session has ended; please log in again.");
    setError("dashboard-error", e.message);
  }
}

function showLogin(message) {
  show("dashboard", false);
  show("who", false);
  show("login-panel", true);
  setError("login-error", message || "");
  $("login-name").focus();
}

async function start() {
  let session;
  try {
    session = await api("GET", "/console/api/session");
  } catch (e) {
    return showLogin(e instanceof SessionEnded ? "" : e.message);
  }
  $("operator").textContent = session.operator;
  const filters = initialFilters();
  const select = $("tenant");
  clear(select);
  for (const t of session.tenants) {
    const option = document.createElement("option");
    option.value = option.textContent = t;
    select.appendChild(option);
  }
  if (filters.tenant) select.value = filters.tenant;
  for (const key of ["from", "to", "granularity", "days"]) $(key).value = filters[key];
  show("login-panel", false);
  show("who", true);
  show("dashboard", true);
  await refresh();
}

document.addEventListener("DOMContentLoaded", () => {
  $("login-form").addEventListener("submit", async event => {
    event.preventDefault();
    setError("login-error", "");
    try {
      await api("POST", "/console/login", {name: $("login-name").value, password: $("login-password").value});
      $("login-password").value = "";
      await start();
    } catch (e) {
      setError("login-error", e.status === 401 ? "Wrong name or password." : e.message);
    }
  });
  $("logout").addEventListener("click", async () => {
    try { await api("POST", "/console/logout"); } catch (e) { /* logged out either way */ }
    showLogin("You are logged out.");
  });
  $("refresh").addEventListener("click", refresh);
  $("filters").addEventListener("submit", event => { event.preventDefault(); refresh(); });
  start();
});
