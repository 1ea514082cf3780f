import FiredrillEngine

/// The catalogue's categories (`Levels/categories.yaml`) as tests name them; the sources know
/// none by name.
extension Category {
    public static let database: Category = "database"
    public static let http: Category = "http"
    public static let host: Category = "host"
    public static let app: Category = "app"
    public static let all: Category = "all"
}

/// Those that certify and have a level today, in the catalogue's order.
public let certifyingCategories: [Category] = [.database, .http, .host, .app]
