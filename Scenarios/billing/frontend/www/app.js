// The billing web app: plain JavaScript, no build step.
// Every call goes to the API at window.BILLING_API (set by /config.js), which is
// another origin than this page, so the browser applies CORS to each request.
"use strict";

const API = (window.BILLING_API || "").replace(/\/+$/, "");
const $ = (id) => document.getElementById(id);

// --- API calls ----------------------------------------------------------------

async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(API + path, options);
  } catch (err) {
    // The browser gives no detail here (network failure, refused by CORS, ...).
    throw new Error("The request failed.");
  }
  let body = null;
  try {
    body = await response.json();
  } catch (err) {
    body = null;
  }
  if (!response.ok) {
    const detail = body && body.error ? body.error : "HTTP " + response.status;
    throw new Error(detail);
  }
  return body;
}

function show(id, text, isError) {
  const el = $(id);
  el.textContent = text || "";
  el.classList.toggle("error", Boolean(isError));
}

function money(cents) {
  return (cents / 100).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
}

// --- views ----------------------------------------------------------------------

const loaders = {};

function showView() {
  const name = (location.hash || "#invoices").slice(1);
  document.querySelectorAll(".view").forEach((v) => { v.hidden = v.id !== "view-" + name; });
  document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("active", a.dataset.view === name));
  if (loaders[name]) loaders[name]();
}

// --- invoices: search by customer, with paging ------------------------------------

let invoicePage = 1;

async function loadInvoices() {
  const customer = $("customer").value.trim();
  const params = new URLSearchParams({ page: String(invoicePage) });
  if (customer) params.set("customer", customer);
  show("invoices-message", "Loading…");
  $("page").value = invoicePage;
  try {
    const data = await api("/api/invoices?" + params.toString());
    const tbody = $("invoice-rows");
    tbody.textContent = "";
    for (const inv of data.invoices) {
      const tr = document.createElement("tr");
      cell(tr, inv.sequence_number);
      cell(tr, inv.customer_id);
      cell(tr, money(inv.amount_cents), "number");
      cell(tr, inv.status, "status-" + inv.status);
      cell(tr, inv.created_at);
      tbody.appendChild(tr);
    }
    $("prev-page").disabled = invoicePage <= 1;
    $("next-page").disabled = !data.has_more;
    show("invoices-message", data.invoices.length ? "" : "No invoices.");
  } catch (err) {
    show("invoices-message", err.message, true);
  }
}
loaders.invoices = loadInvoices;

$("invoice-search").addEventListener("submit", (e) => {
  e.preventDefault();
  invoicePage = 1;
  loadInvoices();
});
$("prev-page").addEventListener("click", () => { invoicePage = Math.max(1, invoicePage - 1); loadInvoices(); });
$("next-page").addEventListener("click", () => { invoicePage += 1; loadInvoices(); });
$("page").addEventListener("change", () => {
  invoicePage = Math.max(1, parseInt($("page").value, 10) || 1);
  loadInvoices();
});

// --- lookup by sequence number ------------------------------------------------------

$("lookup-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const number = $("sequence-number").value.trim();
  const dl = $("lookup-result");
  dl.textContent = "";
  show("lookup-message", "Searching…");
  try {
    const data = await api("/api/invoices/by-number/" + encodeURIComponent(number));
    const inv = data.invoice;
    const fields = [
      ["Number", inv.sequence_number], ["Invoice ID", inv.id], ["Customer", inv.customer_id],
      ["Amount", money(inv.amount_cents)], ["Status", inv.status], ["Created", inv.created_at],
    ];
    for (const [label, value] of fields) {
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      dd.textContent = value;
      dl.append(dt, dd);
    }
    show("lookup-message", "");
  } catch (err) {
    show("lookup-message", err.message, true);
  }
});

// --- attachment upload ------------------------------------------------------------

$("upload-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const file = $("upload-file").files[0];
  if (!file) return;
  const form = new FormData();
  form.append("file", file);
  const invoice = $("upload-invoice").value.trim();
  if (invoice) form.append("invoice_id", invoice);
  show("upload-message", "Uploading " + file.name + "…");
  try {
    const data = await api("/api/attachments", { method: "POST", body: form });
    show("upload-message", "Uploaded " + file.name + " (attachment #" + data.id + ", " + data.size + " bytes).");
    $("upload-form").reset();
  } catch (err) {
    show("upload-message", err.message, true);
  }
});

// --- users who joined today ---------------------------------------------------------

async function loadUsersToday() {
  show("users-message", "Loading…");
  try {
    const data = await api("/api/users/today");
    const ul = $("users-today");
    ul.textContent = "";
    for (const u of data.users) {
      const li = document.createElement("li");
      li.textContent = u.name + " <" + u.email + "> — " + u.created_at;
      ul.appendChild(li);
    }
    show("users-message", data.users.length ? "" : "Nobody joined today (" + data.date + ") yet.");
  } catch (err) {
    show("users-message", err.message, true);
  }
}
loaders.users = loadUsersToday;

$("user-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const payload = { name: $("user-name").value.trim(), email: $("user-email").value.trim() };
  show("user-form-message", "Saving…");
  try {
    const data = await api("/api/users", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload),
    });
    show("user-form-message", "Added " + data.user.name + ".");
    $("user-form").reset();
    loadUsersToday();
  } catch (err) {
    show("user-form-message", err.message, true);
  }
});

// --- API health badge ---------------------------------------------------------------

async function checkHealth() {
  const badge = $("api-status");
  try {
    const data = await api("/api/health");
    badge.textContent = "API: " + data.status;
    badge.className = "status ok";
  } catch (err) {
    badge.textContent = "API: unreachable";
    badge.className = "status bad";
  }
}

window.addEventListener("hashchange", showView);
showView();
checkHealth();
