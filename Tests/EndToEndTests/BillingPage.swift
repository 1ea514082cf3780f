import Foundation

/// The billing web app (Scenarios/billing/frontend/www) as a user meets it in the browser: each
/// action goes through the page's own forms and buttons, and each answer is what the page shows.
struct BillingApp {
    let browser: Browser
    /// Where the app is served: the run's `app` URL.
    let address: String

    /// The same server reached as `localhost`: the browser counts it as another origin (the host
    /// differs), so the page it serves stands for any other site calling the API from a browser.
    var otherOrigin: String { address.replacingOccurrences(of: "127.0.0.1", with: "localhost") }

    /// What the invoices view shows once it has loaded.
    struct Invoices {
        var apiStatus: String
        var message: String
        var page: Int
        /// The invoice numbers listed, in order.
        var numbers: [String]
        /// The customer of each invoice listed.
        var customers: [String]
    }

    /// What the users view shows after an Add.
    struct Users {
        var formMessage: String
        var listMessage: String
        var listed: [String]
    }

    /// What the browser's console said since the last look (CORS refusals, failed requests),
    /// for the message of a failed expectation.
    var console: String { browser.consoleLog().joined(separator: "\n") }

    /// A fresh load of one of the app's views (`#invoices`, `#attachments`, `#users`).
    func open(_ view: String, from origin: String? = nil) throws {
        try browser.open("about:blank")
        try browser.open((origin ?? address) + "/#" + view)
    }

    /// Loads the app and waits for the invoice list and the API badge to settle.
    func invoices(from origin: String? = nil) throws -> Invoices {
        try open("invoices", from: origin)
        try browser.waitFor("the API badge", #"return document.getElementById("api-status").textContent !== "API: …""#)
        return try settledInvoices()
    }

    /// Types a customer's id in the search box and presses Enter: their first page.
    func search(customer: Int) throws -> Invoices {
        try browser.type("\u{E009}a\u{E000}\(customer)\u{E007}", into: "#customer")
        return try settledInvoices(page: 1)
    }

    /// Types a page number in the pager's box and presses Enter, as a user jumps to a page.
    func jump(to page: Int) throws -> Invoices {
        // Ctrl-A selects the box's number, so the new one replaces it.
        try browser.type("\u{E009}a\u{E000}\(page)\u{E007}", into: "#page")
        return try settledInvoices(page: page)
    }

    /// Clicks Next; returns the page shown and how long the browser's request for it took
    /// (Resource Timing: what the network tab shows), and whether it carried a cursor (any
    /// parameter besides the page and the customer: its names vary from run to run).
    func next() throws -> (invoices: Invoices, milliseconds: Double, cursor: Bool) {
        let page = try settledInvoices().page + 1
        try browser.click("#next-page")
        let shown = try settledInvoices(page: page)
        let request = try browser.waitFor("the timing of the request for page \(page)", """
            const entry = performance.getEntriesByType("resource").filter((e) => {
              const url = new URL(e.name);
              return url.pathname === "/api/invoices" && url.searchParams.get("page") === arguments[0];
            }).pop();
            return entry ? { ms: entry.duration, cursor: [...new URL(entry.name).searchParams.keys()].some((k) => k !== "page" && k !== "customer") } : null;
            """, [String(page)]) as? [String: Any]
        return (shown, request?["ms"] as? Double ?? .nan, request?["cursor"] as? Bool ?? false)
    }

    private func settledInvoices(page: Int? = nil) throws -> Invoices {
        let state = try browser.waitFor("the invoice list", """
            const $ = (id) => document.getElementById(id);
            const message = $("invoices-message").textContent;
            if (message === "Loading…" || (arguments[0] !== null && $("page").value !== String(arguments[0]))) return null;
            return {
              status: $("api-status").textContent, message: message, page: $("page").value,
              numbers: [...document.querySelectorAll("#invoice-rows tr")].map((r) => r.cells[0].textContent),
              customers: [...document.querySelectorAll("#invoice-rows tr")].map((r) => r.cells[1].textContent),
            };
            """, [page.map { $0 as Any } ?? NSNull()]) as? [String: Any] ?? [:]
        return Invoices(apiStatus: state["status"] as? String ?? "", message: state["message"] as? String ?? "",
                        page: Int(state["page"] as? String ?? "") ?? 0, numbers: state["numbers"] as? [String] ?? [],
                        customers: state["customers"] as? [String] ?? [])
    }

    /// Picks `file` in the attachment form and presses Upload; returns the message the page shows.
    func upload(_ file: URL) throws -> String {
        try open("attachments")
        try browser.type(file.path, into: "#upload-file")
        try browser.click("#upload-form button[type=submit]")
        return try browser.waitFor("the upload's result", """
            const text = document.getElementById("upload-message").textContent;
            return text && !text.startsWith("Uploading") ? text : null;
            """, [], timeout: 60) as? String ?? ""
    }

    /// Adds a user through the form of the users view; returns the form's answer and the list of
    /// people who joined today, as the page reloads it after the Add.
    func addUser(name: String, email: String) throws -> Users {
        try open("users")
        try browser.waitFor("the users list", #"return document.getElementById("users-message").textContent !== "Loading…""#)
        try browser.type(name, into: "#user-name")
        try browser.type(email, into: "#user-email")
        try browser.click("#user-form button[type=submit]")
        let state = try browser.waitFor("the answer to Add", """
            const $ = (id) => document.getElementById(id);
            const form = $("user-form-message").textContent, list = $("users-message").textContent;
            if (!form || form === "Saving…" || list === "Loading…") return null;
            return { form: form, list: list, listed: [...document.querySelectorAll("#users-today li")].map((li) => li.textContent) };
            """) as? [String: Any] ?? [:]
        return Users(formMessage: state["form"] as? String ?? "", listMessage: state["list"] as? String ?? "",
                     listed: state["listed"] as? [String] ?? [])
    }
}
