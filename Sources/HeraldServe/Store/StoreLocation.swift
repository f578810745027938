import Foundation

/// `--store` (SPEC §12): nothing or a path is an embedded SQLite file; `postgres://…` (or
/// `postgresql://…`) a PostgreSQL database. Descriptions never show a password.
package enum StoreLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    package static func parse(_ text: String?, environment: [String: String]) throws(StoreError) -> StoreLocation {
        guard let text, !text.isEmpty else {
            guard let path = StorePath.defaultPath(environment: environment) else {
                throw StoreError(.cannotOpen, store: "herald.sqlite", "no store given and neither XDG_STATE_HOME nor HOME is set; name one with --store FILE")
            }
            return .sqlite(path: path)
        }
        let lower = text.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            return .postgres(try PostgresLocation.parse(text))
        }
        if lower.contains("://") {
            throw StoreError(.cannotOpen, store: "--store", "--store takes a file path or postgres://USER@HOST/DB; '\(text.prefix(while: { $0 != ":" }))://…' is neither")
        }
        return .sqlite(path: text)
    }

    /// Opens the store; `creating: false` refuses a SQLite file that does not exist (a queue
    /// listing must not leave an empty database behind). `sendTimeout`: the sender's `--timeout`,
    /// from which a PostgreSQL claim's lease is made (`PostgresStore.defaultLease`).
    package func open(creating: Bool = true, sendTimeout: Double = 30) async throws(StoreError) -> any RequestStore {
        switch self {
        case .sqlite(let path):
            if !creating, !FileManager.default.fileExists(atPath: path) {
                throw StoreError(.cannotOpen, store: path, "no store here (herald serve creates it; name another with --store)")
            }
            return try await SQLiteStore.open(path: path)
        case .postgres(let location):
            return PostgresStore(location: location, lease: PostgresStore.defaultLease(sendTimeout: sendTimeout))
        }
    }
}
