import Foundation
import SQLiteNIO

/// The store's one connection with the store's path, for error messages: every statement
/// goes through here, and every SQLite error comes out as a `StoreError` naming the path.
struct SQLiteSession: Sendable {
    let connection: SQLiteConnection
    let path: String

    @discardableResult
    func query(_ sql: String, _ binds: [SQLiteData] = []) async throws(StoreError) -> [SQLiteRow] {
        if connection.isClosed { throw StoreError(.closed, store: path, "the store is closed") }
        do {
            return try await connection.query(sql, binds)
        } catch let error as SQLiteError {
            throw Self.storeError(error, path: path)
        } catch {
            throw StoreError(.unavailable, store: path, "\(error)")
        }
    }

    func execute(_ sql: String, _ binds: [SQLiteData] = []) async throws(StoreError) {
        try await query(sql, binds)
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction (the write lock taken at once, so two
    /// processes never both read and then both write); rolled back if it throws.
    func transaction<T: Sendable>(_ body: () async throws(StoreError) -> T) async throws(StoreError) -> T {
        try await execute("BEGIN IMMEDIATE")
        do {
            let value = try await body()
            try await execute("COMMIT")
            return value
        } catch {
            await rollback()
            throw error
        }
    }

    /// After a failed statement; SQLite may already have rolled back (a full disk), so an error here means nothing.
    func rollback() async {
        _ = try? await connection.query("ROLLBACK", [])
    }

    static func storeError(_ error: SQLiteError, path: String) -> StoreError {
        switch error.reason {
        case .notADatabase:
            return StoreError(.notADatabase, store: path, "not a SQLite database (is --store the right file?)")
        case .corrupt, .corruptIndex, .corruptSequenceSchema, .corruptVirtualTable:
            return StoreError(.notADatabase, store: path, "the database is damaged (\(error.message))")
        case .busy, .busyTimeout, .busyInRecovery, .busyInSnapshot, .locked:
            return StoreError(.unavailable, store: path, "the database is locked by another process (waited 5 s)")
        case .full:
            return StoreError(.unavailable, store: path, "the disk is full")
        case .cantOpen, .cantOpenDirectory, .cantOpenInvalidPath, .cantOpenUnfollowedSymlink, .permission:
            return StoreError(.cannotOpen, store: path, "cannot open the database (\(error.message))")
        case .readOnly, .readonlyCantLock, .readonlyDirectory, .readonlyInRecovery, .readonlyInRollback, .readonlyBackingMoved:
            return StoreError(.unavailable, store: path, "the database is read-only here (\(error.message))")
        default:
            return StoreError(.unavailable, store: path, error.message)
        }
    }
}

extension SQLiteData {
    static func int(_ value: Int) -> SQLiteData { .integer(SQLiteInt64(value)) }
    static func int64(_ value: Int64) -> SQLiteData { .integer(SQLiteInt64(value)) }
    static func time(_ date: Date) -> SQLiteData { .float(date.timeIntervalSince1970) }
    static func time(_ date: Date?) -> SQLiteData { date.map { .float($0.timeIntervalSince1970) } ?? .null }
    static func optionalText(_ text: String?) -> SQLiteData { text.map { .text($0) } ?? .null }
    static func bytes(_ bytes: [UInt8]) -> SQLiteData { .blob(ByteBuffer(bytes: bytes)) }
}

extension SQLiteRow {
    func int64(_ name: String) -> Int64? { column(name)?.integer.map { Int64($0) } }
    func int(_ name: String) -> Int? { column(name)?.integer.map { Int($0) } }
    func double(_ name: String) -> Double? { column(name)?.double }
    func time(_ name: String) -> Date? { double(name).map { Date(timeIntervalSince1970: $0) } }
    func text(_ name: String) -> String? { column(name)?.string }
    func bytes(_ name: String) -> [UInt8] { column(name)?.blob.map { Array($0.readableBytesView) } ?? [] }
}
