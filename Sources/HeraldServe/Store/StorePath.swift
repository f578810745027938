import Foundation

/// Where the embedded store lives, and making its folder private.
package enum StorePath {
    /// `$XDG_STATE_HOME/herald/herald.sqlite` when that is an absolute path, else
    /// `~/.local/state/herald/herald.sqlite`; nil when neither is known.
    package static func defaultPath(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") { return xdg + "/herald/herald.sqlite" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.local/state/herald/herald.sqlite" }
        return nil
    }

    /// Creates the folders above `path` that are missing, each 0700 (folders that exist are
    /// left as they are), then the file itself 0600 if it is missing, so SQLite — whose WAL and
    /// shared-memory files copy the database's mode — never makes a readable one.
    static func prepare(_ path: String) throws(StoreError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            if isFolder.boolValue { throw StoreError(.cannotOpen, store: path, "is a folder, not a database file") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError(.cannotOpen, store: path, "cannot create its folder \(folder)")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            let code = errno
            // Another process made it in between: use theirs.
            if code == EEXIST { return }
            throw StoreError(.cannotOpen, store: path, "cannot create the file: \(String(cString: strerror(code)))")
        }
        close(fd)
    }
}
