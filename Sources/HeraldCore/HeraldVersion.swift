/// Herald's version, shown by `herald --version` and sent as `User-Agent: herald/<version>`.
package enum HeraldVersion {
    package static let current = "0.1.0"
}
