import FiredrillSQLite
import FiredrillStore
import Foundation
import Testing

@Suite struct StoreTests {
    func temporaryStore() throws -> SQLiteStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-store-\(UUID().uuidString)")
        return try SQLiteStore(url: SQLiteStore.defaultURL(root: folder))
    }

    @Test func savesFieldByFieldAndReloads() throws {
        let store = try temporaryStore()
        try store.save(run: "r1", level: "cors", field: "title", value: "Preflight refused")
        try store.save(run: "r1", level: "cors", field: "title", value: "Preflight refused for the SPA")
        try store.save(run: "r1", level: "cors", field: "impact", value: "Téléversements 上传\nline two")
        try store.save(run: "r2", level: "cors", field: "title", value: "other run")
        let reopened = try SQLiteStore(url: store.url)
        #expect(try reopened.load(run: "r1") == ["title": "Preflight refused for the SPA", "impact": "Téléversements 上传\nline two"])
        #expect(try reopened.load(run: "none") == [:])
        #expect(try reopened.integrityCheck())
    }
}
