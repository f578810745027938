import Foundation

/// `--store postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=…&host=/socket/dir&pool_size=N]`
/// (also `postgresql://`). The password is kept for connecting only: `description` and every
/// error name the database as `postgres://user:***@host:port/db`.
package struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    package enum SSLMode: String, Sendable, Equatable, CaseIterable {
        /// Plain TCP (a unix socket is always plain).
        case disable
        /// TLS when the server offers it, plain otherwise (libpq's default).
        case prefer
        /// TLS or no connection; the server's certificate is verified against the system's roots.
        case require
    }

    package var user: String
    package var password: String?
    /// A host name or address; nil with `socketDirectory`.
    package var host: String?
    package var port: Int
    /// `?host=/path`: the folder of the server's unix socket (`.s.PGSQL.PORT` inside it).
    package var socketDirectory: String?
    package var database: String
    package var sslMode: SSLMode
    /// Connections the store's pool opens at most (`?pool_size=`).
    package var poolSize: Int

    package static let defaultPoolSize = 10

    /// The address as shown anywhere: the password, if any, as `***`.
    package var description: String {
        let secret = password == nil ? "" : ":***"
        let user = user.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? user
        if let socketDirectory { return "postgres://\(user)\(secret)@:\(port)/\(database)?host=\(socketDirectory)" }
        let host = host ?? "localhost"
        return "postgres://\(user)\(secret)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
    }

    /// Parses a connection string; its errors name the masked address and the fix.
    package static func parse(_ text: String) throws(StoreError) -> PostgresLocation {
        let shown = mask(text)
        func refuse(_ message: String) -> StoreError { StoreError(.cannotOpen, store: shown, message) }
        let schemeEnd: String.Index
        if let range = text.range(of: "://"), ["postgres", "postgresql"].contains(text[..<range.lowerBound].lowercased()) {
            schemeEnd = range.upperBound
        } else {
            throw refuse("a PostgreSQL store is postgres://USER[:PASSWORD]@HOST[:PORT]/DB")
        }
        var rest = Substring(text[schemeEnd...])
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        if let slash = rest.firstIndex(of: "/"), !rest[..<slash].contains("@"), rest[slash...].contains("@") {
            throw refuse("the user or password holds '/' unencoded: percent-encode it (/ as %2F, @ as %40, ? as %3F)")
        }
        guard let slash = rest.firstIndex(of: "/") else {
            throw refuse("names no database: add /DB after the host (postgres://USER@HOST/DB)")
        }
        let authority = rest[..<slash]
        guard let database = String(rest[rest.index(after: slash)...]).removingPercentEncoding, !database.isEmpty,
              !database.contains("/") else {
            throw refuse("names no database: add /DB after the host (postgres://USER@HOST/DB)")
        }
        guard let at = authority.lastIndex(of: "@") else {
            throw refuse("names no user: postgres://USER@HOST/DB")
        }
        let credentials = authority[..<at]
        let hostPort = authority[authority.index(after: at)...]
        var user = credentials
        var password: String?
        if let colon = credentials.firstIndex(of: ":") {
            user = credentials[..<colon]
            guard let decoded = String(credentials[credentials.index(after: colon)...]).removingPercentEncoding else {
                throw refuse("the password is not valid percent-encoding (write % as %25)")
            }
            password = decoded
        }
        guard let userName = String(user).removingPercentEncoding, !userName.isEmpty else {
            throw refuse("names no user: postgres://USER@HOST/DB")
        }
        var port = 5432
        var host: String?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw refuse("an IPv6 host is written [ADDRESS]") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") {
                port = try parsePort(after.dropFirst(), refuse)
            } else if !after.isEmpty {
                throw refuse("after [ADDRESS] comes :PORT or /DB")
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            port = try parsePort(hostPort[hostPort.index(after: colon)...], refuse)
        } else {
            host = String(hostPort)
        }
        if host?.isEmpty == true { host = nil }
        var sslMode = SSLMode.prefer
        var socketDirectory: String?
        var poolSize = defaultPoolSize
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]), value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? "") : ""
            switch name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw refuse("sslmode=\(value) is not known: use sslmode=disable, prefer or require")
                }
                sslMode = mode
            case "host":
                guard value.hasPrefix("/") else { throw refuse("?host= takes the folder of the server's unix socket, an absolute path") }
                socketDirectory = value
            case "pool_size":
                guard let size = Int(value), (1...1000).contains(size) else {
                    throw refuse("pool_size=\(value) is not a number of connections from 1 to 1000")
                }
                poolSize = size
            default:
                throw refuse("?\(name)= is not a setting Herald knows: use sslmode, host (a unix socket folder) or pool_size")
            }
        }
        guard host != nil || socketDirectory != nil else {
            throw refuse("names no host: postgres://USER@HOST/DB, or ?host=/socket/folder for a unix socket")
        }
        return PostgresLocation(user: userName, password: password, host: socketDirectory == nil ? host : nil, port: port,
                                socketDirectory: socketDirectory, database: database, sslMode: sslMode, poolSize: poolSize)
    }

    /// The unix socket's path when the store connects through one.
    var socketPath: String? { socketDirectory.map { "\($0)/.s.PGSQL.\(port)" } }

    /// `text` with whatever stands between `://USER:` and the last `@` replaced by `***`: safe to
    /// show even when `text` does not parse (a password holding `/` or `@` unencoded is masked too).
    package static func mask(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@"),
              let colon = text[scheme.upperBound..<at].firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }

    private static func parsePort(_ text: Substring, _ refuse: (String) -> StoreError) throws(StoreError) -> Int {
        guard let port = Int(text), (1...65535).contains(port) else {
            throw refuse("the port '\(text)' is not a number from 1 to 65535")
        }
        return port
    }
}
