/// A store that cannot do what was asked. Its text names the store by its path (or, for a
/// server, its masked address) and never holds a password, key or token: it goes to logs,
/// `/readyz` reasons and the CLI's error line as it is.
package struct StoreError: Error, CustomStringConvertible, Equatable {
    package enum Kind: Sendable, Equatable {
        /// The file or its folder cannot be created or opened.
        case cannotOpen
        /// The file exists but is not a SQLite database (or is damaged).
        case notADatabase
        /// Written by a newer Herald: its schema version is above the one this build knows.
        case newerSchema(found: Int, known: Int)
        /// The store answered with an error (I/O, full disk, a lock held too long).
        case unavailable
        /// `finish` of a request that is not being sent.
        case notInFlight(id: Int64)
        /// Used after `close()`.
        case closed
    }

    package var kind: Kind
    /// Where: the database's path.
    package var store: String
    /// What went wrong, for a person; never a secret.
    package var message: String

    package init(_ kind: Kind, store: String, _ message: String) {
        self.kind = kind
        self.store = store
        self.message = message
    }

    package var description: String { "\(store): \(message)" }
}
