import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine

/// The catalogue declares its categories (`Levels/categories.yaml`); a level names one of them.
@Suite struct CategoryTests {
    func categories(_ text: String) -> (categories: [CatalogCategory], problems: [Diagnostic]) {
        do { return (try LevelLoader.categories(text: text, file: "categories.yaml"), []) } catch let error as Diagnostics {
            return ([], error.items)
        } catch { return ([], [Diagnostic(file: "", line: nil, field: "", message: "\(error)")]) }
    }

    @Test func theCataloguesCategoriesLoadInOrderAndTheTutorialsDoesNotCertify() throws {
        let found = try Catalog(root: repositoryRoot).categories()
        #expect(found.map(\.id) == [.database, .http, .host, .app, "deploy", "network", "queue", .all])
        #expect(found.filter(\.certifies).map(\.id) == certifyingCategories + ["deploy", "network", "queue"])
    }

    @Test func aCategoryFileIsReadStrictly() {
        let unknown = categories("categories:\n  - {id: deploy, title: Deploys, certify: false}\n")
        #expect(unknown.problems.contains { $0.field == "categories[0].certify" && $0.message.contains("unknown field") && $0.line == 2 }, "\(unknown.problems)")
        let twice = categories("categories:\n  - {id: deploy, title: Deploys}\n  - {id: deploy, title: Again}\n")
        #expect(twice.problems.contains { $0.message.contains("'deploy' is used twice") }, "\(twice.problems)")
        let named = categories("categories:\n  - {id: Deploy, title: Deploys}\n")
        #expect(named.problems.contains { $0.field == "categories[0].id" && $0.message.contains("lowercase") }, "\(named.problems)")
        #expect(categories("categories:\n  - {id: queue, title: Queues}\n").categories.map(\.id) == ["queue"])
    }

    /// A level in a category the catalogue does not declare is refused by lint, with its line.
    @Test func lintRefusesACategoryTheCatalogueDoesNotDeclare() throws {
        let scratch = ScratchDirectory()
        let text = LevelLoaderTests.valid.replacingOccurrences(of: "category: http", with: "category: networking")
        let file = scratch.write("sample/level.yaml", text)
        let level = try LevelLoader.level(at: file.deletingLastPathComponent())
        let problems = Lint.references(of: level, catalog: Catalog(root: repositoryRoot)).filter { $0.field == "category" }
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.message.contains("'networking' is not a category of the catalogue") == true)
        #expect(problems.first?.line == 4)
        #expect(problems.first?.file == file.path)
    }
}
